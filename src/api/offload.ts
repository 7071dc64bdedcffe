import { errorCodes, type FastifyInstance, type FastifyReply } from "fastify";
import { invalidInput } from "./errors.js";
import type { OffloadOutput, OffloadRoute } from "./work/offload.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A large body of this route is parsed, validated and answered in a worker thread. */
    offload?: OffloadRoute;
  }
}

/**
 * RawBody is a request body left as text for a worker to parse. JSON.parse and the zod checks
 * of a 10,000-VM cluster (3.5 MB) take 100 to 300 ms, which on the event loop would stall every
 * other request, /healthz included; handing the text over is a copy of the string.
 */
export class RawBody {
  constructor(readonly text: string) {}
}

export function isRawBody(body: unknown): body is RawBody {
  return body instanceof RawBody;
}

/**
 * installOffload replaces the JSON body parser: a body of at least `minBytes` for a route with
 * `config.offload` stays text (RawBody, which the validator lets through), every other body is
 * parsed here as before, with fastify's own parser (prototype-poisoning checks included).
 */
export function installOffload(app: FastifyInstance, minBytes: number): void {
  const json = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    if (request.routeOptions.config.offload !== undefined && text.length >= minBytes) return done(null, new RawBody(text));
    json(request, text, done);
  });
}

/**
 * answerOffloaded turns a worker's answer into the route's reply: its JSON as it is, its
 * problems as the 400 the validator would have given; a parsed request the worker did not
 * answer (it needs the main thread's state) goes back to the handler to finish.
 */
export async function answerOffloaded(reply: FastifyReply, out: OffloadOutput): Promise<{ sent: true } | { sent: false; value: unknown }> {
  switch (out.kind) {
    case "json":
      await reply.type("application/json; charset=utf-8").send(out.json);
      return { sent: true };
    case "invalid-json":
      // The error fastify's JSON parser gives, so the answer is the same as on the event loop.
      throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
    case "problems":
      throw invalidInput(out.problems);
    case "value":
      return { sent: false, value: out.value };
  }
}
