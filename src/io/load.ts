import { readFileSync } from "node:fs";
import type { ParseResult, Problem } from "../model/problems.js";
import { fsProblem } from "./fs-errors.js";

/** InputError is a user mistake in a file or option: the CLI prints it in one line and exits 2. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** readJsonFile reads and JSON-parses a file, turning every failure into an InputError. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`${path}: ${fsProblem(e)}`);
  }
  try {
    return parseJsonText(text);
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * parseJsonText parses JSON text, ignoring a leading UTF-8 byte-order mark: editors on Windows
 * write one, RFC 8259 lets a parser ignore it, and JSON.parse alone calls it a syntax error.
 */
export function parseJsonText(text: string): unknown {
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
}

/** loadWith reads a JSON file and parses it with a model parser; problems become one InputError. */
export function loadWith<T>(path: string, parse: (v: unknown) => ParseResult<T>): T {
  const r = parse(readJsonFile(path));
  if (!r.ok) throw new InputError(`${path}: ${r.problems.length} problem(s)`, r.problems);
  return r.value;
}
