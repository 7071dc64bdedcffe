import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ApiContext } from "../context.js";

/** ZodApp: the fastify instance with zod schemas as its type provider (typed bodies and replies). */
export type ZodApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** RouteModule registers one URL prefix's routes; handlers stay thin: parse → core → reply. */
export type RouteModule = (app: ZodApp, ctx: ApiContext) => void;
