import { readFileSync } from "node:fs";
import { Predictor } from "../../src/interference/predictor.js";
import type { Cluster } from "../../src/model/cluster.js";
import { parseCluster } from "../../src/model/validate.js";

/** bundledPredictor reads the table vmplace ships (data/calibration/). */
export function bundledPredictor(): Predictor {
  return Predictor.fromJson(JSON.parse(readFileSync("data/calibration/table-v1.json", "utf8")));
}

export function loadCluster(path: string): Cluster {
  const r = parseCluster(JSON.parse(readFileSync(path, "utf8")));
  if (!r.ok) throw new Error(`${path}: ${JSON.stringify(r.problems)}`);
  return r.value;
}
