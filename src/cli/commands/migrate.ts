import { Option, type Command } from "commander";
import { loadPredictor } from "../../io/calibration.js";
import { InputError, loadWith } from "../../io/load.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import type { Cluster } from "../../model/cluster.js";
import { MIGRATION_MODES, MigrationOptionsSchema, type MigrationOptions, type MigrationPlan } from "../../model/migration.js";
import { problemsFromZod } from "../../model/problems.js";
import { migrationStatus } from "../../model/result-status.js";
import { withStatus } from "../../model/status.js";
import { parseCluster } from "../../model/validate.js";
import { optionProblems } from "../../migrate/options.js";
import { planMigrationSession } from "../../migrate/plan-migrations.js";
import { FROM_CURRENT_THRESHOLD, modeForObjective, planFromCurrent, withTradeoff } from "../../migrate/from-current.js";
import { resimulateAndRepair } from "../../migrate/repair.js";
import { renderDocument, REPORT_FORMATS, type ReportFormat } from "../../report/render.js";
import { emitScript } from "../../report/emit/script.js";
import { DEFAULT_EMIT, EMIT_TARGETS, type EmitTarget } from "../../report/emit/targets.js";
import { addFailOn, settle, type FailOn } from "../exit-policy.js";
import { durationMsOption, intOption, percentOption, withPolicyFlags, type PolicyFlags } from "../options.js";
import { outputFormat } from "../output-format.js";
import { NO_PROGRESS, progress, type Progress } from "../progress.js";
import { adviceProgress } from "./advise.js";
import { renderMigrationSummary } from "../render-migration.js";
import { openSimRunner, redisFallbackOption, redisOption, type SimBackendFlags } from "../sim-backend.js";

/** Re-simulation defaults: the worst 50 changed hosts for 3 s each take ~5 s on 2 cores. */
export const RESIMULATE_MS = 3000;
export const RESIMULATE_HOSTS = 50;

export interface MigrateFlags extends SimBackendFlags, PolicyFlags {
  maxMoves?: number;
  maxMigratedGib?: number;
  /** plan --from-current: the mode follows the objective and the plan reports its trade-off. */
  fromCurrent?: boolean;
  maxConcurrent?: number;
  perHostConcurrent?: number;
  mode?: string;
  host?: string;
  threshold?: number;
  format?: ReportFormat;
  out?: string;
  seed?: number;
  timeBudget?: number;
  simulate: boolean;
  simulateDuration: number;
  simulateHosts: number;
  calibration?: string;
  failOn?: FailOn;
  advise?: boolean;
  emit?: EmitTarget;
  emitOut?: string;
  connect?: string;
  namespace?: string;
}

/** The schema's defaults, shown in --help so no default is a surprise. */
const DEFAULTS = MigrationOptionsSchema.parse({});

// The option's flag for each field, so a problem names what the user typed.
const FLAG: Record<string, string> = { maxMigratedMiB: "--max-migrated-gib", maxMoves: "--max-moves", maxConcurrent: "--max-concurrent", perHostConcurrent: "--per-host-concurrent", mode: "--mode", host: "--host", threshold: "--threshold", seed: "--seed", timeBudgetMs: "--time-budget" };

/** registerMigrate adds `vmplace migrate FILE`: live migrations that remove today's hot spots. */
export function registerMigrate(program: Command): void {
  const cmd = program
    .command("migrate")
    .description("recommend live migrations from the current placement (VMs' host): fix breaches and violations first, then risk, balance or cost; safe waves; a report")
    .argument("<file>", "cluster document whose VMs carry their current host")
    .addOption(new Option("--max-moves <n>", "most migrations in the plan").argParser(intOption("--max-moves", 0, 1_000_000)).default(DEFAULTS.maxMoves))
    .option("--max-migrated-gib <g>", "most memory the plan's migrations copy, GiB (default: no limit)", gibOption("--max-migrated-gib"))
    .addOption(new Option("--max-concurrent <n>", "most migrations running at once").argParser(intOption("--max-concurrent", 1, 10_000)).default(DEFAULTS.maxConcurrent))
    .option("--per-host-concurrent <n>", "most migrations at once touching one host (default: the cluster's policy.migration.concurrentPerHost, 2 unless set)", intOption("--per-host-concurrent", 1, 64))
    .addOption(new Option("--mode <mode>", `fix, rebalance, consolidate or evacuate (evacuate needs --host) (default: ${DEFAULTS.mode})`).choices(MIGRATION_MODES))
    .option("--host <id>", "the host to empty, only with --mode evacuate (default: none)")
    .addOption(new Option("--threshold <n>", "1 = mandatory moves only ... 5 = any move that pays for its copy").argParser(intOption("--threshold", 1, 5)).default(DEFAULTS.threshold))
    .addOption(new Option("--format <format>", "print (or write) the plan as html, md or json instead of the summary (default: the summary; with --out, its extension)").choices(REPORT_FORMATS))
    .option("--out <file>", "write the report to a file, as its extension says (.html, .md, .json) or --format (default: none, print only)")
    .option("--seed <n>", "random seed (default: the document's policy.seed)", intOption("--seed", 0, 2 ** 31 - 1))
    .addOption(new Option("--time-budget <time>", "planning budget, e.g. 30s").argParser(durationMsOption("--time-budget")).default(DEFAULTS.timeBudgetMs, `${DEFAULTS.timeBudgetMs / 1000}s`))
    .option("--no-simulate", "skip re-simulating the changed hosts")
    .addOption(new Option("--simulate-duration <time>", "simulated time per changed host").argParser(durationMsOption("--simulate-duration")).default(RESIMULATE_MS, `${RESIMULATE_MS / 1000}s`))
    .option("--simulate-hosts <n>", "re-simulate at most this many changed hosts (worst first)", intOption("--simulate-hosts", 0, 100_000), RESIMULATE_HOSTS)
    .option("--advise", "add what-if advice to the report: for each breached host, its moves weighed by simulation against a scheduler upgrade, parameters, weights and caps (10 s x 3 seeds per option: about 5-10 s per host on 2 cores, hence off by default)")
    .option("--calibration <file>", "interference model, `vmplace calibrate` output (default: the bundled one)")
    .option("--objective <kind>", "min-energy values a switched-off host by its watts (default: the document's policy.objective)")
    .option("--robust <mode>", "n+1: switch no host off unless every remaining host can still be evacuated (default: policy.robustness)")
    .option("--headroom <percent>", "every SLO must hold with all VMs' CPU demand this much higher, e.g. 20%: hosts short of it shed VMs (mandatory) and no move takes it away (default: policy.headroomPercent)", percentOption("--headroom", 0, 400))
    .addOption(redisOption())
    .addOption(redisFallbackOption())
    .addOption(new Option("--emit <tool>", "also write the commands that carry the plan out, per wave, with a pre-check per move (default: none)").choices(EMIT_TARGETS))
    .option("--emit-out <file>", "write the --emit script to a file (default: standard output, the summary going to standard error)")
    .option("--connect <uri>", "--emit virsh: libvirt URI of a host, {host} standing for its id", DEFAULT_EMIT.connect)
    .option("--namespace <ns>", "--emit kubevirt: namespace of VM ids that name none", DEFAULT_EMIT.namespace);
  addFailOn(cmd, ["unplaced", "violation", "breach", "robustness"]).action(async (file: string, f: MigrateFlags) => {
    const format = outputFormat(f.format, f.out);
    if (f.emitOut !== undefined && f.emit === undefined) throw new InputError("--emit-out needs --emit virsh, openstack or kubevirt");
    if (f.emit !== undefined && f.emitOut === undefined && format !== undefined && !f.out) throw new InputError("--emit to standard output and --format to standard output cannot share it: give --out or --emit-out");
    if (f.out) checkWritable(f.out);
    if (f.emitOut) checkWritable(f.emitOut);
    const cluster = withPolicyFlags(loadWith(file, parseCluster), f);
    const plan = await runMigrate(cluster, f);
    const text = format ? renderDocument({ kind: "migration", doc: plan }, format) : undefined;
    const script = f.emit ? emitScript(plan, f.emit, { connect: f.connect ?? DEFAULT_EMIT.connect, namespace: f.namespace ?? DEFAULT_EMIT.namespace }) : undefined;
    if (f.out && text !== undefined) writeFileAtomic(f.out, text);
    if (f.emitOut && script !== undefined) writeFileAtomic(f.emitOut, script, 0o755);
    const summary = `${renderMigrationSummary(plan)}${f.out ? `\n${format} report written to ${f.out}` : ""}${f.emitOut ? `\n${f.emit} commands written to ${f.emitOut}` : ""}\n`;
    if (script !== undefined && !f.emitOut) {
      process.stdout.write(script);
      process.stderr.write(summary);
    } else if (text !== undefined && !f.out) process.stdout.write(text);
    else process.stdout.write(summary);
    settle("migrate", { status: plan.status ?? "ok", reasons: plan.reasons ?? [] }, f.failOn ?? new Set());
  });
}

/** migrationOptions validates the flags against the schema and the cluster (InputError, exit 2). */
export function migrationOptions(cluster: Cluster, f: MigrateFlags): MigrationOptions {
  const r = MigrationOptionsSchema.safeParse({
    mode: f.mode ?? (f.fromCurrent ? modeForObjective(cluster.policy.objective) : undefined),
    host: f.host,
    threshold: f.threshold ?? (f.fromCurrent ? FROM_CURRENT_THRESHOLD : undefined),
    maxMoves: f.maxMoves,
    maxMigratedMiB: f.maxMigratedGib === undefined ? undefined : Math.round(f.maxMigratedGib * 1024),
    maxConcurrent: f.maxConcurrent,
    perHostConcurrent: f.perHostConcurrent,
    seed: f.seed ?? cluster.policy.seed,
    timeBudgetMs: f.timeBudget,
  });
  const flag = (path: string): string => FLAG[path] ?? path;
  // Naming a host used to mean "evacuate it" silently; emptying a host is too big a step to guess.
  if (f.host !== undefined && f.mode === undefined)
    throw new InputError(`--host ${f.host} needs --mode evacuate (the only mode that takes a host); nothing was planned`);
  if (!r.success) throw new InputError("invalid option(s)", problemsFromZod(r.error).map((p) => ({ ...p, path: flag(p.path) })));
  const problems = optionProblems(cluster, r.data);
  if (problems.length > 0) throw new InputError("invalid option(s)", problems.map((p) => ({ ...p, path: flag(p.path) })));
  return r.data;
}

/**
 * runMigrate wires the edges (clock, progress, worker pool) around the planning, the
 * re-simulation of the changed hosts, which repairs the simulated breaches it finds, and, with
 * --advise, the what-if advice for the breached hosts.
 */
export async function runMigrate(cluster: Cluster, f: MigrateFlags): Promise<MigrationPlan> {
  const options = migrationOptions(cluster, f);
  const predictor = loadPredictor(f.calibration);
  // Reach the simulation backend before planning, so a wrong --redis fails in seconds, not after.
  const resimulating = f.simulate && f.simulateHosts > 0;
  const runner = resimulating || f.advise ? await openSimRunner(f) : undefined;
  let bar: Progress = NO_PROGRESS;
  try {
    const t0 = performance.now();
    process.stderr.write(`migrate: planning (${options.mode}, threshold ${options.threshold}) on ${cluster.hosts.length} hosts, ${cluster.vms.length} VMs\n`);
    const phase = (name: string, moves: number): void => void process.stderr.write(`migrate: ${name}${moves > 0 ? ` (${moves} move(s) so far)` : ""}\n`);
    const deps = { now: () => performance.now(), onPhase: phase };
    const run = f.fromCurrent ? planFromCurrent(cluster, predictor, options, deps) : { ...planMigrationSession(cluster, predictor, options, deps), unlimited: undefined };
    const { plan, session, unlimited } = run;
    process.stderr.write(`migrate: ${plan.summary.moves} move(s) in ${plan.summary.waves} wave(s), planned in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    let out = plan;
    if (resimulating && plan.moves.length > 0) {
      bar = progress("re-simulating changed hosts");
      out = await resimulateAndRepair(cluster, predictor, session, plan, runner!, { durationMs: f.simulateDuration, seed: options.seed, maxHosts: f.simulateHosts, onProgress: (x) => bar.update(x) });
      bar.done();
    }
    if (f.advise) {
      process.stderr.write(`migrate: weighing tuning against the moves for each breached host (--advise)\n`);
      const { adviseMigrationPlan } = await import("../../advise/plan-advice.js");
      const advice = adviceProgress();
      bar = advice;
      out = await adviseMigrationPlan(cluster, out, { seed: options.seed }, { predictor, runner: runner!, onProgress: advice.onProgress });
    }
    if (unlimited) out = withTradeoff(out, unlimited);
    return withStatus(out, migrationStatus(out));
  } finally {
    bar.done();
    await runner?.close();
  }
}

/** gibOption parses a non-negative amount of GiB (decimals allowed), naming the flag when wrong. */
function gibOption(flag: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v.trim()) || !Number.isFinite(n)) throw new InputError(`${flag} must be a number of GiB (0 or more), got "${v}"`);
    return n;
  };
}

export { gibOption };
