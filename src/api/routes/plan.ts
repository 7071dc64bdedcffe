import {
  migrationTaskOptions,
  MigrationsRequestSchema,
  parseMigrationsRequest,
  parsePlanRequest,
  planTaskOptions,
  PlanRequestSchema,
} from "../plan/requests.js";
import { isRawBody } from "../offload.js";
import { ERROR_RESPONSES, named } from "../schemas.js";
import { MigrationAnswerSchema, migrationAnswer, PlanAnswerSchema, planAnswer } from "../status.js";
import { withParser } from "../validation.js";
import type { RouteModule } from "./types.js";

withParser(PlanRequestSchema, parsePlanRequest);
withParser(MigrationsRequestSchema, parseMigrationsRequest);
named(PlanRequestSchema, "PlanRequest", "A cluster to place from scratch, and plan options.");
named(PlanAnswerSchema, "Plan", "Assignments, cost, lower bound and gap, per-host risk, validation by re-simulation, explanations.");
named(MigrationsRequestSchema, "MigrationsRequest", "A cluster whose VMs carry their current host, and migration options.");
named(MigrationAnswerSchema, "MigrationPlan", "Ordered live migrations in safe waves, each with why this VM and why this target.");

// The request options against the request's budget, shared with the worker that answers large bodies.
export { planTaskOptions } from "../plan/requests.js";

/** POST /v1/plan and /v1/migrations: the placer's and the migration planner's engines, in workers. */
export const planRoutes: RouteModule = (app, ctx) => {
  app.post("/v1/plan", {
    config: { limited: true, offload: "plan" },
    schema: {
      summary: "Place every VM of a cluster: cost, lower bound and gap, per-host risk, validated by re-simulation",
      tags: ["plan"],
      body: PlanRequestSchema,
      response: { 200: PlanAnswerSchema, ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      if (isRawBody(request.body)) {
        await ctx.offload(reply, "plan", request.body);
        return reply;
      }
      const { cluster, options } = request.body;
      return planAnswer(await ctx.runHeavy("plan", { cluster, options: planTaskOptions(options, cluster.policy.timeBudgetMs, ctx.limits.requestTimeoutMs) }));
    },
  });

  app.post("/v1/migrations", {
    config: { limited: true, offload: "migrations" },
    schema: {
      summary: "Recommend live migrations from the current placement, ordered into safe waves",
      tags: ["migrations"],
      body: MigrationsRequestSchema,
      response: { 200: MigrationAnswerSchema, ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      if (isRawBody(request.body)) {
        await ctx.offload(reply, "migrations", request.body);
        return reply;
      }
      const { cluster, options } = request.body;
      return migrationAnswer(await ctx.runHeavy("migrate", { cluster, options: migrationTaskOptions(options, ctx.limits.requestTimeoutMs) }));
    },
  });
};
