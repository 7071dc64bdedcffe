import type { FastifySchemaCompiler } from "fastify";
import { z } from "zod";
import { problemsFromZod, type ParseResult } from "../model/problems.js";
import { invalidInput } from "./errors.js";

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
    const r = parseWith(schema, data);
    return r.ok ? { value: r.value } : { error: invalidInput(r.problems, what) };
  };
};
