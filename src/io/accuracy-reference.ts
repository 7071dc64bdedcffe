import { existsSync } from "node:fs";
import type { EvalRound } from "../interference/eval/compositions.js";
import { ReferenceFileSchema, type ReferenceFile } from "../interference/eval/reference.js";
import { InputError, readJsonFile } from "./load.js";
import { bundledPath } from "./paths.js";
import { writeFileAtomic } from "./write.js";

/** DEFAULT_REFERENCE is the cached simulated reference of the accuracy protocol vmplace ships. */
export const DEFAULT_REFERENCE = "data/interference/accuracy-reference-v1.json";

/** loadReference reads and validates a reference file (the bundled one by default). */
export function loadReference(path?: string): ReferenceFile {
  const p = path ?? bundledPath(DEFAULT_REFERENCE);
  const r = ReferenceFileSchema.safeParse(readJsonFile(p));
  if (!r.success) throw new InputError(`${p}: not a usable accuracy reference (${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message})`);
  return r.data;
}

/** loadRoundReference reads a round's reference: `path` when given, else the round's bundled one. */
export function loadRoundReference(round: Pick<EvalRound, "reference">, path?: string): ReferenceFile {
  return loadReference(path ?? bundledPath(round.reference));
}

/** checkReferenceOut refuses an existing file unless forced, before any simulation. */
export function checkReferenceOut(path: string, force: boolean): void {
  if (existsSync(path) && !force) throw new InputError(`${path} exists: pass --force to replace it`);
}

/** saveReference writes a reference file; an existing file is replaced only when forced. */
export function saveReference(path: string, file: ReferenceFile, force: boolean): void {
  if (existsSync(path) && !force) throw new InputError(`${path} exists: pass --force to replace it`);
  // One composition per line: diffs of a rebuilt reference stay readable.
  const body = JSON.stringify({ ...file, compositions: [] }).replace(/"compositions":\[\]\}$/, "");
  writeFileAtomic(path, `${body}"compositions":[\n${file.compositions.map((c) => JSON.stringify(c)).join(",\n")}\n]}\n`);
}
