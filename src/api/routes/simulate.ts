import { HostSimResultSchema, ScenarioSchema } from "../../model/scenario.js";
import { isRawBody } from "../offload.js";
import { ERROR_RESPONSES } from "../schemas.js";
import type { RouteModule } from "./types.js";

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
