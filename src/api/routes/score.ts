import { ClusterSchema } from "../../model/cluster.js";
import { PlacementScoreSchema } from "../../interference/current-placement.js";
import { scoreCurrentPlacement } from "../../placement/score-placement.js";
import { isRawBody } from "../offload.js";
import { ERROR_RESPONSES } from "../schemas.js";
import type { RouteModule } from "./types.js";

/**
 * POST /v1/score: interference risk and hard-constraint violations of the cluster's current
 * placement, with its status (as `vmplace score --json`). Scoring is linear in the
 * VMs and takes a few ms for 1,000 VMs, less than a round trip to a worker would cost with the
 * document cloned across, so it runs on the event loop; a large body is parsed, checked and
 * scored in a worker instead (offload.ts), where the 100-300 ms of a 10,000-VM cluster stall nothing.
 */
export const scoreRoutes: RouteModule = (app, ctx) => {
  app.post("/v1/score", {
    config: { limited: true, offload: "score" },
    schema: {
      summary: "Score the current placement: status, per-host risk, each latency-sensitive VM's predicted tail against its SLO, hard violations",
      tags: ["score"],
      body: ClusterSchema,
      response: { 200: PlacementScoreSchema, ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      if (isRawBody(request.body)) {
        await ctx.offload(reply, "score", request.body);
        return reply;
      }
      return scoreCurrentPlacement(request.body, ctx.predictor);
    },
  });
};
