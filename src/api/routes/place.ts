import { HttpError, invalidInput } from "../errors.js";
import { rankHosts } from "../place/rank.js";
import { isRawBody } from "../offload.js";
import { parsePlaceRequest, PlaceRequestSchema, resolvePlace, type PlaceRequest } from "../place/request.js";
import { ERROR_RESPONSES, named } from "../schemas.js";
import { PlaceAnswerSchema, placeAnswer } from "../status.js";
import { sentUnchecked, withParser } from "../validation.js";
import type { RouteModule } from "./types.js";

withParser(PlaceRequestSchema, parsePlaceRequest);
named(PlaceRequestSchema, "PlaceRequest", "A VM to place, on the cluster sent along or the server's.");
named(PlaceAnswerSchema, "PlaceResult", "Status, the best hosts for one VM with per-plugin scores, counts of the rest, and (on request) every rejected host with every reason.");

/**
 * POST /v1/place: where may one new VM go, and where best? A small question answered on the
 * event loop: on the server's cluster O(hosts) per new VM shape and a cache lookup after that
 * (PreparedCluster); the answer lists the `limit` best hosts and the reasons only when asked.
 */
export const placeRoutes: RouteModule = (app, ctx) => {
  app.post("/v1/place", {
    config: { limited: true, offload: "place" },
    schema: {
      summary: "Rank the hosts for one new VM: scores per plugin, and every reason a host is rejected",
      tags: ["place"],
      body: PlaceRequestSchema,
      response: { 200: sentUnchecked(PlaceAnswerSchema), ...ERROR_RESPONSES },
    },
    handler: async (request, reply) => {
      let body = request.body;
      if (isRawBody(body)) {
        // A large body is parsed in a worker, and answered there when it carries its cluster.
        const done = await ctx.offload(reply, "place", body);
        if (done.sent) return reply;
        body = done.value as PlaceRequest;
      }
      const target = resolvePlace(body, ctx.prepared?.cluster);
      if (!target.ok && !ctx.prepared)
        throw new HttpError(400, "NO_CLUSTER", 'send "cluster" with the VM, or start the server with --cluster', target.problems);
      if (!target.ok) throw invalidInput(target.problems);
      const { cluster, vm } = target.value;
      const answer = { limit: body.limit, reasons: body.reasons };
      if (cluster) return placeAnswer(rankHosts(cluster, vm, ctx.predictor, answer));
      // resolvePlace only omits the cluster when the server has one, hence a prepared cluster.
      if (!ctx.prepared) throw new Error("place: no cluster to place on");
      return placeAnswer(ctx.prepared.rank(vm, answer));
    },
  });
};
