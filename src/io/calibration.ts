import { Predictor } from "../interference/predictor.js";
import { InputError, readJsonFile } from "./load.js";
import { bundledPath } from "./paths.js";

/** DEFAULT_TABLE is the calibration table `vmplace calibrate` wrote and vmplace ships. */
export const DEFAULT_TABLE = "data/calibration/table-v1.json";

const cache = new Map<string, Predictor>();

/** loadPredictor reads a calibration table (the bundled one by default), once per path. */
export function loadPredictor(path?: string): Predictor {
  const p = path ?? bundledPath(DEFAULT_TABLE);
  const hit = cache.get(p);
  if (hit) return hit;
  let pred: Predictor;
  try {
    pred = Predictor.fromJson(readJsonFile(p));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${p}: not a usable calibration table (${(e as Error).message.split("\n")[0]})`);
  }
  cache.set(p, pred);
  return pred;
}
