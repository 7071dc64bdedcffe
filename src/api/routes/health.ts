import { z } from "zod";
import { ApiErrorSchema } from "../errors.js";
import type { RouteModule } from "./types.js";

const StatusSchema = z.strictObject({ status: z.enum(["ok", "ready"]) });

/**
 * Probes and observability. None of them counts against the concurrency limit: a liveness probe
 * must answer while the work routes are saturated, or the orchestrator restarts a busy server.
 */
export const healthRoutes: RouteModule = (app, ctx) => {
  app.get("/healthz", {
    schema: { summary: "Liveness: the process answers", tags: ["ops"], response: { 200: StatusSchema } },
    handler: async () => ({ status: "ok" as const }),
  });

  app.get("/readyz", {
    schema: {
      summary: "Readiness: workers started and not shutting down",
      tags: ["ops"],
      response: { 200: StatusSchema, 503: ApiErrorSchema },
    },
    handler: async (_request, reply) => {
      if (!ctx.isReady()) {
        return reply.code(503).send({ statusCode: 503, error: "Service Unavailable", code: "NOT_READY", message: "starting or shutting down" });
      }
      return { status: "ready" as const };
    },
  });

  app.get("/metrics", {
    schema: {
      summary: "Prometheus metrics: requests by route and status, latency, work in progress, worker pool; with a source, the fleet audit's per-host gauges",
      tags: ["ops"],
      produces: ["text/plain"],
      response: { 200: { description: "Prometheus text format 0.0.4", content: { "text/plain": { schema: z.string() } } } },
    },
    handler: async (_request, reply) => {
      reply.type("text/plain; version=0.0.4; charset=utf-8");
      return ctx.renderMetrics();
    },
  });

  app.get("/openapi.json", {
    schema: {
      summary: "This service's OpenAPI 3.1 document, generated from its zod schemas",
      tags: ["ops"],
      response: { 200: z.record(z.string(), z.unknown()) },
    },
    handler: async () => app.swagger() as unknown as Record<string, unknown>,
  });
};
