import type { Command } from "commander";
import { loadWith } from "../../io/load.js";
import { loadPredictor } from "../../io/calibration.js";
import { parseCluster } from "../../model/validate.js";
import { scoreCluster } from "../../interference/score.js";
import { renderScore } from "../render-score.js";

/** registerScore adds `vmplace score FILE`: interference risk of the current placement. */
export function registerScore(program: Command): void {
  program
    .command("score")
    .description("score the current placement: per-host risk and each latency-sensitive VM's predicted p99.9 against its SLO")
    .argument("<file>", "cluster document whose VMs carry their current host")
    .option("--json", "print the score as JSON")
    .option("--all", "list every host and VM, not only those at risk")
    .option("--calibration <file>", "calibration table (default: the bundled one)")
    .action((file: string, opts: { json?: boolean; all?: boolean; calibration?: string }) => {
      const cluster = loadWith(file, parseCluster);
      const report = scoreCluster(cluster, loadPredictor(opts.calibration));
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderScore(report, opts.all ?? false)}\n`);
    });
}
