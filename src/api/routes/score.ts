import { ClusterSchema } from "../../model/cluster.js";
import { scoreCluster, ScoreReportSchema } from "../../interference/score.js";
import { isRawBody } from "../offload.js";
import { ERROR_RESPONSES } from "../schemas.js";
import type { RouteModule } from "./types.js";

/**
 * POST /v1/score: interference risk of the cluster's current placement. Scoring is linear in the
 * VMs and takes a few ms for 1,000 VMs, less than a round trip to a worker would cost with the
 * document cloned across, so it runs on the event loop; a large body is parsed, checked and
 * scored in a worker instead (offload.ts), where the 100-300 ms of a 10,000-VM cluster stall nothing.
 */
export const scoreRoutes: RouteModule = (app, ctx) => {
  app.post("/v1/score", {
    config: { limited: true, offload: "score" },
    schema: {
      summary: "Score the current placement: per-host risk and each latency-sensitive VM's predicted tail against its SLO",
      tags: ["score"],
      body: ClusterSchema,
      response: { 200: ScoreReportSchema, ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      if (isRawBody(request.body)) {
        await ctx.offload(reply, "score", request.body);
        return reply;
      }
      return scoreCluster(request.body, ctx.predictor);
    },
  });
};
