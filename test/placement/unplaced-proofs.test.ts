import { afterAll, describe, expect, test } from "vitest";
import { checkPlan } from "../../src/model/check-plan.js";
import { ClusterSchema, type ClusterInput } from "../../src/model/cluster.js";
import { PlanSchema } from "../../src/model/plan.js";
import { explainUnplaced } from "../../src/placement/infeasible.js";
import { buildItems } from "../../src/placement/items.js";
import { planCluster } from "../../src/placement/plan.js";
import { buildProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { createHighsSolver } from "../../src/placement/solvers/milp.js";
import { threadSolverWorkers } from "../../src/runtime/solver-workers.js";
import { PlacementState } from "../../src/placement/state.js";
import { cluster, predictor } from "./helpers.js";

// The worker loads dist/ (the runtime's worker scripts): `npm test` builds it first.
const highs = createHighsSolver(threadSolverWorkers);
afterAll(() => highs.close());

const idle = { kind: "idle" as const };
const GiB = 1024;

/** The infeasible cluster: 2 hosts, memory demand 147% of capacity, a 3-way hard anti-affinity. */
function overfull(): ClusterInput {
  return {
    hosts: [0, 1].map((i) => ({ id: `h${i}`, cores: 8, memoryMiB: 16 * GiB })),
    vms: [8, 8, 8, 8, 8, 7].map((g, j) => ({ id: `vm${j}`, vcpus: 1, memoryMiB: g * GiB, workload: idle })),
    constraints: [{ kind: "anti-affinity", vms: ["vm0", "vm1", "vm2"] }],
    policy: { cpuOvercommit: 1 },
  };
}

describe("an infeasible cluster says so", () => {
  test("147% memory and a 3-way anti-affinity on 2 hosts: 2 VMs out, both proved, no gap, check not ok, HiGHS's infeasibility kept as the fallback reason", async () => {
    const c = cluster(overfull());
    const plan = PlanSchema.parse(await planCluster(c, predictor(), { solver: "milp", exact: highs, timeBudgetMs: 5000, now: () => performance.now() }));
    // 47 GiB on 32: the four smallest (7 + 8 + 8 + 8 = 31) are the most that fit.
    expect(plan.counts).toMatchObject({ vms: 6, placed: 4, unplaced: 2, minUnplaced: 2, violations: 0 });
    for (const u of plan.unplacedReasons) {
      expect(u.proof).toBe("set");
      expect(u.reason).toEqual({ kind: "aggregate-capacity", bound: "volume", resource: "memoryMiB", vms: 6, demand: 47 * GiB, capacity: 32 * GiB, hosts: 2, minUnplaced: 2 });
    }
    expect(plan.gap).toBeUndefined();
    expect(plan.provedOptimal).toBe(false);
    expect(plan.solver.stoppedOn).not.toBe("optimal");
    expect(plan.check.ok).toBe(false);
    expect(plan.check.violations.map((v) => v.constraint)).toEqual(["unplaced", "unplaced"]);
    expect(checkPlan(c, plan.assignments).filter((v) => v.constraint === "unplaced")).toHaveLength(2);
    expect(plan.solver.fallback?.reason).toBe("infeasible");
  }, 30_000);

  test("with memory to spare the 3-way anti-affinity alone proves one VM out", async () => {
    const doc = overfull();
    doc.vms = doc.vms.map((v) => ({ ...v, memoryMiB: 2 * GiB }));
    const plan = await planCluster(cluster(doc), predictor(), { solver: "heuristic", iterations: 200 });
    expect(plan.counts).toMatchObject({ placed: 5, unplaced: 1, minUnplaced: 1 });
    expect(plan.unplacedReasons[0].reason).toEqual({ kind: "anti-affinity-exceeds-hosts", constraint: "constraints[0]", members: 3, hosts: 2, minUnplaced: 1 });
  });
});

/**
 * explainOut: the reasons for the given VMs left out of an otherwise empty plan. The cluster is
 * parsed by the schema alone: the validator refuses most of these documents up front, but the
 * API and library paths must still say why if one gets through.
 */
function explainOut(doc: ClusterInput, out: string[], on: Record<string, string> = {}) {
  const p = buildProblem(ClusterSchema.parse(doc), predictor());
  const a = Int32Array.from(p.vms, (v) => (on[v.id] ? p.hosts.findIndex((h) => h.id === on[v.id]) : -1));
  const s = PlacementState.fromAssignment(p, a);
  const idx = out.map((id) => p.vms.findIndex((v) => v.id === id));
  return explainUnplaced(s, frameworkFor(defaultProfile("min-cost")), buildItems(p), idx);
}

const host = (id: string, cores: number, gib: number, labels: Record<string, string> = {}) => ({ id, cores, memoryMiB: gib * GiB, labels });
const vm = (id: string, vcpus: number, gib: number) => ({ id, vcpus, memoryMiB: gib * GiB, workload: idle });

/** doc1: a document with VM "x" (and others) under cpuOvercommit 1. */
function doc1(hosts: ClusterInput["hosts"], vms: ClusterInput["vms"], constraints: ClusterInput["constraints"] = []): ClusterInput {
  return { hosts, vms, constraints, policy: { cpuOvercommit: 1 } };
}

const INDIVIDUAL: [string, ClusterInput, object][] = [
  ["too much memory for any host", doc1([host("a", 8, 8), host("b", 16, 8)], [vm("x", 2, 12)]), { kind: "fits-no-host", resources: ["memoryMiB"], binding: "each" }],
  [
    "each host short of one resource, none short everywhere",
    doc1([host("a", 8, 8), host("b", 2, 16)], [vm("x", 4, 12)]),
    { kind: "fits-no-host", resources: ["cores", "memoryMiB", "vcpus"], binding: "combined" },
  ],
  [
    "two hard labels no host carries together",
    doc1([host("a", 8, 8, { zone: "a" }), host("b", 8, 8, { zone: "b", disk: "ssd" })], [vm("x", 1, 1)], [
      { kind: "host-label", vms: ["x"], label: "zone", value: "a" },
      { kind: "host-label", vms: ["x"], label: "disk", value: "ssd" },
    ]),
    { kind: "no-host-with-labels", constraints: [0, 1] },
  ],
  [
    "only a small host carries its label",
    doc1([host("a", 2, 2, { rack: "r1" }), host("b", 16, 64, { rack: "r2" })], [vm("x", 1, 4)], [{ kind: "host-label", vms: ["x"], label: "rack", value: "r1" }]),
    { kind: "fits-no-host", resources: ["memoryMiB"], binding: "each" },
  ],
  [
    "overlapping hard affinity groups that together outgrow every host",
    doc1([host("a", 8, 8)], [vm("x", 1, 3), vm("y", 1, 3), vm("z", 1, 3)], [{ kind: "affinity", vms: ["x", "y"] }, { kind: "affinity", vms: ["y", "z"] }]),
    { kind: "affinity-group-fits-no-host", affinity: [0, 1], vms: [0, 1, 2], resources: ["memoryMiB"], binding: "each" },
  ],
  [
    "hard affinity and anti-affinity over the same pair",
    doc1([host("a", 8, 8), host("b", 8, 8)], [vm("x", 1, 1), vm("y", 1, 1)], [{ kind: "affinity", vms: ["x", "y"] }, { kind: "anti-affinity", vms: ["x", "y"] }]),
    { kind: "contradictory-constraints", affinity: [0], antiAffinity: 0 },
  ],
];

describe("individual proofs name what no host has", () => {
  test.each(INDIVIDUAL)("%s", (_name, doc, reason) => {
    const r = explainOut(doc, ["x"]);
    expect(r.vms[0].proof).toBe("individual");
    expect(r.vms[0].reason).toEqual(reason);
    expect(r.vms[0].candidates.basis).toBe("none");
    expect(r.minUnplaced).toBeGreaterThanOrEqual(1);
  });
});

describe("set bounds and the honest non-proof", () => {
  test("VMs only the large-network hosts take outgrow those hosts' network: a restricted volume proof, though the fleet in all has room", () => {
    const net = (id: string, mbps: number) => ({ id, cores: 16, memoryMiB: 64 * GiB, networkMbps: mbps });
    const doc: ClusterInput = {
      hosts: [net("big", 12_000), net("s1", 4000), net("s2", 4000), net("s3", 4000), net("s4", 4000)],
      vms: [1, 2].map((k) => ({ ...vm(`n${k}`, 1, 1), networkMbps: 8000 })),
      policy: { cpuOvercommit: 1 },
    };
    const r = explainOut(doc, ["n2"], { n1: "big" });
    expect(r.minUnplaced).toBe(1);
    expect(r.vms[0].proof).toBe("set");
    expect(r.vms[0].reason).toMatchObject({ kind: "set", proof: { kind: "aggregate-capacity", bound: "volume", resource: "networkMbps", vms: 2, demand: 16_000, capacity: 12_000, hosts: 1, types: [0], minUnplaced: 1 } });
  });

  test("VMs that each need over half of every host they fit never share one: a half-size proof where volume shows none", () => {
    const doc: ClusterInput = { hosts: [host("a", 8, 10), host("b", 8, 10)], vms: [vm("x", 1, 6), vm("y", 1, 6), vm("z", 1, 6)], policy: { cpuOvercommit: 1 } };
    const r = explainOut(doc, ["z"], { x: "a", y: "b" });
    expect(r.minUnplaced).toBe(1);
    expect(r.vms[0].reason).toMatchObject({ kind: "set", proof: { kind: "aggregate-capacity", bound: "half-size", resource: "memoryMiB", vms: 3, hosts: 2, minUnplaced: 1 } });
  });

  test("a VM that fits as the plan stands is 'not placed by the search', never given an invented reason", () => {
    const doc: ClusterInput = { hosts: [host("a", 8, 8), host("b", 8, 8)], vms: [vm("x", 2, 2), vm("y", 2, 2)], policy: { cpuOvercommit: 1 } };
    const r = explainOut(doc, ["y"], { x: "a" });
    expect(r.minUnplaced).toBe(0);
    expect(r.vms[0]).toMatchObject({ proof: "none", reason: { kind: "not-placed-by-search" }, candidates: { basis: "fits-now", count: 2, hosts: [0, 1] } });
    // No filter objects on either host type, so no reason is listed for either (main said Affinity/group).
    expect(r.vms[0].byType.flatMap((t) => t.reasons)).toEqual([]);
  });
});
