import { existsSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_MODEL } from "./calibration.js";
import { InputError } from "./load.js";
import { bundledPath } from "./paths.js";

/** The name `vmplace calibrate` writes to without --out (numbered when taken). */
export const NEW_MODEL = "interference-model.json";

/**
 * calibrationOut picks where `calibrate` writes. Without --out it is a new file in the current
 * folder, never an existing one. The shipped model (data/interference/model-v15.json, of vmplace or
 * of the current folder) is what score, plan and migrate read by default, so replacing it after a
 * quick run silently changes every later answer: that takes --force.
 */
export function calibrationOut(out: string | undefined, force: boolean): string {
  if (out === undefined) return firstFree(NEW_MODEL);
  const shipped = [bundledPath(DEFAULT_MODEL), resolve(DEFAULT_MODEL)].map(canonical);
  if (!force && shipped.includes(canonical(out)))
    throw new InputError(`--out ${out} is the interference model vmplace ships and reads by default; pass --force to replace it`);
  return out;
}

function firstFree(name: string): string {
  if (!existsSync(name)) return name;
  const stem = name.replace(/\.json$/, "");
  for (let k = 2; ; k++) if (!existsSync(`${stem}-${k}.json`)) return `${stem}-${k}.json`;
}

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}
