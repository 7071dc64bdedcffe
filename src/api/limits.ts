import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { overloaded } from "./errors.js";
import type { Metrics } from "./metrics.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Counted against the concurrency limit (the work routes; probes and metrics are not). */
    limited?: boolean;
  }
}

/** Seconds a client is told to wait after a 503: long enough for a typical request to finish. */
const RETRY_AFTER_SEC = 1;

const released = Symbol("vmplace.released");
type Tracked = FastifyRequest & { [released]?: boolean };

/**
 * installLimits counts requests in flight and refuses work routes past `maxConcurrent` with
 * 503 + Retry-After at once, instead of letting a queue grow without bound. The slot is freed
 * when the response finishes or the connection closes, whichever comes first, so a client that
 * hangs up mid-request cannot leak a slot.
 */
export function installLimits(app: FastifyInstance, maxConcurrent: number, metrics: Metrics): void {
  let active = 0;
  app.addHook("onRequest", async (request: Tracked, reply: FastifyReply) => {
    const limited = request.routeOptions.config.limited === true;
    if (limited && active >= maxConcurrent) throw overloaded(RETRY_AFTER_SEC);
    if (limited) active++;
    metrics.inFlight++;
    const release = (): void => {
      if (request[released]) return;
      request[released] = true;
      if (limited) active--;
      metrics.inFlight--;
    };
    reply.raw.once("close", release);
    reply.raw.once("finish", release);
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime / 1000);
  });
}
