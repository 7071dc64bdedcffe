import { beforeAll, describe, expect, test } from "vitest";
import type { Plan } from "../../src/model/plan.js";
import { planCluster } from "../../src/placement/plan.js";
import { renderPlan } from "../../src/cli/render-plan.js";
import { gapText, solverText, stopText } from "../../src/report/plan-text.js";
import { renderDocument } from "../../src/report/render.js";
import { runCli } from "../helpers/cli.js";
import { file, predictor } from "../migrate/helpers.js";

const sample = file("data/sample-cluster.json");
let base: Plan;

beforeAll(async () => {
  base = await planCluster(sample, predictor(), { iterations: 300, seed: 1 });
});

/** Every rendering of a plan: the terminal summary, Markdown and HTML. */
const renderings = (p: Plan): string[] => [renderPlan(p, 8), renderDocument({ kind: "plan", doc: p }, "md"), renderDocument({ kind: "plan", doc: p }, "html")];

describe("plan headlines never contradict themselves", () => {
  // The sample's MILP plan: HiGHS proves its conservative model optimal at cost 3, the valid bound is 2.8.
  const modelOptimal = (): Plan => ({
    ...base,
    cost: 3,
    lowerBound: 2.8,
    gap: 0.071429,
    solver: { ...base.solver, requested: "auto", used: "milp", stoppedOn: "optimal", exactStatus: "optimal", note: "optimal" },
    boundSources: [
      { source: "closed-form", value: 2.8, detail: "cover (cover 2.8, lp 2.5, spread 1.4)" },
      { source: "highs-dual", value: 3, detail: "dual bound of the linear model (conservative interference or soft penalties): not a bound on cost" },
    ],
  });

  test("'optimal' with a non-zero gap is never said: the plan is 'within 7.1% of optimal', the card says which bound", () => {
    const p = modelOptimal();
    for (const text of renderings(p)) {
      expect(text).not.toMatch(/stopped on optimal|HiGHS: optimal|optimality gap|\(optimal\)/);
      expect(text).toMatch(/within 7\.1% of optimal/);
    }
    expect(renderPlan(p, 8)).toMatch(/bound highs-dual 3: not a bound on cost, not used/);
    expect(renderPlan(p, 8)).toMatch(/bound closed-form 2\.8: valid/);
    expect(renderDocument({ kind: "plan", doc: p }, "html")).toMatch(/gap to the valid lower bound \(within 7\.1% of optimal\)/);
  });

  test("'optimal' is said when the cost meets a valid bound", () => {
    const p: Plan = { ...modelOptimal(), cost: 2.8, gap: 0 };
    expect(stopText(p)).toBe("stopped: proved optimal (the cost meets the lower bound)");
    expect(gapText(p)).toBe("gap 0.0% to the valid lower bound 2.8 (optimal)");
  });

  test("with VMs unplaced there is no gap to speak of, never a negative one", () => {
    const p: Plan = { ...base, unplaced: ["x", "y"], gap: -0.2 };
    for (const text of renderings(p)) expect(text).not.toMatch(/gap -|-20(\.0)?%/);
    expect(gapText(p)).toMatch(/^no gap: 2 VM\(s\) are unplaced, so the cost leaves them out/);
  });

  test("a requested MILP that fell back says so, and why", () => {
    const p: Plan = { ...base, solver: { ...base.solver, requested: "milp", used: "heuristic", stoppedOn: "budget", exactStatus: "timeout", note: "time limit reached" } };
    expect(solverText(p)).toMatch(/^solver heuristic, requested milp .*; fell back to the heuristic search: HiGHS found no plan within its time \(time limit reached\)$/);
  });

  test("no runner-up outscores the chosen host; a host that scores higher is shown with its cost change", () => {
    let outscored = 0;
    for (const e of base.explanations) {
      if (e.runnerUp?.total !== undefined) expect(e.runnerUp.total, e.vm).toBeLessThanOrEqual(e.total);
      if (e.outscoredBy) {
        outscored++;
        expect(e.outscoredBy.total, e.vm).toBeGreaterThan(e.total);
      }
    }
    expect(outscored).toBeGreaterThan(0);
    expect(renderDocument({ kind: "plan", doc: base }, "md")).toMatch(/\| scores higher \(plan cost if moved there\) \|/);
  });
});

describe("--solver milp on a 1,000-VM cluster", () => {
  test("says HiGHS ran out of time and the heuristic plan was used", () => {
    const r = runCli(["plan", "data/generated-medium.json", "--solver", "milp", "--time-budget", "3s", "--no-validate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^solver heuristic, requested milp .*fell back to the heuristic search: HiGHS (found no plan within its time|ran out of time)/m);
  }, 120_000);
});
