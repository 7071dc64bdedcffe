import { describe, expect, test } from "vitest";
import { PlanSchema } from "../../src/model/plan.js";
import { defaultSoftPenalty } from "../../src/placement/lp-rows.js";
import { planCluster } from "../../src/placement/plan.js";
import { buildProblem } from "../../src/placement/problem.js";
import { objectiveOf } from "../../src/placement/solvers/local-search.js";
import { PlacementState } from "../../src/placement/state.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { cluster, predictor, sampleCluster } from "./helpers.js";
import { randomCluster } from "./random-cluster.js";

const validation = { runner: inlineRunner, durationMs: 500, warmupMs: 200, maxRounds: 2 };

describe("planCluster", () => {
  test("same seed and iterations give byte-identical plan JSON (validation included)", async () => {
    const c = sampleCluster();
    const run = async () => JSON.stringify(await planCluster(c, predictor(), { solver: "heuristic", iterations: 1500, validation }));
    const a = await run();
    expect(await run()).toBe(a);
    const plan = PlanSchema.parse(JSON.parse(a));
    expect(plan.timings).toBeUndefined();
    expect(plan.solver.stoppedOn).toMatch(/iterations|bound-met|stalled/);
  }, 60_000);

  test("the sample's plan is complete, checked, bounded and explained", async () => {
    const c = sampleCluster();
    const plan = PlanSchema.parse(await planCluster(c, predictor(), { solver: "heuristic", iterations: 1500 }));
    expect(plan.assignments).toHaveLength(c.vms.length);
    expect(plan.check).toMatchObject({ ok: true, violations: [] });
    expect(plan.counts).toMatchObject({ vms: c.vms.length, placed: c.vms.length, unplaced: 0, minUnplaced: 0, violations: 0 });
    expect(plan.cost).toBeGreaterThanOrEqual(plan.lowerBound);
    expect(plan.gap).toBeCloseTo((plan.cost - plan.lowerBound) / plan.lowerBound, 5);
    expect(plan.slo.predictedBreaches).toBe(0);
    expect(plan.explanations).toHaveLength(c.vms.length);
    for (const e of plan.explanations) expect(e.runnerUp?.host).not.toBe(e.host);
    expect(plan.validation).toMatchObject({ performed: false, rounds: 0 });
  }, 60_000);

  test("a stop on the wall clock is reported as budget, with timings", async () => {
    let t = 0;
    const now = () => (t += 5);
    const plan = await planCluster(sampleCluster(), predictor(), { solver: "heuristic", timeBudgetMs: 400, now, explain: false });
    expect(["budget", "bound-met", "stalled"]).toContain(plan.solver.stoppedOn);
    expect(plan.timings?.totalMs).toBeGreaterThan(0);
  });

  test("an unplaceable VM is reported with its proof and what blocks it on each host type; the check is not ok", async () => {
    const doc = randomCluster(2, 3, 6, { constraints: false });
    // Hard anti-affinity over more VMs than hosts: one of them cannot be placed.
    doc.constraints = [{ kind: "anti-affinity", vms: ["vm0", "vm1", "vm2", "vm3"] }];
    const plan = await planCluster(cluster(doc), predictor(), { solver: "heuristic", iterations: 300 });
    expect(plan.unplaced).toHaveLength(1);
    const [u] = plan.unplacedReasons;
    expect(u.vm).toBe(plan.unplaced[0]);
    expect(u.proof).toBe("set");
    expect(u.reason).toEqual({ kind: "anti-affinity-exceeds-hosts", constraint: "constraints[0]", members: 4, hosts: 3, minUnplaced: 1 });
    expect(u.byHostType.length).toBeGreaterThan(0);
    expect(u.byHostType.flatMap((t) => t.reasons.map((r) => r.constraint))).toContain("AntiAffinity");
    expect(plan.check.ok).toBe(false);
    expect(plan.check.violations).toEqual([{ constraint: "unplaced", vms: [u.vm] }]);
    expect(plan.counts).toMatchObject({ unplaced: 1, minUnplaced: 1, violations: 0 });
    expect(plan.gap).toBeUndefined();
    expect(plan.provedOptimal).toBe(false);
  });
});

describe("objectives", () => {
  test.each(["balance", "min-risk"] as const)("%s plans are checked and beat the min-cost plan on their own objective", async (objective) => {
    // 10 hosts: every VM fits (with 8 the memory demand is 133% of capacity), so the plans compared are complete.
    const base = randomCluster(5, 10, 40);
    const plan = (o: typeof objective | "min-cost") => planCluster(cluster({ ...base, policy: { ...base.policy, objective: o } }), predictor(), { solver: "heuristic", iterations: 3000, explain: false });
    const mine = await plan(objective);
    const cost = await plan("min-cost");
    expect(mine.check.ok).toBe(true);
    expect(mine.objective).toBe(objective);
    expect(mine.unplaced).toEqual([]);
    expect(cost.unplaced).toEqual([]);
    expect(mine.objectiveValue).toBeLessThanOrEqual(objectiveUnder(objective, cost) + 1e-9);
    expect(mine.cost).toBeGreaterThanOrEqual(cost.cost - 1e-9);
  });
});

/** objectiveUnder re-scores a plan under another objective through the placer's own state. */
function objectiveUnder(objective: "balance" | "min-risk", plan: Awaited<ReturnType<typeof planCluster>>): number {
  const base = randomCluster(5, 10, 40);
  const c = cluster({ ...base, policy: { ...base.policy, objective } });
  const p = buildProblem(c, predictor());
  const hostOf = new Map(plan.assignments.map((a) => [a.vm, a.host]));
  const s = PlacementState.fromAssignment(p, Int32Array.from(p.vms, (v) => p.hosts.findIndex((h) => h.id === hostOf.get(v.id))));
  return objectiveOf(s, defaultSoftPenalty(p));
}
