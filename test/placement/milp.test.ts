import { afterAll, describe, expect, test } from "vitest";
import { DEFAULT_MIX, generateCluster } from "../../src/model/generate.js";
import { EnvelopeCache } from "../../src/placement/interference-cap.js";
import { buildLinearModel } from "../../src/placement/lp-rows.js";
import { createHighsSolver, statusOf, xColumns } from "../../src/placement/solvers/milp.js";
import { threadSolverWorkers } from "../../src/runtime/solver-workers.js";
import { problemOf } from "./helpers.js";
import { bruteForce, checked, cost, tinyCluster, violations } from "./milp-oracle.js";

// The worker loads dist/ (see src/runtime/worker-url.ts): `npm test` builds it first.
const highs = createHighsSolver(threadSolverWorkers);
const warm = createHighsSolver(threadSolverWorkers, { warm: true });
afterAll(() => warm.close());

const TINY = [
  { seed: 1, vms: 6 },
  { seed: 2, vms: 6, constraints: true },
  { seed: 3, vms: 6, victims: true },
  { seed: 4, vms: 6, constraints: true, victims: true },
  { seed: 5, vms: 7, constraints: true },
  { seed: 6, vms: 7, victims: true },
];

describe("HiGHS backend", () => {
  test.each(TINY)("proves the brute-force optimum (seed $seed, $vms VMs)", async (o) => {
    const p = problemOf(tinyCluster(o.seed, o));
    const bf = bruteForce(p);
    const r = await warm.solve(p, { timeLimitMs: 10_000 });
    if (bf.assignment === undefined) {
      expect(r.status).toBe("infeasible");
      return;
    }
    expect(r.status).toBe("optimal");
    expect(r.assignment).toBeDefined();
    expect(violations(p, r.assignment!)).toEqual([]);
    expect(checked(p, r.assignment!)).toEqual([]);
    expect(r.objective).toBeCloseTo(bf.cost, 6);
    expect(cost(p, r.assignment!)).toBeCloseTo(bf.cost, 6);
    expect(r.dualBound).toBeCloseTo(bf.cost, 4);
  });

  test("a start equal to the optimum, on the wrong identical hosts, meets the target at once", async () => {
    const p = problemOf(tinyCluster(2, { vms: 6, constraints: true }));
    const bf = bruteForce(p);
    // Swap the two hosts of each shape: same plan, not the canonical labelling the symmetry rows accept.
    const swap = [1, 0, 3, 2];
    const start = bf.assignment!.map((i) => swap[i]);
    expect(cost(p, start)).toBeCloseTo(bf.cost, 9);
    const r = await warm.solve(p, { timeLimitMs: 10_000, start, objectiveTarget: bf.cost });
    expect(["optimal", "feasible"]).toContain(r.status);
    expect(r.objective).toBeCloseTo(bf.cost, 6);
    expect(violations(p, r.assignment!)).toEqual([]);
    expect(checked(p, r.assignment!)).toEqual([]);
  });

  test("maxNodes ends the solve on work, not the clock: the same answer twice, reported as the node limit", async () => {
    // A generated 12 x 60 fleet needs more than 10 nodes to prove its model optimal (measured).
    const p = problemOf(generateCluster({ hosts: 12, vms: 60, seed: 7, mix: DEFAULT_MIX, placed: false, scheduler: "xen-credit" }));
    const [a, b] = [await warm.solve(p, { timeLimitMs: 60_000, maxNodes: 10 }), await warm.solve(p, { timeLimitMs: 60_000, maxNodes: 10 })];
    expect(a.limit).toBe("nodes");
    expect(["feasible", "timeout"]).toContain(a.status);
    expect(b.status).toBe(a.status);
    expect(b.objective).toBe(a.objective);
    expect(b.assignment).toEqual(a.assignment);
  }, 120_000);

  test("an instance with no feasible plan is infeasible", async () => {
    const input = tinyCluster(1, { vms: 6 });
    // Five VMs pairwise apart on four hosts.
    input.constraints = [{ kind: "anti-affinity", vms: ["v0", "v1", "v2", "v3", "v4"] }];
    const r = await warm.solve(problemOf(input), { timeLimitMs: 10_000 });
    expect(r.status).toBe("infeasible");
    expect(r.assignment).toBeUndefined();
  });

  test("a scope VM no scope host may take is infeasible without a solve", async () => {
    const input = tinyCluster(1, { vms: 3 });
    input.vms[0].vcpus = 8; // only the 8-core hosts 2 and 3 have the cores
    const p = problemOf(input);
    const start = Int32Array.from([2, 0, 1]);
    const scope = { vms: Int32Array.from([0, 1, 2]), hosts: Int32Array.from([0, 1]) };
    const r = await highs.solve(p, { timeLimitMs: 10_000, start, scope });
    expect(r.status).toBe("infeasible");
    expect(r.message).toMatch(/v0/);
  });

  test("stops at the time limit with a checked incumbent or none", async () => {
    const p = problemOf(generateCluster({ hosts: 50, vms: 200, seed: 3, mix: DEFAULT_MIX, placed: false, scheduler: "both" }));
    const r = await highs.solve(p, { timeLimitMs: 1500 });
    expect(["feasible", "timeout"]).toContain(r.status);
    if (r.status === "feasible") {
      expect(violations(p, r.assignment!)).toEqual([]);
      expect(checked(p, r.assignment!)).toEqual([]);
      expect(r.dualBound!).toBeLessThanOrEqual(r.objective! + 1e-9);
    } else expect(r.assignment).toBeUndefined();
  }, 30_000);

  test("refuses a model above its size limit instead of risking the 2 GiB heap", async () => {
    const small = createHighsSolver(threadSolverWorkers, { maxColumns: 10 });
    const r = await small.solve(problemOf(tinyCluster(1, { vms: 6 })), { timeLimitMs: 1000 });
    expect(r.status).toBe("error");
    expect(r.message).toMatch(/too large/);
  });

  test("the watchdog terminates a worker that never answers", async () => {
    const stuck = createHighsSolver(threadSolverWorkers, { graceMs: 100 }, { hang: true });
    const r = await stuck.solve(problemOf(tinyCluster(1, { vms: 4 })), { timeLimitMs: 200 });
    expect(r.status).toBe("timeout");
    expect(r.message).toMatch(/watchdog/);
  });

  test("an abort signal ends a running solve", async () => {
    const stuck = createHighsSolver(threadSolverWorkers, { graceMs: 60_000 }, { hang: true });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await stuck.solve(problemOf(tinyCluster(1, { vms: 4 })), { timeLimitMs: 60_000, signal: ac.signal });
    expect(r.status).toBe("timeout");
    expect(r.message).toMatch(/aborted/);
  });

  test("a warm worker killed by its watchdog is replaced for the next solve", async () => {
    const w = createHighsSolver(threadSolverWorkers, { warm: true, graceMs: 100 });
    const p = problemOf(tinyCluster(1, { vms: 5 }));
    expect((await w.solve(p, { timeLimitMs: 10_000 })).status).toBe("optimal");
    const hung = createHighsSolver(threadSolverWorkers, { warm: true, graceMs: 100 }, { hang: true });
    expect((await hung.solve(p, { timeLimitMs: 100 })).status).toBe("timeout");
    expect((await w.solve(p, { timeLimitMs: 10_000 })).status).toBe("optimal");
    await Promise.all([w.close(), hung.close()]);
  });

  test("solves a scope and leaves every VM outside it where the start put it", async () => {
    const p = problemOf(tinyCluster(5, { vms: 7 }));
    const bf = bruteForce(p);
    // Spread: VM j on host j mod 4; re-solve hosts 2 and 3 only.
    const start = Int32Array.from({ length: p.nVms }, (_, j) => j % 4);
    const vms = Int32Array.from([...start.keys()].filter((j) => start[j] >= 2));
    const env = new EnvelopeCache(p);
    const r = await warm.solve(p, { timeLimitMs: 10_000, start, scope: { vms, hosts: Int32Array.from([2, 3]) }, envelopes: env });
    expect(r.status).toBe("optimal");
    for (let j = 0; j < p.nVms; j++) if (start[j] < 2) expect(r.assignment![j]).toBe(start[j]);
    for (const j of vms) expect([2, 3]).toContain(r.assignment![j]);
    expect(cost(p, r.assignment!)).toBeGreaterThanOrEqual(bf.cost - 1e-9);
  });

  test("balance objective: the optimum's worst fill is the objective (heuristic-only at scale)", async () => {
    const input = tinyCluster(1, { vms: 5 });
    input.policy = { ...input.policy, objective: "balance" };
    const p = problemOf(input);
    const r = await warm.solve(p, { timeLimitMs: 10_000 });
    expect(r.status).toBe("optimal");
    const a = r.assignment!;
    expect(violations(p, a)).toEqual([]);
    expect(checked(p, a)).toEqual([]);
    let worst = 0;
    for (let i = 0; i < p.nHosts; i++) {
      const on = [...a.keys()].filter((j) => a[j] === i);
      const mem = on.reduce((s, j) => s + p.vmMemoryMiB[j], 0) / p.hostMemoryMiB[i];
      const cpu = on.reduce((s, j) => s + p.vmVcpus[j], 0) / p.hostVcpuCap[i];
      worst = Math.max(worst, mem, cpu);
    }
    expect(r.objective).toBeCloseTo(worst, 6);
  });
});

describe("xColumns", () => {
  test("counts exactly the x columns the model builds, with and without a scope", () => {
    const input = tinyCluster(2, { vms: 6, constraints: true });
    input.vms[0].vcpus = 8; // only the 8-core hosts may take it
    const p = problemOf(input);
    const xs = (m: ReturnType<typeof buildLinearModel>) => m.vars.filter((v) => v.name.startsWith("x")).length;
    expect(xColumns(p, {})).toBe(xs(buildLinearModel(p)));
    const scope = { vms: Int32Array.from([0, 2, 5]), hosts: Int32Array.from([1, 2]) };
    expect(xColumns(p, { scope })).toBe(xs(buildLinearModel(p, { scope })));
  });
});

describe("statusOf", () => {
  test.each([
    [7, true, "optimal"],
    [8, false, "infeasible"],
    [9, false, "infeasible"],
    [13, true, "feasible"],
    [13, false, "timeout"],
    [12, true, "feasible"],
    [4, false, "error"],
    [15, true, "error"],
  ] as const)("HiGHS model status %i (solution: %s) is %s", (code, has, want) => {
    expect(statusOf(code, has)).toBe(want);
  });
});
