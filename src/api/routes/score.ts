import { ClusterSchema } from "../../model/cluster.js";
import { scoreCluster, ScoreReportSchema } from "../../interference/score.js";
import { ERROR_RESPONSES } from "../schemas.js";
import type { RouteModule } from "./types.js";

/**
 * POST /v1/score: interference risk of the cluster's current placement. Scoring is linear in the
 * VMs and takes a few ms for 1,000 VMs, less than a round trip to a worker would cost with the
 * document cloned across, so it runs on the event loop.
 */
export const scoreRoutes: RouteModule = (app, ctx) => {
  app.post("/v1/score", {
    config: { limited: true },
    schema: {
      summary: "Score the current placement: per-host risk and each latency-sensitive VM's predicted tail against its SLO",
      tags: ["score"],
      body: ClusterSchema,
      response: { 200: ScoreReportSchema, ...ERROR_RESPONSES },
    },
    handler: async (request) => scoreCluster(request.body, ctx.predictor),
  });
};
