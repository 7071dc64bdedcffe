import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { planTaskOptions } from "../../src/api/routes/plan.js";
import type { ZodApp } from "../../src/api/routes/types.js";
import { expectError, post, sampleCluster, testApp } from "./helper.js";

// Heuristic search with an iteration budget: fast and the same plan every time.
const QUICK = { solver: "heuristic", iterations: 300, validate: false };

interface PlanBody {
  assignments: { vm: string; host: string }[];
  unplaced: string[];
  check: { ok: boolean };
  validation: { performed: boolean; hostsSimulated: number };
  cost: number;
  lowerBound: number;
}

let app: ZodApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.close());

describe("POST /v1/plan", () => {
  test("places every VM, with its cost, lower bound and an independent check, in a worker", async () => {
    const res = await post(app, "/v1/plan", { cluster: sampleCluster(), options: QUICK });
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json<PlanBody>();
    expect(plan.assignments.length + plan.unplaced.length).toBe(40);
    expect(plan.check.ok).toBe(true);
    expect(plan.cost).toBeGreaterThanOrEqual(plan.lowerBound);
  });

  test("same cluster, seed and iterations: the same plan, byte for byte", async () => {
    const [a, b] = await Promise.all([post(app, "/v1/plan", { cluster: sampleCluster(), options: QUICK }), post(app, "/v1/plan", { cluster: sampleCluster(), options: QUICK })]);
    expect(a.body).toBe(b.body);
  });

  test("validation re-simulates the hosts of the plan when asked", async () => {
    const res = await post(app, "/v1/plan", { cluster: sampleCluster(), options: { ...QUICK, validate: true, validateDurationMs: 300 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PlanBody>().validation).toMatchObject({ performed: true });
  });

  test("problems in the cluster and the options come back together", async () => {
    const c = sampleCluster() as { vms: Record<string, unknown>[] };
    c.vms[0] = { ...c.vms[0], vcpus: -1 };
    const body = expectError(await post(app, "/v1/plan", { cluster: c, options: { solver: "magic", iterations: -1 } }), 400, "INVALID_INPUT");
    expect(body.problems!.map((p) => p.path)).toEqual(["cluster.vms[0].vcpus", "options.solver", "options.iterations"]);
  });

  test("a missing cluster is a 400 naming it", async () => {
    expect(expectError(await post(app, "/v1/plan", { options: QUICK }), 400).problems!.map((p) => p.path)).toEqual(["cluster"]);
  });

  test("the search gets at most half the request's budget, so the plan (not a 504) runs out of time", () => {
    const o = { solver: "auto", validate: true, validateDurationMs: 3000, explain: true } as const;
    expect(planTaskOptions({ ...o, timeBudgetMs: 60_000 }, 10_000, 30_000).timeBudgetMs).toBe(15_000);
    expect(planTaskOptions(o, 10_000, 30_000).timeBudgetMs).toBe(10_000);
    expect(planTaskOptions({ ...o, validate: false }, 10_000, 30_000).validation).toBeUndefined();
  });
});

describe("POST /v1/migrations", () => {
  test("recommends moves that fix the sample's SLO breach, in waves", async () => {
    const res = await post(app, "/v1/migrations", { cluster: sampleCluster() });
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json<{ kind: string; moves: { vmId: string; kind: string }[]; waves: unknown[]; summary: { before: { breaches: number }; after: { breaches: number } } }>();
    expect(plan.kind).toBe("vmplace/migration-plan");
    expect(plan.moves.length).toBeGreaterThan(0);
    expect(plan.waves.length).toBeGreaterThan(0);
    expect(plan.summary.after.breaches).toBeLessThan(plan.summary.before.breaches);
  });

  test("evacuating a host that does not exist is a 400 at options.host", async () => {
    const body = expectError(await post(app, "/v1/migrations", { cluster: sampleCluster(), options: { mode: "evacuate", host: "h99" } }), 400, "INVALID_INPUT");
    expect(body.problems!.map((p) => p.path)).toEqual(["options.host"]);
  });

  test("a cluster with no current placement has nothing to migrate: 400 at cluster.vms", async () => {
    const c = sampleCluster() as { vms: Record<string, unknown>[] };
    for (const v of c.vms) delete v.host;
    const body = expectError(await post(app, "/v1/migrations", { cluster: c }), 400, "INVALID_INPUT");
    expect(body.problems!.map((p) => p.path)).toEqual(["cluster.vms"]);
  });
});
