import type { Command } from "commander";
import { loadWith } from "../../io/load.js";
import { loadPredictor } from "../../io/calibration.js";
import { bundledPath } from "../../io/paths.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import { scoreCurrentPlacement } from "../../placement/score-placement.js";
import { checkCluster } from "../../model/cluster-check.js";
import { resultStatus, type ResultStatus } from "../../model/status.js";
import { parseCluster } from "../../model/validate.js";
import { demoMigrate, DEMO_REPORT } from "../demo-migrate.js";
import { addFailOn, settle, type FailOn } from "../exit-policy.js";
import { outputFormat } from "../output-format.js";
import { renderCheck } from "../render-check.js";
import { renderPlan } from "../render-plan.js";
import { renderScore } from "../render-score.js";
import { renderPlanAs, runPlan, VALIDATE_DURATION_MS } from "./plan.js";

export const SAMPLE_CLUSTER = "data/sample-cluster.json";
export const DEMO_PLAN = "plan.json";
/** The demo should answer in seconds: its search gets at most this budget. */
const DEMO_BUDGET_MS = 5000;

/** registerDemo adds `vmplace demo`: the whole pipeline that exists, on the bundled sample (npm start). */
export function registerDemo(program: Command): void {
  const cmd = program
    .command("demo")
    .description("run the main pipeline on the bundled sample cluster: validate, score the current placement, plan, write plan.json, recommend migrations, write report.html")
    .argument("[file]", `cluster document (default: the bundled sample, ${SAMPLE_CLUSTER})`)
    .option("--out <file>", "where to write the plan (.json, .md or .html)", DEMO_PLAN);
  addFailOn(cmd, ["unplaced", "violation", "breach"]).action(async (given: string | undefined, o: { out: string; failOn: FailOn }) => {
    // The sample ships with the package: found beside the code, so `npx vmplace demo` works from any folder.
    const file = given ?? SAMPLE_CLUSTER;
    const format = outputFormat(undefined, o.out) ?? "json";
    checkWritable(o.out);
    checkWritable(DEMO_REPORT);
    const cluster = loadWith(given ?? bundledPath(SAMPLE_CLUSTER), parseCluster);
    process.stdout.write(`== ${renderCheck(file, checkCluster(cluster))}\n`);
    if (cluster.vms.some((v) => v.host !== undefined))
      process.stdout.write(`\n== current placement\n${renderScore(scoreCurrentPlacement(cluster, loadPredictor()), false)}\n`);
    const plan = await runPlan(cluster, {
      solver: "auto",
      validate: true,
      validateDuration: VALIDATE_DURATION_MS,
      timeBudget: Math.min(DEMO_BUDGET_MS, cluster.policy.timeBudgetMs),
    });
    writeFileAtomic(o.out, renderPlanAs(plan, format));
    process.stdout.write(`\n== plan\n${renderPlan(plan, cluster.hosts.length)}\nplan written to ${o.out}\n`);
    const migration = await demoMigrate(cluster);
    // The demo's result is the plan and the migrations; today's hot spots are their input.
    settle("demo", combined([["plan", plan], ["migrations", migration]]), o.failOn);
  });
}

function combined(parts: [string, Partial<ResultStatus> | undefined][]): ResultStatus {
  return resultStatus(parts.flatMap(([what, s]) => (s?.reasons ?? []).map((r) => ({ ...r, message: `${what}: ${r.message}` }))));
}
