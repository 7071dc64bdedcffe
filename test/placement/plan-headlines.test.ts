import { afterAll, describe, expect, test } from "vitest";
import type { Cluster } from "../../src/model/cluster.js";
import { DEFAULT_MIX, generateCluster } from "../../src/model/generate.js";
import { PlanSchema, type Plan } from "../../src/model/plan.js";
import { planCluster } from "../../src/placement/plan.js";
import { createHighsSolver } from "../../src/placement/solvers/milp.js";
import { threadSolverWorkers } from "../../src/runtime/solver-workers.js";
import { cluster, predictor, sampleCluster } from "./helpers.js";

// The worker loads dist/ (the runtime's worker scripts): `npm test` builds it first.
const highs = createHighsSolver(threadSolverWorkers);
afterAll(() => highs.close());
const now = (): number => performance.now();

/** Latency-sensitive VMs on 4 small hosts: HiGHS proves its conservative model optimal above the bound. */
const conservative = (): Cluster => cluster(generateCluster({ hosts: 4, vms: 10, seed: 10, mix: DEFAULT_MIX, placed: false, scheduler: "both" }));

/** expectConsistent: the headline claims a plan may make together. */
function expectConsistent(plan: Plan): void {
  expect(plan.gap).toBeGreaterThanOrEqual(0);
  expect(plan.provedOptimal).toBe(plan.gap === 0 && plan.softViolations === 0);
  if (plan.solver.stoppedOn === "optimal") expect(plan.gap).toBe(0);
  if (plan.solver.exactStatus === "optimal" && plan.gap! > 0) expect(plan.solver.stoppedOn).toBe("model-optimal");
  for (const b of plan.boundSources.filter((x) => x.valid)) expect(b.value).toBeLessThanOrEqual(plan.cost + 1e-9);
  expect(plan.boundSources.find((b) => b.source === plan.lowerBoundSource)?.valid).toBe(true);
}

describe("plan headlines never contradict themselves (issue 11, item 5)", () => {
  test("HiGHS optimal for its conservative model, gap above zero: 'model-optimal', not 'optimal', and its dual bound is listed as no bound", async () => {
    const plan = PlanSchema.parse(await planCluster(conservative(), predictor(), { solver: "milp", exact: highs, timeBudgetMs: 6000, now, explain: false }));
    expect(plan.solver.exactStatus).toBe("optimal");
    expect(plan.gap).toBeGreaterThan(0);
    expect(plan.solver.stoppedOn).toBe("model-optimal");
    expect(plan.provedOptimal).toBe(false);
    expect(plan.boundSources.find((b) => b.source === "highs-dual")).toMatchObject({ valid: false, detail: expect.stringMatching(/not a bound on cost/) });
    expectConsistent(plan);
  }, 30_000);

  test("the sample's plan (main: 'stopped on optimal', 'HiGHS: optimal' and 'gap 7.1%' together) claims only what its bound proves", async () => {
    const plan = PlanSchema.parse(await planCluster(sampleCluster(), predictor(), { solver: "auto", exact: highs, timeBudgetMs: 6000, now, explain: false }));
    expectConsistent(plan);
  }, 30_000);

  test("--solver milp answered by the heuristics says why: the model is over the backend's size limit", async () => {
    const small = createHighsSolver(threadSolverWorkers, { maxColumns: 20 });
    const plan = await planCluster(conservative(), predictor(), { solver: "milp", exact: small, timeBudgetMs: 3000, now, explain: false });
    await small.close();
    expect(plan.solver.requested).toBe("milp");
    expect(plan.solver.used).toBe("heuristic");
    expect(plan.solver.fallback).toMatchObject({ reason: "size", detail: expect.stringMatching(/model too large for HiGHS .*limit 20\)/) });
  }, 30_000);

  // plan --iterations --deterministic promises no wall-clock number in the plan: when the clock still
  // ends HiGHS first, its fallback says "the time budget", not the milliseconds this run had left.
  test("a count budget the clock still cuts short: the fallback names the budget, not this run's milliseconds", async () => {
    const big = cluster(generateCluster({ hosts: 60, vms: 500, seed: 7, mix: DEFAULT_MIX, placed: false, scheduler: "both" }));
    const plan = await planCluster(big, predictor(), { solver: "milp", exact: highs, timeBudgetMs: 3000, iterations: 100_000, now, explain: false });
    expect(plan.solver.fallback?.reason).toBe("time-limit");
    expect(plan.solver.fallback?.detail).toMatch(/within the time budget/);
    expect(plan.solver.fallback?.detail).not.toMatch(/\d ms/);
  }, 60_000);
});
