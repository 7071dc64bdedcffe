import { readFileSync } from "node:fs";
import type { ParseResult, Problem } from "../model/problems.js";

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
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (code ?? "cannot be read");
    throw new InputError(`${path}: ${why}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** loadWith reads a JSON file and parses it with a model parser; problems become one InputError. */
export function loadWith<T>(path: string, parse: (v: unknown) => ParseResult<T>): T {
  const r = parse(readJsonFile(path));
  if (!r.ok) throw new InputError(`${path}: ${r.problems.length} problem(s)`, r.problems);
  return r.value;
}
