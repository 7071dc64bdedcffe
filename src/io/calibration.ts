import { CALIBRATION_VERSION, type CalibrationTable } from "../interference/calibration-table.js";
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
    const json = readJsonFile(p);
    pred = path === undefined && isShipped(json) ? new Predictor(json) : Predictor.fromJson(json);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${p}: not a usable calibration table (${(e as Error).message.split("\n")[0]})`);
  }
  cache.set(p, pred);
  return pred;
}

/**
 * isShipped: the bundled table, of this version, is used as it is. test/interference/
 * calibration.test.ts checks it against CalibrationTableSchema; checking it again at every start
 * cost 20-30 ms of a 200 ms `vmplace score`. A table given by path is always checked.
 */
function isShipped(json: unknown): json is CalibrationTable {
  return (json as { version?: unknown } | null)?.version === CALIBRATION_VERSION;
}
