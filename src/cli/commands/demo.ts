import type { Command } from "commander";
import { loadWith } from "../../io/load.js";
import { parseCluster } from "../../model/validate.js";
import { renderSummary, summarizeCluster } from "../../model/summary.js";

export const SAMPLE_CLUSTER = "data/sample-cluster.json";

/** registerDemo adds `vmplace demo`: the whole pipeline that exists, on the bundled sample (npm start). */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("run the main pipeline on the bundled sample cluster")
    .argument("[file]", "cluster document", SAMPLE_CLUSTER)
    .action((file: string) => {
      const cluster = loadWith(file, parseCluster);
      process.stdout.write(`== ${file}: valid\n${renderSummary(summarizeCluster(cluster))}\n`);
    });
}
