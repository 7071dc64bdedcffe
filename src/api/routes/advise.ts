import { AdviceSchema } from "../../model/advice.js";
import { AdviceRequestSchema, adviceSettingsOf, parseAdviceRequest } from "../advise/request.js";
import { isRawBody } from "../offload.js";
import { ERROR_RESPONSES, named } from "../schemas.js";
import { withParser } from "../validation.js";
import type { RouteModule } from "./types.js";

// The CLI's checks: parseCluster, the settings schema and adviceProblems (an unknown host, a
// host with no VM, a cluster with no placed VM) in one 400 listing every problem.
withParser(AdviceRequestSchema, parseAdviceRequest);
named(AdviceRequestSchema, "AdviceRequest", "A cluster whose VMs carry their current host, optionally the host to advise, and simulation options.");
named(AdviceSchema, "Advice", "Per breached host: a scheduler upgrade, parameters, weights, slices, caps and moves, each simulated, and the recommended one with its reason.");

/**
 * POST /v1/advise: the what-if advisor (`vmplace advise`). It simulates every option of every
 * breached host (seconds per host), so it always runs in a worker, on the service's simulation
 * backend (inline there, or the Redis queue with `serve --redis`), within the request's budget.
 */
export const adviseRoutes: RouteModule = (app, ctx) => {
  app.post("/v1/advise", {
    config: { limited: true, offload: "advise" },
    schema: {
      summary: "Weigh scheduler tuning against migrations for each host with an SLO breach, by simulation, and recommend one",
      tags: ["advise"],
      body: AdviceRequestSchema,
      response: { 200: AdviceSchema, ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      if (isRawBody(request.body)) {
        await ctx.offload(reply, "advise", request.body);
        return reply;
      }
      return ctx.runHeavy("advise", { cluster: request.body.cluster, settings: adviceSettingsOf(request.body) });
    },
  });
};
