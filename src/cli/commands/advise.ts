import { Option, type Command } from "commander";
import type { AdvicePhase } from "../../advise/advise.js";
import { adviceProblems } from "../../advise/problems.js";
import { loadPredictor } from "../../io/calibration.js";
import { InputError, loadWith } from "../../io/load.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import { AdviceSettingsSchema, type AdviceSettings } from "../../model/advice.js";
import type { Cluster } from "../../model/cluster.js";
import { problemsFromZod } from "../../model/problems.js";
import { parseCluster } from "../../model/validate.js";
import { renderDocument, REPORT_FORMATS, type ReportFormat } from "../../report/render.js";
import { addFailOn, settle, type FailOn } from "../exit-policy.js";
import { durationMsOption, intOption } from "../options.js";
import { outputFormat } from "../output-format.js";
import { NO_PROGRESS, progress, type Progress } from "../progress.js";
import { renderAdviceSummary } from "../render-advice.js";
import { openSimRunner, redisFallbackOption, redisOption, type SimBackendFlags } from "../sim-backend.js";

export interface AdviseFlags extends SimBackendFlags {
  host?: string;
  duration: number;
  seeds: number;
  seed?: number;
  maxHosts: number;
  json?: boolean;
  format?: ReportFormat;
  out?: string;
  calibration?: string;
  failOn?: FailOn;
}

/** The schema's defaults, shown in --help. */
const DEFAULTS = AdviceSettingsSchema.parse({});
const FLAG: Record<string, string> = { host: "--host", durationMs: "--duration", seeds: "--seeds", seed: "--seed", maxHosts: "--max-hosts" };

/** registerAdvise adds `vmplace advise FILE`: tuning weighed against migrations, by simulation. */
export function registerAdvise(program: Command): void {
  const cmd = program
    .command("advise")
    .description("for each host with an SLO breach, weigh by simulation a scheduler upgrade, scheduler parameters, weights, slices and caps against the migrations that fix it, and recommend one")
    .argument("<file>", "cluster document whose VMs carry their current host")
    .option("--host <id>", "advise this host only, breach or not (default: every host with a predicted or simulated breach)")
    .addOption(new Option("--duration <time>", "simulated time measured per run, e.g. 10s").argParser(durationMsOption("--duration")).default(DEFAULTS.durationMs, `${DEFAULTS.durationMs / 1000}s`))
    .addOption(new Option("--seeds <n>", "simulations per option (their median is compared)").argParser(intOption("--seeds", 1, 25)).default(DEFAULTS.seeds))
    .option("--seed <n>", "first seed (default: the document's policy.seed)", intOption("--seed", 0, 2 ** 31 - 1))
    .addOption(new Option("--max-hosts <n>", "advise at most this many breached hosts, worst first").argParser(intOption("--max-hosts", 1, 10_000)).default(DEFAULTS.maxHosts))
    .option("--json", "print the advice document as JSON")
    .addOption(new Option("--format <format>", "print (or write) the advice as html, md or json instead of the summary (default: the summary; with --out, its extension)").choices(REPORT_FORMATS))
    .option("--out <file>", "write the advice to a file, as its extension says (.html, .md, .json) or --format (default: none, print only)")
    .option("--calibration <file>", "interference model, `vmplace calibrate` output (default: the bundled one)")
    .addOption(redisOption())
    .addOption(redisFallbackOption());
  addFailOn(cmd, ["breach"]).action(async (file: string, f: AdviseFlags) => {
    if (f.json && (f.format !== undefined || f.out !== undefined)) throw new InputError("--json prints the document; use --format json --out FILE to write it");
    const format = f.json ? "json" : outputFormat(f.format, f.out);
    if (f.out) checkWritable(f.out);
    const cluster = loadWith(file, parseCluster);
    const settings = adviceSettings(cluster, f);
    const advice = await runAdvise(cluster, settings, f);
    const text = format ? renderDocument({ kind: "advice", doc: advice }, format) : undefined;
    if (f.out && text !== undefined) writeFileAtomic(f.out, text);
    if (text !== undefined && !f.out) process.stdout.write(text);
    else process.stdout.write(`${renderAdviceSummary(advice)}${f.out ? `\n${format} advice written to ${f.out}` : ""}\n`);
    settle("advise", advice, f.failOn ?? new Set());
  });
}

/** adviceSettings checks the flags against the schema and the cluster (InputError, exit 2). */
export function adviceSettings(cluster: Cluster, f: AdviseFlags): AdviceSettings {
  const r = AdviceSettingsSchema.safeParse({ host: f.host, durationMs: f.duration, seeds: f.seeds, seed: f.seed, maxHosts: f.maxHosts });
  const flag = (path: string): string => FLAG[path] ?? path;
  if (!r.success) throw new InputError("invalid option(s)", problemsFromZod(r.error).map((p) => ({ ...p, path: flag(p.path) })));
  const problems = adviceProblems(cluster, r.data);
  if (problems.length > 0) throw new InputError("nothing to advise on", problems.map((p) => ({ ...p, path: flag(p.path) })));
  return r.data;
}

/** runAdvise wires the edges (progress, the simulation backend) around the advisor. */
async function runAdvise(cluster: Cluster, settings: AdviceSettings, f: AdviseFlags) {
  const predictor = loadPredictor(f.calibration);
  const runner = await openSimRunner(f);
  const { adviseCluster } = await import("../../advise/advise.js");
  const bar = adviceProgress();
  try {
    return await adviseCluster(cluster, settings, { predictor, runner, onProgress: bar.onProgress });
  } finally {
    bar.done();
    await runner.close();
  }
}

/** adviceProgress: one progress bar per phase of the advice (screening, planning, simulating). */
export function adviceProgress(): Progress & { onProgress: (phase: AdvicePhase, done: number, total: number) => void } {
  let bar: Progress = NO_PROGRESS;
  let phase: AdvicePhase | undefined;
  return {
    onProgress(p, done, total) {
      if (p !== phase) (bar.done(), (bar = progress(`advise: ${p}`)), (phase = p));
      bar.update(total === 0 ? 1 : done / total);
    },
    update: (x) => bar.update(x),
    done: () => bar.done(),
  };
}
