import { Option, type Command } from "commander";
import { InputError } from "../../io/load.js";
import { writeFileAtomic } from "../../io/write.js";
import { listInputs, readText } from "../../io/import/files.js";
import { IMPORT_FORMATS, ImportOptionsSchema, WORKLOAD_CLASSES, isHostFormat, type ImportOptions } from "../../io/import/options.js";
import { runImport } from "../../io/import/run-import.js";
import { renderSummary } from "../../io/import/summary.js";
import type { Problem } from "../../model/problems.js";
import { intOption } from "../options.js";
import { NO_PROGRESS, progress } from "../progress.js";
import { importFromPrometheus, PROMETHEUS_FLAGS, type PrometheusCliFlags } from "./import-prometheus.js";

interface ImportFlags extends PrometheusCliFlags {
  format: string;
  hosts?: string;
  limit?: number;
  window?: string;
  seed: number;
  vcpus?: number;
  memoryMib?: number;
  class?: string;
  skipBad?: boolean;
  out: string;
  dryRun?: boolean;
}

/** Progress is shown from this much input on: small imports finish before a bar would help. */
const PROGRESS_MIN_FILES = 100;
const PROGRESS_MIN_BYTES = 20 * 1024 * 1024;
/** At most this many problems are printed; the count says how many there were. */
const MAX_SHOWN_PROBLEMS = 25;

/** FLAG names each option's field as the user typed it, for error messages. */
const FLAG: Record<string, string> = {
  limit: "--limit",
  window: "--window",
  seed: "--seed",
  vcpus: "--vcpus",
  memoryMiB: "--memory-mib",
  workloadClass: "--class",
  format: "--format",
};

/** registerImport adds `vmplace import`: real inventories and traces into a cluster document. */
export function registerImport(program: Command): void {
  const cmd = program
    .command("import")
    .description("import VM traces (PlanetLab, Bitbrains, Azure vmtable), host inventories, or a live fleet from Prometheus into a cluster document")
    .argument("[paths...]", "input files or folders (a folder gives its files of the format, sorted by name); none with --format prometheus")
    .addOption(new Option("--format <format>", "input format (required)").choices([...IMPORT_FORMATS, "prometheus"]).makeOptionMandatory())
    .requiredOption("--out <file>", "cluster document to write, only when the whole import succeeds (required)")
    .option("--dry-run", "read and check everything, print the summary, write nothing")
    .option("--hosts <file>", "hosts CSV or Alibaba node list giving the cluster's hosts (default: generated hosts)")
    .option("--limit <n>", "import at most n VMs (or hosts), in input order (default: all)", intOption("--limit", 1))
    .option("--window <window>", "START:END keeps samples with index in [start, end) (Azure: VMs alive then) (default: every sample); with --format prometheus, the time read back from now (default: 1h)")
    .option("--seed <n>", "seed of the PlanetLab size mix", intOption("--seed", 0, 2 ** 31 - 1), 1)
    .option("--vcpus <n>", "PlanetLab: vCPUs of every VM (default: seeded mix)", intOption("--vcpus", 1, 1024))
    .option("--memory-mib <n>", "PlanetLab: memory of every VM in MiB (default: seeded mix)", intOption("--memory-mib", 1))
    .addOption(new Option("--class <class>", "trace workload class (default: auto, from the series)").choices(WORKLOAD_CLASSES))
    .option("--skip-bad", "report malformed rows and skip them instead of failing");
  for (const [flags, help] of PROMETHEUS_FLAGS) cmd.option(flags, help);
  cmd.action((paths: string[], f: ImportFlags) => (f.format === "prometheus" ? importFromPrometheus(paths, f) : importAction(paths, f)));
}

function importAction(paths: string[], f: ImportFlags): void {
  if (paths.length === 0) throw new InputError(`--format ${f.format} reads files: name at least one`);
  const used = PROMETHEUS_FLAGS.map(([flags]) => flags.split(" ")[0]).filter((flag) => f[camel(flag) as keyof PrometheusCliFlags] !== undefined);
  if (used.length > 0) throw new InputError(`${used.join(", ")} appl${used.length === 1 ? "ies" : "y"} only to --format prometheus`);
  const options = parseOptions(f);
  if (f.hosts !== undefined && isHostFormat(options.format))
    throw new InputError(`--hosts combines only with VM formats; --format ${options.format} already reads hosts`);
  const inputs = listInputs(paths, options.format);
  const big = inputs.files.length >= PROGRESS_MIN_FILES || inputs.totalBytes >= PROGRESS_MIN_BYTES;
  const bar = big ? progress(`importing ${options.format}`) : NO_PROGRESS;
  const hosts = f.hosts === undefined ? undefined : { path: f.hosts, read: () => readText(f.hosts as string) };
  const outcome = runImport({ options, inputs: inputs.files, hosts, progress: (x) => bar.update(x) });
  bar.done();
  for (const line of renderSummary(outcome.summary)) process.stderr.write(`import: ${line}\n`);
  if (!outcome.ok) {
    const hint = options.skipBad ? "" : " (--skip-bad skips malformed rows)";
    throw new InputError(`import failed with ${outcome.problems.length} problem(s), nothing written${hint}`, shown(outcome.problems));
  }
  if (f.dryRun) return void process.stderr.write(`import: --dry-run: ${f.out} not written\n`);
  writeFileAtomic(f.out, outcome.json);
  process.stderr.write(`import: wrote ${f.out}\n`);
}

function camel(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function parseOptions(f: ImportFlags): ImportOptions {
  const r = ImportOptionsSchema.safeParse({
    format: f.format,
    limit: f.limit,
    window: f.window,
    seed: f.seed,
    vcpus: f.vcpus,
    memoryMiB: f.memoryMib,
    workloadClass: f.class,
    skipBad: f.skipBad ?? false,
  });
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({ path: FLAG[String(i.path[0])] ?? String(i.path[0] ?? ""), message: i.message }));
  throw new InputError(`invalid option(s)`, problems);
}

export function shown(problems: readonly Problem[]): Problem[] {
  if (problems.length <= MAX_SHOWN_PROBLEMS) return [...problems];
  const more = { path: "...", message: `and ${problems.length - MAX_SHOWN_PROBLEMS} more` };
  return [...problems.slice(0, MAX_SHOWN_PROBLEMS), more];
}
