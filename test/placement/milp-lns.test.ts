import seedrandom from "seedrandom";
import { afterAll, describe, expect, test } from "vitest";
import { DEFAULT_MIX, generateCluster } from "../../src/model/generate.js";
import { EnvelopeCache } from "../../src/placement/interference-cap.js";
import { buildLinearModel } from "../../src/placement/lp-rows.js";
import { closedScope, createLnsSolver, resolveHostsExactly } from "../../src/placement/solvers/milp-lns.js";
import { isRedundantLink, packModel } from "../../src/placement/solvers/milp-model.js";
import { linearObjective } from "../../src/placement/solvers/milp-start.js";
import { threadSolverWorkers } from "../../src/runtime/solver-workers.js";
import { problemOf } from "./helpers.js";
import { bruteForce, checked, cost, tinyCluster, violations } from "./milp-oracle.js";

const solver = createLnsSolver(threadSolverWorkers);
afterAll(() => solver.close());

describe("resolveHostsExactly (LNS)", () => {
  test("re-packs a spread plan of a tiny instance down to the optimum", async () => {
    const p = problemOf(tinyCluster(5, { vms: 7 }));
    const start = Int32Array.from({ length: p.nVms }, (_, j) => j % 4);
    const r = await resolveHostsExactly(p, start, [0, 1, 2, 3], 10_000, { solver });
    expect(r).toBeDefined();
    expect(violations(p, r!)).toEqual([]);
    expect(checked(p, r!)).toEqual([]);
    expect(cost(p, r!)).toBeCloseTo(bruteForce(p).cost, 6);
  });

  test("never worsens a plan and never touches VMs outside the chosen hosts", async () => {
    const p = problemOf(generateCluster({ hosts: 15, vms: 40, seed: 7, mix: DEFAULT_MIX, placed: false, scheduler: "both" }));
    const env = new EnvelopeCache(p);
    const rng = seedrandom.alea("lns-test");
    // A feasible but wasteful plan: round-robin over the hosts that the oracle accepts.
    let plan = roundRobin(p, env);
    let improved = 0;
    for (let step = 0; step < 6; step++) {
      const used = [...new Set(plan)];
      const hosts = used.filter(() => rng() < 0.4).slice(0, 4);
      if (hosts.length < 2) continue;
      const scope = closedScope(p, plan, hosts)!;
      const pm = packModel(buildLinearModel(p, { scope, envelopes: env }), isRedundantLink);
      const r = await resolveHostsExactly(p, plan, hosts, 10_000, { solver, envelopes: env });
      if (!r) continue;
      improved++;
      expect(linearObjective(pm, r)).toBeLessThan(linearObjective(pm, plan));
      expect(violations(p, r, env)).toEqual([]);
      expect(checked(p, r)).toEqual([]);
      for (let j = 0; j < p.nVms; j++) if (!hosts.includes(plan[j])) expect(r[j]).toBe(plan[j]);
      for (const j of scope.vms) expect(hosts).toContain(r[j]);
      expect(cost(p, r)).toBeLessThanOrEqual(cost(p, plan) + 1e-9);
      plan = r;
    }
    expect(improved).toBeGreaterThan(0);
  }, 60_000);

  test("an already optimal side model gives undefined", async () => {
    const p = problemOf(tinyCluster(5, { vms: 7 }));
    const best = bruteForce(p).assignment!;
    const hosts = [...new Set(best)];
    expect(await resolveHostsExactly(p, best, hosts, 10_000, { solver })).toBeUndefined();
  });

  test("a scope that would cut a hard affinity group in two is refused", async () => {
    const input = tinyCluster(1, { vms: 5 });
    input.constraints = [{ kind: "affinity", vms: ["v0", "v1"] }];
    const p = problemOf(input);
    const plan = Int32Array.from([0, 0, 1, 2, 3]);
    // v0 and v1 together on host 0: scope {0, 1} is closed, but a plan that split them is not.
    expect(closedScope(p, plan, [0, 1])).toBeDefined();
    expect(closedScope(p, Int32Array.from([0, 1, 1, 2, 3]), [0])).toBeUndefined();
    expect(await resolveHostsExactly(p, Int32Array.from([0, 1, 1, 2, 3]), [0], 1000, { solver })).toBeUndefined();
  });
});

/** roundRobin places VM j on the next host (cyclically) that keeps the oracle happy. */
function roundRobin(p: ReturnType<typeof problemOf>, env: EnvelopeCache): Int32Array {
  const a = new Int32Array(p.nVms).fill(-1);
  for (let j = 0, next = 0; j < p.nVms; j++) {
    for (let k = 0; k < p.nHosts; k++) {
      a[j] = (next + k) % p.nHosts;
      const partial = a.map((i, jj) => (jj <= j ? i : -1));
      if (violations(p, partial, env).filter((v) => !v.endsWith("unplaced")).length === 0) break;
      a[j] = -1;
    }
    next = (a[j] + 1) % p.nHosts;
    if (a[j] < 0) throw new Error(`round robin could not place vm ${j}`);
  }
  return a;
}
