import { Option, type Command } from "commander";
import { DEFAULT_ASSUME_FOR_MS, type FleetSource } from "../../api/server.js";
import { InputError, loadWith } from "../../io/load.js";
import { importPrometheus } from "../../io/prometheus/import.js";
import { watchPath } from "../../io/watch.js";
import type { Cluster } from "../../model/cluster.js";
import { renderProblems } from "../../model/problems.js";
import { parseCluster } from "../../model/validate.js";
import { DurationSec } from "../../io/prometheus/options.js";
import { durationMsOption, intOption } from "../options.js";
import { PROMETHEUS_FLAGS, sourceFromFlags, type PrometheusCliFlags } from "./import-prometheus.js";

export interface SourceFlags extends PrometheusCliFlags {
  cluster?: string;
  source?: "prometheus" | "file";
  watch?: boolean;
  auditEvery?: string;
  auditHistory?: number;
  assumeFor?: number;
  window?: string;
  hosts?: string;
}

/** The poll interval of --watch: a change is seen within a second. */
const WATCH_INTERVAL_MS = 1000;
const DEFAULT_AUDIT_EVERY = "5m";

/** addSourceOptions: where `vmplace serve` keeps its cluster fresh from, and how often it audits it. */
export function addSourceOptions(cmd: Command): Command {
  cmd
    .addOption(new Option("--source <kind>", "keep the cluster fresh from prometheus (--url) or the --cluster file (default: prometheus with --url, file with --watch or --audit-every, else none)").choices(["prometheus", "file"]))
    .option("--watch", "with --cluster: reload and audit the file whenever it changes")
    .option("--audit-every <duration>", `re-read the source and audit it this often, e.g. 5m (default ${DEFAULT_AUDIT_EVERY} with --source prometheus)`)
    .option("--audit-history <n>", "audits kept for GET /v1/audits", intOption("--audit-history", 1, 10_000), 50)
    .addOption(new Option("--assume-for <duration>", "a pod the extender placed counts on its node through refreshes that do not show it yet, this long at most").argParser(durationMsOption("--assume-for")).default(DEFAULT_ASSUME_FOR_MS, `${DEFAULT_ASSUME_FOR_MS / 60_000}m`))
    .option("--window <duration>", "prometheus: the CPU history each audit reads (default 1h)")
    .option("--hosts <file>", "prometheus: hosts CSV or Alibaba node list sizing the hosts (default: node metrics)");
  for (const [flags, help] of PROMETHEUS_FLAGS) if (!flags.startsWith("--at ")) cmd.option(flags, help);
  return cmd;
}

/** sourceOf: the fleet source the flags describe, or undefined for a static --cluster (or none). */
export function sourceOf(f: SourceFlags): FleetSource | undefined {
  const kind = f.source ?? (f.url !== undefined ? "prometheus" : f.watch || f.auditEvery !== undefined ? "file" : undefined);
  const everyMs = f.auditEvery === undefined ? undefined : durationMs(f.auditEvery, "--audit-every");
  if (kind === "prometheus") {
    if (f.cluster !== undefined) throw new InputError("--cluster and --source prometheus exclude each other: the cluster comes from Prometheus");
    if (f.watch) throw new InputError("--watch watches a --cluster file; with --source prometheus use --audit-every");
    const src = sourceFromFlags(f);
    return {
      describe: `prometheus ${new URL(src.url).origin}, ${src.windowSec} s window every ${src.stepSec} s`,
      everyMs: everyMs ?? durationMs(DEFAULT_AUDIT_EVERY, "--audit-every"),
      load: async () => {
        const r = await importPrometheus({ ...src, endSec: Math.floor(Date.now() / 1000) });
        if (!r.ok) throw new Error(`the fleet read from Prometheus is not a valid cluster: ${r.problems.length} problem(s)\n${renderProblems(r.problems.slice(0, 10))}`);
        return parsed(r.cluster);
      },
    };
  }
  const unused = PROMETHEUS_FLAGS.map(([flag]) => flag.split(" ")[0]).filter((flag) => (f as Record<string, unknown>)[camel(flag)] !== undefined);
  if (unused.length > 0 || f.window !== undefined || f.hosts !== undefined) throw new InputError(`${[...unused, ...(f.window !== undefined ? ["--window"] : []), ...(f.hosts !== undefined ? ["--hosts"] : [])].join(", ")}: only with --source prometheus`);
  if (kind === undefined) return undefined;
  const path = f.cluster;
  if (path === undefined) throw new InputError("--watch and --audit-every without --source prometheus need --cluster FILE");
  return {
    describe: `file ${path}`,
    everyMs,
    load: async () => {
      try {
        return loadWith(path, parseCluster);
      } catch (e) {
        if (e instanceof InputError) throw new Error(`${e.message}${e.problems.length > 0 ? `\n${renderProblems(e.problems.slice(0, 10))}` : ""}`);
        throw e;
      }
    },
    ...(f.watch ? { watch: (onChange: () => void) => watchPath(path, WATCH_INTERVAL_MS, onChange) } : {}),
  };
}

function parsed(input: unknown): Cluster {
  const r = parseCluster(input);
  if (!r.ok) throw new Error(`the imported cluster does not parse: ${renderProblems(r.problems.slice(0, 10))}`);
  return r.value;
}

function durationMs(text: string, flag: string): number {
  const r = DurationSec.safeParse(text);
  if (!r.success) throw new InputError(`${flag} must be a duration like 30s, 5m or 1h, got "${text}"`);
  return r.data * 1000;
}

function camel(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
