import { HostSimResultSchema, ScenarioSchema } from "../../model/scenario.js";
import { parseScenario } from "../../sim/simulable.js";
import { isRawBody } from "../offload.js";
import { ERROR_RESPONSES } from "../schemas.js";
import { withParser } from "../validation.js";
import type { RouteModule } from "./types.js";

// The CLI's check too: a scheduler kind the simulator has no policy for is a 400 naming
// host.scheduler.kind, not a 500 from the worker.
withParser(ScenarioSchema, parseScenario);

/** POST /v1/simulate: one host's discrete-event simulation, on the service's simulation backend. */
export const simulateRoutes: RouteModule = (app, ctx) => {
  app.post("/v1/simulate", {
    config: { limited: true, offload: "simulate" },
    schema: {
      summary: "Simulate one host's CPU scheduler: per-VM latency percentiles and CPU shares",
      tags: ["simulate"],
      body: ScenarioSchema,
      response: { 200: HostSimResultSchema, ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      if (isRawBody(request.body)) {
        await ctx.offload(reply, "simulate", request.body);
        return reply;
      }
      return ctx.simulate(request.body);
    },
  });
};
