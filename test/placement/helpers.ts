import { readFileSync } from "node:fs";
import { ClusterSchema, type Cluster, type ClusterInput } from "../../src/model/cluster.js";
import { parseCluster } from "../../src/model/validate.js";
import { Predictor } from "../../src/interference/predictor.js";
import { buildProblem, type PlacementProblem } from "../../src/placement/problem.js";

let cached: Predictor | undefined;
/** predictor reads the bundled calibration table (tests derive expectations from it, never hard-code it). */
export function predictor(): Predictor {
  cached ??= Predictor.fromJson(JSON.parse(readFileSync("data/calibration/table-v1.json", "utf8")));
  return cached;
}

/** cluster parses a document the way the CLI does and fails the test on any problem. */
export function cluster(input: ClusterInput): Cluster {
  const r = parseCluster(input);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return r.value;
}

export function problemOf(input: ClusterInput): PlacementProblem {
  return buildProblem(cluster(input), predictor());
}

export function sampleCluster(): Cluster {
  return ClusterSchema.parse(JSON.parse(readFileSync("data/sample-cluster.json", "utf8")));
}
