import type { Command } from "commander";
import { loadWith } from "../../io/load.js";
import { loadPredictor } from "../../io/calibration.js";
import { parseCluster } from "../../model/validate.js";
import { scorePlacement } from "../../interference/current-placement.js";
import { addFailOn, settle, type FailOn } from "../exit-policy.js";
import { renderScore } from "../render-score.js";

interface ScoreFlags {
  json?: boolean;
  all?: boolean;
  calibration?: string;
  failOn: FailOn;
}

/** registerScore adds `vmplace score FILE`: interference risk and hard violations of the current placement. */
export function registerScore(program: Command): void {
  const cmd = program
    .command("score")
    .description("score the current placement: per-host risk, each latency-sensitive VM's predicted p99.9 against its SLO, and hard-constraint violations")
    .argument("<file>", "cluster document whose VMs carry their current host")
    .option("--json", "print the score as JSON")
    .option("--all", "list every host and VM, not only those at risk")
    .option("--calibration <file>", "interference model, `vmplace calibrate` output (default: the bundled one)");
  addFailOn(cmd, ["violation", "breach"]).action(async (file: string, opts: ScoreFlags) => {
    const cluster = loadWith(file, parseCluster);
    const predictor = loadPredictor(opts.calibration);
    // The placer's model of the services is loaded only for documents that have services (start-up time).
    const services = cluster.services.length > 0 ? (await import("../../placement/score-placement.js")).currentServiceTails(cluster, predictor) : undefined;
    const report = scorePlacement(cluster, predictor, services);
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderScore(report, opts.all ?? false)}\n`);
    settle("score", report, opts.failOn);
  });
}
