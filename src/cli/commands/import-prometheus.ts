import { InputError } from "../../io/load.js";
import { writeFileAtomic } from "../../io/write.js";
import { renderSummary } from "../../io/import/summary.js";
import { PrometheusError } from "../../io/prometheus/client.js";
import { importPrometheus } from "../../io/prometheus/import.js";
import { prometheusSource, type PrometheusSource } from "../../io/prometheus/options.js";
import { shown } from "./import.js";

/** The flags a Prometheus source takes (import --format prometheus, serve --source prometheus). */
export interface PrometheusCliFlags {
  url?: string;
  step?: string;
  rateWindow?: string;
  profile?: string;
  mapping?: string;
  scheduler?: string;
  bearerTokenFile?: string;
  at?: string;
}

export const PROMETHEUS_FLAGS: readonly [string, string][] = [
  ["--url <url>", "prometheus: the Prometheus server, e.g. http://prometheus:9090 (default: none; needed by --format or --source prometheus)"],
  ["--step <duration>", "prometheus: one utilisation sample per step (default: the window / 60)"],
  ["--rate-window <duration>", "prometheus: range of each rate() (default: 4 steps, at least 1m)"],
  ["--profile <name>", "prometheus: metric names and labels, libvirt (default) or cadvisor"],
  ["--mapping <file>", "prometheus: JSON mapping of metric names and labels, docs/operator.md (default: none, the profile as is)"],
  ["--scheduler <kind>", "prometheus: scheduler of hosts read from Prometheus (default xen-credit; --hosts can say per host)"],
  ["--bearer-token-file <file>", "prometheus: token sent to Prometheus as Authorization: Bearer (default: none)"],
  ["--at <time>", "prometheus: end of the window, RFC 3339 or unix seconds (default: now)"],
];

// The flag each field came from, for error messages.
const FLAG: Record<string, string> = { url: "--url", window: "--window", step: "--step", rateWindow: "--rate-window", profile: "--profile", mapping: "--mapping", hosts: "--hosts", scheduler: "--scheduler", bearerTokenFile: "--bearer-token-file", workloadClass: "--class" };

/** sourceFromFlags: a checked Prometheus source from the shared flags. */
export function sourceFromFlags(f: PrometheusCliFlags & { window?: string; hosts?: string; class?: string; skipBad?: boolean }): PrometheusSource {
  if (f.url === undefined) throw new InputError("--url: the Prometheus server to read is required");
  return prometheusSource(
    { url: f.url, window: f.window, step: f.step, rateWindow: f.rateWindow, profile: f.profile as never, mapping: f.mapping, hosts: f.hosts, scheduler: f.scheduler as never, bearerTokenFile: f.bearerTokenFile, workloadClass: f.class as never, skipBad: f.skipBad },
    (field) => FLAG[field] ?? field,
  );
}

/** endOf: --at as unix seconds (now without it). */
export function endOf(at: string | undefined, now: number): number {
  if (at === undefined) return Math.floor(now / 1000);
  const n = /^\d+(\.\d+)?$/.test(at) ? Number(at) * 1000 : Date.parse(at);
  if (!Number.isFinite(n)) throw new InputError(`--at must be RFC 3339 (2025-01-31T12:00:00Z) or unix seconds, got "${at}"`);
  return Math.floor(n / 1000);
}

/** importFromPrometheus: `vmplace import --format prometheus --url URL --out FILE`. */
export async function importFromPrometheus(paths: string[], f: PrometheusCliFlags & { window?: string; hosts?: string; class?: string; skipBad?: boolean; out: string; dryRun?: boolean }): Promise<void> {
  if (paths.length > 0) throw new InputError(`--format prometheus reads no files (got ${paths.join(" ")}); it reads --url`);
  const source = sourceFromFlags(f);
  const end = endOf(f.at, Date.now());
  let outcome;
  try {
    outcome = await importPrometheus({ ...source, endSec: end });
  } catch (e) {
    if (e instanceof PrometheusError) throw new InputError(e.message);
    throw e;
  }
  for (const line of renderSummary(outcome.summary)) process.stderr.write(`import: ${line}\n`);
  if (!outcome.ok) throw new InputError(`import failed with ${outcome.problems.length} problem(s), nothing written${f.skipBad ? "" : " (--skip-bad leaves out the VMs they concern)"}`, shown(outcome.problems));
  if (f.dryRun) return void process.stderr.write(`import: --dry-run: ${f.out} not written\n`);
  writeFileAtomic(f.out, outcome.json);
  process.stderr.write(`import: wrote ${f.out}\n`);
}
