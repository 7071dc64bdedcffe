import type { Command } from "commander";
import { loadWith } from "../../io/load.js";
import { loadPredictor } from "../../io/calibration.js";
import { writeFileAtomic } from "../../io/write.js";
import { scoreCluster } from "../../interference/score.js";
import { parseCluster } from "../../model/validate.js";
import { renderSummary, summarizeCluster } from "../../model/summary.js";
import { demoMigrate } from "../demo-migrate.js";
import { renderPlan } from "../render-plan.js";
import { renderScore } from "../render-score.js";
import { runPlan, VALIDATE_DURATION_MS } from "./plan.js";

export const SAMPLE_CLUSTER = "data/sample-cluster.json";
export const DEMO_PLAN = "plan.json";
/** The demo should answer in seconds: its search gets at most this budget. */
const DEMO_BUDGET_MS = 5000;

/** registerDemo adds `vmplace demo`: the whole pipeline that exists, on the bundled sample (npm start). */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("run the main pipeline on the bundled sample cluster: validate, score the current placement, plan, write plan.json, recommend migrations, write report.html")
    .argument("[file]", "cluster document", SAMPLE_CLUSTER)
    .option("--out <file>", "where to write the plan", DEMO_PLAN)
    .action(async (file: string, o: { out: string }) => {
      const cluster = loadWith(file, parseCluster);
      process.stdout.write(`== ${file}: valid\n${renderSummary(summarizeCluster(cluster))}\n`);
      if (cluster.vms.some((v) => v.host !== undefined))
        process.stdout.write(`\n== current placement\n${renderScore(scoreCluster(cluster, loadPredictor()), false)}\n`);
      const plan = await runPlan(cluster, {
        solver: "auto",
        validate: true,
        validateDuration: VALIDATE_DURATION_MS,
        timeBudget: Math.min(DEMO_BUDGET_MS, cluster.policy.timeBudgetMs),
      });
      writeFileAtomic(o.out, `${JSON.stringify(plan, null, 2)}\n`);
      process.stdout.write(`\n== plan\n${renderPlan(plan, cluster.hosts.length)}\nplan written to ${o.out}\n`);
      await demoMigrate(cluster);
    });
}
