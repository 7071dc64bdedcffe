import type { FastifyReply, FastifySchemaCompiler, FastifySerializerCompiler } from "fastify";
import { serializerCompiler as zodSerializerCompiler } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemsFromZod, type ParseResult } from "../model/problems.js";
import { invalidInput } from "./errors.js";
import { isRawBody } from "./offload.js";

type Parse = (input: unknown) => ParseResult<unknown>;

/**
 * Some documents need more than their schema: a cluster's references, duplicates and impossible
 * demands are checked by parseCluster (model/validate.ts). A route's schema stays the zod schema
 * (it drives OpenAPI and the types); `withParser` attaches the full parser that validation runs
 * instead of the bare safeParse, so those problems come back in the same 400 as the shape ones.
 */
const parsers = new WeakMap<z.ZodType, Parse>();

export function withParser<S extends z.ZodType>(schema: S, parse: (input: unknown) => ParseResult<z.output<S>>): S {
  parsers.set(schema, parse);
  return schema;
}

/** parseWith validates a value against a schema, with its attached parser when it has one. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const custom = parsers.get(schema);
  if (custom) return custom(input) as ParseResult<z.output<S>>;
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: problemsFromZod(r.error) };
}

const PART_NAMES: Record<string, string> = { body: "request body", querystring: "query string", params: "path", headers: "headers" };

/**
 * validatorCompiler replaces fastify's ajv with zod: every route part is parsed by its zod schema
 * (defaults filled in, unknown fields rejected) and a failure is a 400 listing every problem with
 * its JSON path, in the model's own path syntax (`vms[3].workload`), not JSON Pointer.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const what = PART_NAMES[httpPart ?? "body"] ?? String(httpPart);
  return (data: unknown) => {
    // A large body left as text is parsed and validated in a worker by the route (offload.ts).
    if (isRawBody(data)) return { value: data };
    const r = parseWith(schema, data);
    return r.ok ? { value: r.value } : { error: invalidInput(r.problems, what) };
  };
};

/**
 * Answers are checked against their zod schema before they are sent (fastify-type-provider-zod's
 * serializer), except those marked here. At fleet size that check costs more than the work:
 * /k8s/prioritize's 1,000 entries took 1.7 ms to check and 0.1 ms to compute (bench/api.ts). A
 * marked answer is built by typed code from numbers the placer computed, and the tests parse it
 * with its schema; the schema still gives the types and the OpenAPI document.
 */
const unchecked = new WeakSet<z.ZodType>();

/** sentUnchecked marks a response schema whose answers are sent by JSON.stringify alone. */
export function sentUnchecked<S extends z.ZodType>(schema: S): S {
  unchecked.add(schema);
  return schema;
}

export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  if (unchecked.has(route.schema)) return (data: unknown) => JSON.stringify(data);
  return zodSerializerCompiler(route);
};

/**
 * sendSerialised sends JSON made earlier (a reused answer of a sentUnchecked route) as it is:
 * fastify passes a string with a JSON content type through without serialising it. The route's
 * typed reply only takes its schema's object type, hence the untyped reply here.
 */
export function sendSerialised(reply: FastifyReply, json: string): FastifyReply {
  return reply.type("application/json; charset=utf-8").send(json);
}
