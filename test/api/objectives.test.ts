import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { RobustnessReportSchema } from "../../src/model/objectives.js";
import { PlanSchema } from "../../src/model/plan.js";
import { expectError, post, sampleCluster, testApp } from "./helper.js";

let app: ZodApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.close());

const QUICK = { solver: "heuristic", iterations: 300, validate: false };

describe("objectives beyond cost through the API", () => {
  test("POST /v1/plan honours the cluster's policy: n+1, headroom and min-energy, with their sections", async () => {
    const c = sampleCluster();
    const cluster = { ...c, policy: { ...c.policy, objective: "min-energy", robustness: "n+1", headroomPercent: 20 } };
    const res = await post(app, "/v1/plan", { cluster, options: QUICK });
    expect(res.statusCode, res.body).toBe(200);
    const plan = PlanSchema.parse(res.json());
    expect(plan.objective).toBe("min-energy");
    expect(plan.robustness).toMatchObject({ mode: "n+1", headroomPercent: 20, robust: true });
    expect(plan.energy!.plan.watts).toBeGreaterThan(0);
  });

  test("POST /v1/check-robustness judges the current placement, or the one given", async () => {
    const current = await post(app, "/v1/check-robustness", { cluster: sampleCluster() });
    expect(current.statusCode, current.body).toBe(200);
    const report = RobustnessReportSchema.parse(current.json());
    expect(report.status).toBe(report.robustness.robust ? "ok" : "incomplete");
    const planned = await post(app, "/v1/plan", { cluster: { ...sampleCluster(), policy: { robustness: "n+1" } }, options: QUICK });
    const assignments = PlanSchema.parse(planned.json()).assignments;
    const given = RobustnessReportSchema.parse((await post(app, "/v1/check-robustness", { cluster: sampleCluster(), options: { assignments } })).json());
    expect(given).toMatchObject({ status: "ok", robustness: { robust: true, nPlusOne: { ok: true } } });
  });

  test("a placement naming unknown VMs or hosts is a 400 naming each", async () => {
    const res = await post(app, "/v1/check-robustness", { cluster: sampleCluster(), options: { assignments: [{ vm: "ghost", host: "h01" }, { vm: "web-1", host: "h99" }], headroomPercent: 900 } });
    const body = expectError(res, 400);
    expect(body.problems!.map((p) => p.path)).toEqual(["options.headroomPercent"]);
    const ids = expectError(await post(app, "/v1/check-robustness", { cluster: sampleCluster(), options: { assignments: [{ vm: "ghost", host: "h01" }, { vm: "web-1", host: "h99" }] } }), 400);
    expect(ids.problems!.map((p) => p.path)).toEqual(["options.assignments[0].vm", "options.assignments[1].host"]);
  });
});
