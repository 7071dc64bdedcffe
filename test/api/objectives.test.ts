import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { PlacementScoreSchema } from "../../src/interference/current-placement.js";
import { MigrationPlanSchema } from "../../src/model/migration.js";
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

  // The sample's eight web VMs as one service at fan-out 8 with a 3 ms p99: web-3 on the Bobtail
  // host h07 takes the service over its SLO in the current placement.
  const withService = (policy: Record<string, unknown> = {}) => {
    const c = sampleCluster();
    const web = Array.from({ length: 8 }, (_, k) => `web-${k + 1}`);
    return { ...c, policy: { ...c.policy, ...policy }, services: [{ id: "web", vms: web, fanout: 8, slo: { p99Ms: 3 } }] };
  };

  test("POST /v1/score reports the service's tail and counts its breach in the status", async () => {
    const score = PlacementScoreSchema.parse((await post(app, "/v1/score", withService())).json());
    expect(score.services).toMatchObject([{ id: "web", breach: true }]);
    expect(score.reasons.map((r) => r.message)).toContain("1 fan-out service(s) over their SLO (web)");
  });

  test("POST /v1/plan keeps the service within its SLO and reports its tail", async () => {
    const plan = PlanSchema.parse((await post(app, "/v1/plan", { cluster: withService(), options: QUICK })).json());
    const [s] = plan.services!;
    expect(s).toMatchObject({ id: "web", vms: 8, fanout: 8, breach: false });
    expect(s.predictedP99Us).toBeLessThanOrEqual(3000);
    expect(plan.status).toBe("ok");
  });

  test("POST /v1/migrations under min-energy: consolidation switches hosts off, the service's breach is fixed on the way", async () => {
    const res = await post(app, "/v1/migrations", { cluster: withService({ objective: "min-energy" }), options: { mode: "consolidate", threshold: 5 } });
    expect(res.statusCode, res.body).toBe(200);
    const m = MigrationPlanSchema.parse(res.json());
    const e = m.energy!;
    expect(e.powerOff.length).toBeGreaterThan(0);
    expect(e.after.hostsOn).toBe(e.before.hostsOn - e.powerOff.length);
    expect(e.after.watts).toBeLessThan(e.before.watts);
    for (const off of e.powerOff) {
      // Emptied whole: every VM it held leaves, none arrives.
      expect(m.moves.filter((x) => x.from === off.host).length).toBe(off.vms);
      expect(m.moves.some((x) => x.to === off.host)).toBe(false);
    }
    expect(m.services![0].before.breach).toBe(true);
    expect(m.services![0].after.breach).toBe(false);
  }, 60_000);
});
