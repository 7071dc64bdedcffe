import { RobustnessReportSchema } from "../../model/objectives.js";
import {
  migrationTaskOptions,
  MigrationsRequestSchema,
  parseMigrationsRequest,
  parsePlanRequest,
  parseRobustnessRequest,
  planTaskOptions,
  PlanRequestSchema,
  RobustnessRequestSchema,
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
withParser(RobustnessRequestSchema, parseRobustnessRequest);
named(RobustnessRequestSchema, "RobustnessRequest", "A cluster and a placement of it (default: its VMs' current hosts) to check for n+1 and headroom.");
named(RobustnessReportSchema, "RobustnessReport", "Whether the placement survives any one host failing and load growth: per host, its evacuation and the growth it absorbs.");

// The request options against the request's budget, shared with the worker that answers large bodies.
export { planTaskOptions } from "../plan/requests.js";

/** POST /v1/plan, /v1/migrations and /v1/check-robustness: the placer's and the migration planner's engines, in workers. */
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

  app.post("/v1/check-robustness", {
    config: { limited: true, offload: "robustness" },
    schema: {
      summary: "Check a placement for n+1 (any one host may fail) and headroom (every SLO at grown load); status incomplete when it fails",
      tags: ["plan"],
      body: RobustnessRequestSchema,
      response: { 200: RobustnessReportSchema, ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      if (isRawBody(request.body)) {
        await ctx.offload(reply, "robustness", request.body);
        return reply;
      }
      return ctx.runHeavy("robustness", request.body);
    },
  });
};
