import type { Command } from "commander";
import { InputError, readJsonFile } from "../../io/load.js";
import { problemsFromZod } from "../../model/problems.js";
import { ScenarioSchema, type Scenario, type ScenarioInput } from "../../model/scenario.js";
import { defaultScheduler, SCHEDULER_KINDS, type SchedulerKind, type SchedulerParams } from "../../model/scheduler.js";
import { parseCluster } from "../../model/validate.js";
import { notSimulatedMessage, simulationProblems } from "../../sim/simulable.js";
import { simulateHost } from "../../sim/simulate-host.js";
import { renderSimComparison, renderSimResult } from "../render-sim.js";

export interface SimulateOptions {
  host?: string;
  scheduler?: string;
  compare?: string;
  duration?: string;
  seed?: string;
  json?: boolean;
  chargeDriverWork?: string;
}

/** registerSimulate adds `vmplace simulate FILE`: one host's discrete-event simulation. */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("simulate one host's hypervisor CPU scheduler: per-VM request latency, wake-to-run and CPU share")
    .argument("<file>", 'a scenario ({"host", "vms", "durationMs", "seed"}) or a cluster document with --host')
    .option("--host <id>", "in a cluster document, the host to simulate (with the VMs whose host is ID) (default: the only host, when there is one)")
    .option("--scheduler <kind>", `run this scheduler instead of the host's (${SCHEDULER_KINDS.join(", ")}) (default: the host's)`)
    .option("--duration <time>", "measured simulated time after warm-up: ms (5000) or with a unit (10s, 500ms, 2m) (default: the scenario's durationMs, 60s)")
    .option(
      "--compare <kinds>",
      `simulate the host under each of these schedulers, side by side (comma-separated: ${SCHEDULER_KINDS.join(",")}; credit1, credit2, cfs, eevdf for short) (default: none, the host's scheduler alone)`,
    )
    .option("--seed <n>", "random seed: same seed, same result (default: the scenario's or policy's seed)")
    .option("--charge-driver-work <on|off>", "bill the driver domain's CPU to the guests that caused it, or not (default: the host's driverDomain.chargeDriverWork)")
    .option("--json", "print the result as JSON (HostSimResult, or an array of them with --compare)")
    .action((file: string, opts: SimulateOptions) => {
      const scenario = loadScenario(file, opts);
      if (opts.compare !== undefined) {
        if (opts.scheduler !== undefined) throw new InputError("--compare and --scheduler cannot be combined");
        const kinds = parseCompare(opts.compare);
        const results = kinds.map((kind) => simulateHost(scenario, { scheduler: chooseScheduler(scenario.host.scheduler, kind) }));
        process.stdout.write(
          opts.json ? `${JSON.stringify(results, null, 2)}\n` : `${renderSimComparison(results, scenario.vms)}\n`,
        );
        return;
      }
      const scheduler = chooseScheduler(scenario.host.scheduler, opts.scheduler);
      const result = simulateHost(scenario, { scheduler });
      process.stdout.write(
        opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderSimResult(result, scenario.vms)}\n`,
      );
    });
}

/** loadScenario reads FILE as a scenario or a cluster document and applies the options. */
export function loadScenario(file: string, opts: SimulateOptions): Scenario {
  const doc = readJsonFile(file);
  const input = isCluster(doc) ? scenarioFromCluster(doc, file, opts.host) : scenarioInput(doc, file, opts.host);
  if (opts.duration !== undefined) input.durationMs = parseDurationMs(opts.duration);
  if (opts.seed !== undefined) input.seed = parseSeed(opts.seed);
  if (opts.chargeDriverWork !== undefined) input.host = withCharging(input.host, opts.chargeDriverWork, file);
  const parsed = ScenarioSchema.safeParse(input);
  if (!parsed.success)
    throw new InputError(`${file}: ${parsed.error.issues.length} problem(s)`, problemsFromZod(parsed.error));
  return parsed.data;
}

function isCluster(doc: unknown): doc is Record<string, unknown> {
  return typeof doc === "object" && doc !== null && !Array.isArray(doc) && "hosts" in doc;
}

function scenarioInput(doc: unknown, file: string, hostId: string | undefined): ScenarioInput {
  const parsed = ScenarioSchema.safeParse(doc);
  if (!parsed.success)
    throw new InputError(
      `${file}: not a valid scenario (${parsed.error.issues.length} problem(s)); a cluster document needs "hosts"`,
      problemsFromZod(parsed.error),
    );
  if (hostId !== undefined && hostId !== parsed.data.host.id)
    throw new InputError(`${file}: --host ${hostId} does not match the scenario's host "${parsed.data.host.id}"`);
  return { ...parsed.data };
}

function scenarioFromCluster(doc: unknown, file: string, hostId: string | undefined): ScenarioInput {
  const r = parseCluster(doc);
  if (!r.ok) throw new InputError(`${file}: ${r.problems.length} problem(s)`, r.problems);
  const cluster = r.value;
  const ids = cluster.hosts.map((h) => h.id);
  const id = hostId ?? (ids.length === 1 ? ids[0] : undefined);
  if (id === undefined)
    throw new InputError(`${file}: the cluster has ${ids.length} hosts; choose one with --host (${listed(ids)})`);
  const host = cluster.hosts.find((h) => h.id === id);
  if (!host) throw new InputError(`${file}: no host "${id}" (hosts: ${listed(ids)})`);
  const vms = cluster.vms.filter((vm) => vm.host === id);
  if (vms.length === 0)
    throw new InputError(`${file}: no VM runs on host "${id}" (a VM's current host is its "host" field)`);
  return { host, vms, seed: cluster.policy.seed };
}

/** withCharging sets the host's driverDomain.chargeDriverWork from --charge-driver-work. */
function withCharging(host: ScenarioInput["host"], text: string, file: string): ScenarioInput["host"] {
  const on = { on: true, off: false }[text.trim()];
  if (on === undefined) throw new InputError(`--charge-driver-work: "${text}" must be on or off`);
  if (host.driverDomain === undefined)
    throw new InputError(`--charge-driver-work: host "${host.id}" in ${file} has no driverDomain to charge`);
  return { ...host, driverDomain: { ...host.driverDomain, chargeDriverWork: on } };
}

/** parseDurationMs accepts 5000 (ms), 500ms, 10s, 1.5s or 2m. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  const unitMs = { ms: 1, s: 1000, m: 60_000 }[m?.[2] ?? "ms"] ?? 1;
  const ms = m ? Number(m[1]) * unitMs : NaN;
  if (!(Number.isInteger(ms) && ms >= 1))
    throw new InputError(`--duration: "${text}" is not a whole number of milliseconds (e.g. 5000, 500ms, 10s, 2m)`);
  return ms;
}

function parseSeed(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(n) && n <= 2 ** 31 - 1))
    throw new InputError(`--seed: "${text}" is not a whole number between 0 and ${2 ** 31 - 1}`);
  return n;
}

/**
 * chooseScheduler picks the policy parameters: the host's own, or the defaults of --scheduler's
 * kind (the host's tuned parameters are kept when it names the host's own kind).
 */
export function chooseScheduler(hostParams: SchedulerParams, kind: string | undefined): SchedulerParams {
  if (kind !== undefined && !(SCHEDULER_KINDS as readonly string[]).includes(kind))
    throw new InputError(`--scheduler: unknown kind "${kind}" (one of ${SCHEDULER_KINDS.join(", ")})`);
  const params = kind === undefined || kind === hostParams.kind ? hostParams : defaultScheduler(kind as SchedulerKind);
  if (simulationProblems(params.kind, "host.scheduler.kind").length > 0) throw new InputError(notSimulatedMessage(params.kind));
  return params;
}

/** Short names operators use for the scheduler kinds. */
const KIND_ALIASES: Record<string, SchedulerKind> = {
  credit1: "xen-credit",
  credit: "xen-credit",
  credit2: "xen-credit2",
  cfs: "kvm-cfs",
  eevdf: "kvm-eevdf",
};

/** parseCompare reads --compare's list: kinds or their short names, each at most once. */
export function parseCompare(text: string): SchedulerKind[] {
  const kinds: SchedulerKind[] = [];
  for (const raw of text.split(",").map((k) => k.trim())) {
    const kind = KIND_ALIASES[raw] ?? (SCHEDULER_KINDS as readonly string[]).find((k) => k === raw);
    if (kind === undefined)
      throw new InputError(
        `--compare: unknown scheduler "${raw}" (one of ${[...Object.keys(KIND_ALIASES), ...SCHEDULER_KINDS].join(", ")})`,
      );
    if (kinds.includes(kind as SchedulerKind)) throw new InputError(`--compare: "${raw}" is listed twice`);
    kinds.push(kind as SchedulerKind);
  }
  return kinds;
}

function listed(ids: readonly string[]): string {
  return ids.length <= 8 ? ids.join(", ") : `${ids.slice(0, 8).join(", ")}, ... ${ids.length - 8} more`;
}
