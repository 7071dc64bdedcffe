import { afterAll, describe, expect, test } from "vitest";
import { PlanSchema } from "../../src/model/plan.js";
import { planCluster } from "../../src/placement/plan.js";
import { createHighsSolver } from "../../src/placement/solvers/milp.js";
import { predictor, sampleCluster } from "./helpers.js";

// The worker loads dist/ (see milp-run-worker.ts): `npm test` builds it first.
const highs = createHighsSolver();
afterAll(() => highs.close());
const now = (): number => performance.now();

describe("plan headlines never contradict themselves (issue 11, item 5)", () => {
  test("the sample's plan: 'optimal' only at a zero gap to a valid bound; HiGHS's bound on its conservative model is listed as no bound", async () => {
    const plan = PlanSchema.parse(await planCluster(sampleCluster(), predictor(), { solver: "auto", exact: highs, timeBudgetMs: 6000, now, explain: false }));
    expect(plan.solver.exactStatus).toBeDefined();
    const dual = plan.boundSources.find((b) => b.source === "highs-dual");
    // The sample's latency-sensitive VMs make the interference rows bind: HiGHS's model is conservative.
    if (dual) expect(dual.valid).toBe(false);
    expect(plan.lowerBoundSource).not.toBe("highs-dual");
    expect(plan.gap).toBeGreaterThanOrEqual(0);
    expect(plan.provedOptimal).toBe(plan.gap === 0);
    expect(plan.solver.stoppedOn === "optimal").toBe(plan.solver.exactStatus === "optimal" && plan.gap === 0);
    if (plan.solver.exactStatus === "optimal" && plan.gap! > 0) expect(plan.solver.stoppedOn).toBe("model-optimal");
    for (const b of plan.boundSources.filter((x) => x.valid)) expect(b.value).toBeLessThanOrEqual(plan.cost + 1e-9);
  }, 30_000);

  test("--solver milp answered by the heuristics says why: the model is over the backend's size limit", async () => {
    const small = createHighsSolver({ maxColumns: 50 });
    const plan = await planCluster(sampleCluster(), predictor(), { solver: "milp", exact: small, timeBudgetMs: 3000, now, explain: false });
    await small.close();
    expect(plan.solver.requested).toBe("milp");
    expect(plan.solver.used).toBe("heuristic");
    expect(plan.solver.fallback).toMatchObject({ reason: "size", detail: expect.stringMatching(/model too large for HiGHS .*limit 50/) });
  }, 30_000);
});
