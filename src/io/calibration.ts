import { MODEL_VERSION, type InterferenceModel } from "../interference/model-data.js";
import { Predictor } from "../interference/predictor.js";
import { InputError, readJsonFile } from "./load.js";
import { bundledPath } from "./paths.js";

/** DEFAULT_MODEL is the interference model `vmplace calibrate` wrote and vmplace ships. */
export const DEFAULT_MODEL = "data/interference/model-v15.json";

const cache = new Map<string, Predictor>();

/** loadPredictor reads an interference model (the bundled one by default), once per path. */
export function loadPredictor(path?: string): Predictor {
  const p = path ?? bundledPath(DEFAULT_MODEL);
  const hit = cache.get(p);
  if (hit) return hit;
  let pred: Predictor;
  try {
    const json = readJsonFile(p);
    pred = path === undefined && isShipped(json) ? new Predictor(json) : Predictor.fromJson(json);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${p}: not a usable interference model (${(e as Error).message.split("\n")[0]})`);
  }
  cache.set(p, pred);
  return pred;
}

/**
 * isShipped: the bundled model, of this version, is used as it is. test/interference/
 * calibration.test.ts checks it against InterferenceModelSchema; checking it again at every start
 * costs a zod parse per command. A model given by path is always checked.
 */
function isShipped(json: unknown): json is InterferenceModel {
  return (json as { version?: unknown } | null)?.version === MODEL_VERSION;
}
