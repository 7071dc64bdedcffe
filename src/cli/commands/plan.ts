import { Option, type Command } from "commander";
import { loadPredictor } from "../../io/calibration.js";
import { InputError, loadWith } from "../../io/load.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import type { Cluster } from "../../model/cluster.js";
import type { Plan } from "../../model/plan.js";
import { planStatus } from "../../model/result-status.js";
import { withStatus } from "../../model/status.js";
import { parseCluster } from "../../model/validate.js";
import { planCluster } from "../../placement/plan.js";
import { createLnsSolver, resolveHostsExactly } from "../../placement/solvers/milp-lns.js";
import { createHighsSolver } from "../../placement/solvers/milp.js";
import { threadSolverWorkers } from "../../runtime/solver-workers.js";
import { renderDocument, REPORT_FORMATS, type ReportFormat } from "../../report/render.js";
import { addFailOn, settle, type FailOn } from "../exit-policy.js";
import { durationMsOption, intOption, percentOption, withPolicyFlags, type PolicyFlags } from "../options.js";
import { outputFormat } from "../output-format.js";
import { progress } from "../progress.js";
import { renderPlan } from "../render-plan.js";
import { openSimRunner, redisFallbackOption, redisOption, type SimBackendFlags } from "../sim-backend.js";
import { gibOption } from "./migrate.js";
import { checkFromCurrentFlags, planFromCurrentAction, type FromCurrentFlags } from "./plan-from-current.js";

/** Validation defaults: measured to validate 10,000 VMs (~400 hosts with victims) in ~20 s on 2 cores. */
export const VALIDATE_DURATION_MS = 3000;
export const VALIDATE_WARMUP_MS = 1000;
export const VALIDATE_ROUNDS = 5;

export interface PlanFlags extends SimBackendFlags, FromCurrentFlags, PolicyFlags {
  out?: string;
  timeBudget?: number;
  seed?: number;
  solver: string;
  validate: boolean;
  validateDuration: number;
  iterations?: number;
  deterministic?: boolean;
  json?: boolean;
  format?: ReportFormat;
  calibration?: string;
  failOn?: FailOn;
}

/** registerPlan adds `vmplace plan FILE`: place every VM, bound the cost, validate by simulation. */
export function registerPlan(program: Command): void {
  const cmd = program
    .command("plan")
    .description("place the VMs on as little hardware as possible within every constraint and SLO, with a lower bound and simulated validation")
    .argument("<file>", "cluster document")
    .option("--out <file>", "write the plan to a file, as its extension says (.json, .md, .html) or --format (default: none, print only)")
    .addOption(new Option("--format <format>", "print (or write) the plan as html, md or json instead of the summary (default: the summary; with --out, its extension)").choices(REPORT_FORMATS))
    .option("--time-budget <time>", "optimisation budget, e.g. 30s (default: the document's policy.timeBudgetMs)", durationMsOption("--time-budget"))
    .option("--seed <n>", "random seed (default: the document's policy.seed)", intOption("--seed", 0, 2 ** 31 - 1))
    .option("--solver <kind>", "auto, milp or heuristic", "auto")
    .option("--no-validate", "skip validation by re-simulation")
    .addOption(new Option("--validate-duration <time>", "simulated time measured per host").argParser(durationMsOption("--validate-duration")).default(VALIDATE_DURATION_MS, `${VALIDATE_DURATION_MS / 1000}s`))
    .option("--iterations <n>", "deterministic search budget: same seed and iterations, same plan (default: none, the time budget stops the search)", intOption("--iterations", 0))
    .option("--deterministic", "leave wall-clock timings out of the plan")
    .option("--json", "print the plan as JSON instead of the summary (same as --format json)")
    .option("--calibration <file>", "interference model, `vmplace calibrate` output (default: the bundled one)")
    .option("--objective <kind>", "min-cost, balance, min-risk or min-energy (default: the document's policy.objective)")
    .option("--robust <mode>", "n+1: every used host's VMs can be re-placed on the others if it fails (default: policy.robustness)")
    .option("--headroom <percent>", "every SLO holds with all VMs' CPU demand this much higher, e.g. 20% (default: policy.headroomPercent)", percentOption("--headroom", 0, 400))
    .addOption(redisOption())
    .addOption(redisFallbackOption())
    .option("--from-current", "plan moves from the VMs' current hosts instead: a migration plan (see vmplace migrate) with its trade-off")
    .option("--max-moves <n>", "--from-current: most migrations (default: 1000)", intOption("--max-moves", 0, 1_000_000))
    .option("--max-migrated-gib <g>", "--from-current: most memory the migrations copy, GiB (default: no limit)", gibOption("--max-migrated-gib"));
  addFailOn(cmd, ["unplaced", "violation", "breach", "robustness"]).action(async (file: string, f: PlanFlags) => {
    checkFromCurrentFlags(f);
    if (f.json && f.format !== undefined && f.format !== "json") throw new InputError(`--json and --format ${f.format} ask for two formats; give one`);
    const format = outputFormat(f.json ? "json" : f.format, f.out, f.out ? "json" : undefined);
    if (f.out) checkWritable(f.out);
    const cluster = withPolicyFlags(loadWith(file, parseCluster), f);
    if (f.fromCurrent) return planFromCurrentAction(cluster, f, format);
    const plan = await runPlan(cluster, f);
    const text = format ? renderPlanAs(plan, format) : undefined;
    if (f.out && text !== undefined) writeFileAtomic(f.out, text);
    const printed = f.json || f.format ? text : undefined;
    process.stdout.write(printed ?? `${renderPlan(plan, cluster.hosts.length)}${f.out ? `\nplan written to ${f.out} (${format})` : ""}\n`);
    settle("plan", { status: plan.status ?? "ok", reasons: plan.reasons ?? [] }, f.failOn ?? new Set());
  });
}

/** renderPlanAs: JSON exactly as planned (key order of the plan), or a report. */
export function renderPlanAs(plan: Plan, format: ReportFormat): string {
  return format === "json" ? `${JSON.stringify(plan, null, 2)}\n` : renderDocument({ kind: "plan", doc: plan }, format);
}

/** runPlan wires the I/O edges (clock, HiGHS, worker pool, progress) around planCluster. */
export async function runPlan(cluster: Cluster, f: PlanFlags): Promise<Plan> {
  if (f.solver !== "auto" && f.solver !== "milp" && f.solver !== "heuristic")
    throw new InputError(`--solver must be auto, milp or heuristic, got "${f.solver}"`);
  const predictor = loadPredictor(f.calibration);
  const pool = f.validate ? await openSimRunner(f) : undefined;
  const exact = f.solver === "heuristic" ? undefined : createHighsSolver(threadSolverWorkers);
  const lns = exact ? createLnsSolver(threadSolverWorkers) : undefined;
  const bars = { search: progress("searching"), validate: progress("validating") };
  try {
    const plan = await planCluster(cluster, predictor, {
      solver: f.solver,
      seed: f.seed,
      timeBudgetMs: f.timeBudget,
      iterations: f.iterations,
      // Iterations and wall clock both stop the search (whichever first; the plan says which).
      now: () => performance.now(),
      exact,
      lns: lns ? (p, a, hosts, ms) => resolveHostsExactly(p, a, hosts, ms, { solver: lns }) : undefined,
      validation: pool ? { runner: pool, durationMs: f.validateDuration, warmupMs: VALIDATE_WARMUP_MS, maxRounds: VALIDATE_ROUNDS } : undefined,
      onProgress: (phase, x) => {
        if (phase === "validate") bars.search.done();
        bars[phase].update(x);
      },
    });
    bars.search.done();
    bars.validate.done();
    const whole = withStatus(plan, planStatus(plan));
    if (!f.deterministic) return whole;
    // A count budget makes the search and HiGHS (a node limit) end the same way anywhere, unless the clock came first.
    if (plan.solver.stoppedOn === "budget" || plan.solver.fallback?.reason === "time-limit")
      process.stderr.write(`vmplace plan: --deterministic: the time budget ran out before the work limit, so another run may give another plan; give a larger --time-budget, a smaller --iterations or --solver heuristic\n`);
    const { timings: _omit, ...rest } = whole;
    return rest;
  } finally {
    await pool?.close();
    await exact?.close();
    await lns?.close();
  }
}
