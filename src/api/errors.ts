import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Problem } from "../model/problems.js";

export const ProblemSchema = z.strictObject({
  /** Dotted JSON path inside the request body, e.g. `cluster.vms[3].workload.dutyCycle`; "" = the whole body. */
  path: z.string(),
  message: z.string(),
});

/** ApiErrorSchema is the one shape of every non-2xx answer, so clients parse errors one way. */
export const ApiErrorSchema = z.strictObject({
  statusCode: z.number().int(),
  /** The HTTP reason phrase ("Bad Request"). */
  error: z.string(),
  /** Stable machine-readable code: INVALID_INPUT, BODY_TOO_LARGE, OVERLOADED, TIME_BUDGET, ... */
  code: z.string(),
  message: z.string(),
  /** Every validation problem with its JSON path (400 INVALID_INPUT only). */
  problems: z.array(ProblemSchema).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** HttpError is an expected, client-facing failure; its message is safe to show. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly problems?: readonly Problem[],
    /** Seconds the client should wait before retrying (503). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** invalidInput is the 400 carrying every problem found (not just the first). */
export function invalidInput(problems: readonly Problem[], what = "request body"): HttpError {
  const n = problems.length;
  return new HttpError(400, "INVALID_INPUT", `${what}: ${n} problem${n === 1 ? "" : "s"}`, problems);
}

export const overloaded = (retryAfterSec: number): HttpError =>
  new HttpError(503, "OVERLOADED", "too many requests in progress; retry later", undefined, retryAfterSec);

export const shuttingDown = (): HttpError => new HttpError(503, "SHUTTING_DOWN", "the server is shutting down; retry on another instance");

/**
 * timeBudgetExceeded answers 504 as kube-apiserver does for its own request timeout: the work
 * was abandoned on the server, the client may retry with a smaller problem or a larger budget.
 */
export const timeBudgetExceeded = (budgetMs: number): HttpError =>
  new HttpError(504, "TIME_BUDGET", `the request did not finish within its ${budgetMs} ms time budget`);

const REASONS: Record<number, string> = {
  400: "Bad Request",
  404: "Not Found",
  401: "Unauthorized",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** apiError builds the error body; exported for handlers that answer errors without throwing. */
export function apiError(statusCode: number, code: string, message: string, problems?: readonly Problem[]): ApiError {
  return { statusCode, error: REASONS[statusCode] ?? "Error", code, message, ...(problems ? { problems: [...problems] } : {}) };
}

// fastify's own 4xx (bad JSON, body too large, wrong media type) carry FST_ERR_* codes; clients
// get short stable names instead of framework internals.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "BAD_CONTENT_LENGTH",
  FST_ERR_CTP_EMPTY_JSON_BODY: "EMPTY_BODY",
  FST_ERR_CTP_INVALID_JSON_BODY: "INVALID_JSON",
};

function clientError(err: FastifyError, request: FastifyRequest): ApiError | undefined {
  const status = err.statusCode ?? 500;
  if (status < 400 || status >= 500) return undefined;
  // SyntaxError from JSON.parse has no FST code but is the client's fault all the same.
  const code = FASTIFY_CODES[err.code] ?? (err instanceof SyntaxError ? "INVALID_JSON" : err.code?.replace(/^FST_ERR_/, "") || "BAD_REQUEST");
  return apiError(status, code, clientMessage(code, err.message, request));
}

/** clientMessage: fastify's own words, plus what the client must change (the limit, the media type). */
function clientMessage(code: string, message: string, request: FastifyRequest): string {
  if (code === "BODY_TOO_LARGE") {
    const limit = request.routeOptions.bodyLimit;
    const size = request.headers["content-length"];
    return `request body${size ? ` of ${size} bytes` : ""} is over the limit of ${limit} bytes (vmplace serve --body-limit)`;
  }
  if (code === "UNSUPPORTED_MEDIA_TYPE") {
    const type = request.headers["content-type"];
    return `${type ? `media type "${type}" is not accepted` : "the request names no media type"}: send the body as application/json`;
  }
  return message;
}

/**
 * handleError is the one error handler: expected failures answer with their status and message;
 * anything else is logged with its stack and answered as a bare 500, so no internals leak.
 */
export function handleError(err: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): ApiError {
  if (err instanceof HttpError) {
    if (err.retryAfterSec !== undefined) reply.header("retry-after", String(err.retryAfterSec));
    reply.code(err.statusCode);
    return apiError(err.statusCode, err.code, err.message, err.problems);
  }
  const client = clientError(err, request);
  if (client) {
    reply.code(client.statusCode);
    return client;
  }
  request.log.error({ err }, "internal error");
  reply.code(500);
  return apiError(500, "INTERNAL", "internal error; the server log has the details");
}

/** installErrorHandlers sets the error and not-found handlers of the app. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    reply.send(handleError(err, request, reply));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(apiError(404, "NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`));
  });
}
