import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { overloaded, shuttingDown } from "./errors.js";
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

/** InFlight lets shutdown wait until every request in progress has been answered. */
export interface InFlight {
  drained(): Promise<void>;
  /** True from the start of a graceful close. */
  closing(): boolean;
}

/**
 * installLimits counts requests in flight and refuses work routes past `maxConcurrent` with
 * 503 + Retry-After at once, instead of letting a queue grow without bound. The slot is freed
 * when the response finishes or the connection closes, whichever comes first, so a client that
 * hangs up mid-request cannot leak a slot. Once a graceful close starts, new work is refused
 * with 503 SHUTTING_DOWN (in the same error shape) while the requests in flight finish.
 */
export function installLimits(app: FastifyInstance, maxConcurrent: number, metrics: Metrics): InFlight {
  let active = 0;
  const waiters: (() => void)[] = [];
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (request: Tracked, reply: FastifyReply) => {
    const limited = request.routeOptions.config.limited === true;
    if (limited && closing) {
      // A keep-alive connection may still bring requests while in-flight ones finish.
      reply.header("connection", "close");
      throw shuttingDown();
    }
    if (limited && active >= maxConcurrent) throw overloaded(RETRY_AFTER_SEC);
    if (limited) active++;
    metrics.inFlight++;
    const release = (): void => {
      if (request[released]) return;
      request[released] = true;
      if (limited) active--;
      metrics.inFlight--;
      if (metrics.inFlight === 0) for (const w of waiters.splice(0)) w();
    };
    reply.raw.once("close", release);
    reply.raw.once("finish", release);
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    // server.close() only ends connections idle at the time it is called; a keep-alive
    // connection whose response finishes later would hold the close open until its timeout.
    if (closing) reply.header("connection", "close");
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime / 1000);
  });
  return {
    closing: () => closing,
    drained: () => (metrics.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}
