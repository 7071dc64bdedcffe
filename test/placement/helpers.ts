import { readFileSync } from "node:fs";
import { ClusterSchema, type Cluster, type ClusterInput } from "../../src/model/cluster.js";
import { buildProblem, type PlacementProblem } from "../../src/placement/problem.js";
import { bundledPredictor as predictor, parseOrThrow } from "../helpers/fixtures.js";

export { predictor };

/** cluster parses a document the way the CLI does and fails the test on any problem. */
export function cluster(input: ClusterInput): Cluster {
  return parseOrThrow(input);
}

export function problemOf(input: ClusterInput): PlacementProblem {
  return buildProblem(cluster(input), predictor());
}

export function sampleCluster(): Cluster {
  return ClusterSchema.parse(JSON.parse(readFileSync("data/sample-cluster.json", "utf8")));
}
