import { z } from "zod";
import { ApiErrorSchema, HttpError } from "../errors.js";
import { AuditListSchema, AuditSchema } from "../fleet/schemas.js";
import { named } from "../schemas.js";
import type { RouteModule } from "./types.js";

named(AuditSchema, "Audit", "One audit of the fleet: per-host predicted p99.9, breaches and risk, and the migrations that fix them.");

const NO_SOURCE = "vmplace serve audits a fleet only with --source prometheus --url URL, or --cluster FILE --watch";
const ERRORS = { 401: ApiErrorSchema, 404: ApiErrorSchema, 503: ApiErrorSchema };

/**
 * GET /v1/audits/latest, /v1/audits and /v1/audits/:id: the continuous audit's results. Reads of
 * memory, answered on the event loop and not counted against the work limit.
 */
export const auditRoutes: RouteModule = (app, ctx) => {
  const log = () => {
    if (!ctx.audits) throw new HttpError(404, "NO_SOURCE", NO_SOURCE);
    return ctx.audits;
  };

  app.get("/v1/audits/latest", {
    schema: { summary: "The latest audit of the fleet, with its recommendation", tags: ["audits"], response: { 200: AuditSchema, ...ERRORS } },
    handler: async () => {
      const a = log().latest;
      if (!a) throw new HttpError(503, "NO_AUDIT_YET", "the first audit has not finished yet; retry shortly");
      return a;
    },
  });

  app.get("/v1/audits", {
    schema: { summary: "The audits kept, newest first (summaries)", tags: ["audits"], response: { 200: AuditListSchema, ...ERRORS } },
    handler: async () => ({ audits: log().list() }),
  });

  app.get("/v1/audits/:id", {
    schema: {
      summary: "One audit kept in the history",
      tags: ["audits"],
      params: z.strictObject({ id: z.coerce.number().int().min(1) }),
      response: { 200: AuditSchema, ...ERRORS },
    },
    handler: async (request) => {
      const a = log().get(request.params.id);
      if (!a) throw new HttpError(404, "NO_SUCH_AUDIT", `audit ${request.params.id} is not in the history (it keeps the latest audits only)`);
      return a;
    },
  });
};
