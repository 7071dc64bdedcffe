import { readFileSync } from "node:fs";
import { Predictor } from "../../src/interference/predictor.js";
import type { Cluster } from "../../src/model/cluster.js";
import { parseCluster } from "../../src/model/validate.js";

let cached: Predictor | undefined;
/** bundledPredictor reads the calibration table vmplace ships; tests derive expectations from it. */
export function bundledPredictor(): Predictor {
  cached ??= Predictor.fromJson(JSON.parse(readFileSync("data/interference/model-v15.json", "utf8")));
  return cached;
}

/** parseOrThrow parses a cluster document the way the CLI does; any problem fails the test. */
export function parseOrThrow(input: unknown): Cluster {
  const r = parseCluster(input);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return r.value;
}

/** loadCluster reads and parses a cluster document file. */
export function loadCluster(path: string): Cluster {
  return parseOrThrow(JSON.parse(readFileSync(path, "utf8")));
}
