import { MigrationPlanSchema } from "../../model/migration.js";
import { PlanSchema } from "../../model/plan.js";
import { MigrationsRequestSchema, parseMigrationsRequest, parsePlanRequest, PlanRequestSchema, type PlanOptions } from "../plan/requests.js";
import { ERROR_RESPONSES, named } from "../schemas.js";
import { withParser } from "../validation.js";
import type { PlanTaskOptions } from "../work/tasks.js";
import type { RouteModule } from "./types.js";

withParser(PlanRequestSchema, parsePlanRequest);
withParser(MigrationsRequestSchema, parseMigrationsRequest);
named(PlanRequestSchema, "PlanRequest", "A cluster to place from scratch, and plan options.");
named(PlanSchema, "Plan", "Assignments, cost, lower bound and gap, per-host risk, validation by re-simulation, explanations.");
named(MigrationsRequestSchema, "MigrationsRequest", "A cluster whose VMs carry their current host, and migration options.");
named(MigrationPlanSchema, "MigrationPlan", "Ordered live migrations in safe waves, each with why this VM and why this target.");

// Validation warm-up, in simulated ms, and rounds: as `vmplace plan` runs it.
const VALIDATE_WARMUP_MS = 1000;
const VALIDATE_ROUNDS = 3;
/** Share of the request's budget the search may use; the rest is for validation and the reply. */
const SEARCH_SHARE = 0.5;

/** planTaskOptions caps the search so the plan, not the request's 504, is what runs out of time. */
export function planTaskOptions(o: PlanOptions, policyBudgetMs: number, requestBudgetMs: number): PlanTaskOptions {
  return {
    solver: o.solver,
    seed: o.seed,
    timeBudgetMs: Math.max(1, Math.min(o.timeBudgetMs ?? policyBudgetMs, Math.floor(requestBudgetMs * SEARCH_SHARE))),
    iterations: o.iterations,
    explain: o.explain,
    validation: o.validate ? { durationMs: o.validateDurationMs, warmupMs: VALIDATE_WARMUP_MS, maxRounds: VALIDATE_ROUNDS } : undefined,
  };
}

/** POST /v1/plan and /v1/migrations: the placer's and the migration planner's engines, in workers. */
export const planRoutes: RouteModule = (app, ctx) => {
  app.post("/v1/plan", {
    config: { limited: true },
    schema: {
      summary: "Place every VM of a cluster: cost, lower bound and gap, per-host risk, validated by re-simulation",
      tags: ["plan"],
      body: PlanRequestSchema,
      response: { 200: PlanSchema, ...ERROR_RESPONSES },
    },
    handler: async (request) => {
      const { cluster, options } = request.body;
      return ctx.runHeavy("plan", { cluster, options: planTaskOptions(options, cluster.policy.timeBudgetMs, ctx.limits.requestTimeoutMs) });
    },
  });

  app.post("/v1/migrations", {
    config: { limited: true },
    schema: {
      summary: "Recommend live migrations from the current placement, ordered into safe waves",
      tags: ["migrations"],
      body: MigrationsRequestSchema,
      response: { 200: MigrationPlanSchema, ...ERROR_RESPONSES },
    },
    handler: async (request) => {
      const { cluster, options } = request.body;
      // The planner stops itself on its budget and says so; keep that inside the request's.
      const timeBudgetMs = Math.max(1, Math.min(options.timeBudgetMs, Math.floor(ctx.limits.requestTimeoutMs * 0.8)));
      return ctx.runHeavy("migrate", { cluster, options: { ...options, timeBudgetMs } });
    },
  });
};
