import type { Command } from "commander";
import { simulateProbe } from "../../interference/probe/simulate-probe.js";
import { InputError } from "../../io/load.js";
import {
  BOBTAIL_HIGH_MARK,
  BOBTAIL_LOW_MARK,
  DEFAULT_SLEEP_US,
  DEFAULT_THRESHOLD_MS,
  ProbeReportSchema,
  REFERENCE_SECONDS,
  type ProbeParams,
  type ProbeReport,
} from "../../model/probe.js";
import { inlineRunner } from "../../sim/runner.js";
import { durationMsOption, intOption } from "../options.js";
import { progress } from "../progress.js";
import { probeReal } from "../probe/probe-real.js";
import { loadSite } from "../probe/load-site.js";
import { renderProbe } from "../render-probe.js";
import { FAIL_ON, type FailOn } from "../../interference/probe/verdict.js";

/** ProbeFlags are the parsed options of `vmplace probe`. */
export interface ProbeFlags {
  duration?: number;
  sleepUs: number;
  thresholdMs: number;
  iterations?: number;
  low: number;
  high: number;
  failOn: FailOn;
  json?: boolean;
  simulate?: string;
  host?: string;
  vm?: string;
  scheduler?: string;
  seed?: number;
}

const REAL_DURATION_MS = 10_000;
const SIMULATED_DURATION_MS = REFERENCE_SECONDS * 1000;

/** registerProbe adds `vmplace probe`: the tenant's instance test (Bobtail), real or simulated. */
export function registerProbe(program: Command): void {
  program
    .command("probe")
    .description(
      "the tenant's instance test (Bobtail): sleep S in a loop, count wake-ups >= 10 ms late, judge GOOD / NEEDS-NETWORK-TEST / BAD; " +
        "exit 0 when the verdict passes --fail-on, 3 when it does not or the run was stopped early, 2 on bad input",
    )
    .option("--duration <time>", `how long to probe (default ${REAL_DURATION_MS / 1000}s; with --simulate, ${SIMULATED_DURATION_MS / 1000}s of simulated time)`, durationMsOption("--duration"))
    .option("--sleep-us <us>", "the sleep S of each iteration, in microseconds", intOption("--sleep-us", 1, 1_000_000), DEFAULT_SLEEP_US)
    .option("--threshold-ms <ms>", "an oversleep this long or longer counts", positiveOption("--threshold-ms", 10_000), DEFAULT_THRESHOLD_MS)
    .option("--iterations <n>", "also stop after this many iterations, real probe only (default: none, --duration stops it)", intOption("--iterations", 1))
    .option("--low <n>", "LOW mark: at most this many long oversleeps per 100 s is GOOD", markOption("--low"), BOBTAIL_LOW_MARK)
    .option("--high <n>", "HIGH mark: more than this many per 100 s is BAD", markOption("--high"), BOBTAIL_HIGH_MARK)
    .option("--fail-on <verdict>", `exit 3 at this verdict or worse: ${FAIL_ON.join(", ")}`, failOnOption, "needs-test")
    .option("--json", "print the report as JSON (vmplace schema probe)")
    .option("--simulate <cluster>", "run the probe in the simulator instead, in a VM of this cluster document (default: none, probe this instance)")
    .option("--host <id>", "with --simulate: the host (default: the VM's current host)")
    .option("--vm <id>", "with --simulate: the VM that runs the probe (default: none; required with --simulate)")
    .option("--scheduler <kind>", "with --simulate: run this scheduler instead of the host's (default: the host's)")
    .option("--seed <n>", "with --simulate: random seed (default: the cluster's policy seed)", intOption("--seed", 0, 2 ** 31 - 1))
    .action(async (f: ProbeFlags) => {
      checkFlags(f);
      const report = f.simulate === undefined ? await probeReal(paramsOf(f, REAL_DURATION_MS), f.failOn) : await probeSimulated(f);
      const out = ProbeReportSchema.parse(report);
      process.stdout.write(f.json ? `${JSON.stringify(out, null, 2)}\n` : `${renderProbe(out)}\n`);
      if (out.status !== "ok") process.exitCode = 3;
    });
}

async function probeSimulated(f: ProbeFlags): Promise<ProbeReport> {
  const { site, seed, scheduler } = loadSite(f.simulate as string, f);
  const bar = progress("simulating");
  try {
    const p = paramsOf(f, SIMULATED_DURATION_MS);
    return await simulateProbe({ site, params: p, seed: f.seed ?? seed, scheduler, failOn: f.failOn }, withProgress(bar));
  } finally {
    bar.done();
  }
}

function withProgress(bar: ReturnType<typeof progress>): typeof inlineRunner {
  return { ...inlineRunner, runAll: (jobs) => inlineRunner.runAll(jobs, (d, t) => bar.update(d / t)) };
}

function paramsOf(f: ProbeFlags, defaultDurationMs: number): ProbeParams {
  return {
    sleepUs: f.sleepUs,
    thresholdMs: f.thresholdMs,
    lowMark: f.low,
    highMark: f.high,
    durationMs: f.duration ?? defaultDurationMs,
    iterations: f.iterations ?? null,
  };
}

function checkFlags(f: ProbeFlags): void {
  if (f.low > f.high) throw new InputError(`--low (${f.low}) must not be above --high (${f.high})`);
  if (f.simulate === undefined) {
    for (const [flag, v] of [["--host", f.host], ["--vm", f.vm], ["--scheduler", f.scheduler], ["--seed", f.seed]] as const)
      if (v !== undefined) throw new InputError(`${flag} needs --simulate CLUSTER`);
    return;
  }
  if (f.vm === undefined) throw new InputError("--simulate needs --vm ID: the VM that runs the probe");
  if (f.iterations !== undefined)
    throw new InputError("--iterations applies to the real probe; a simulated probe runs for --duration of simulated time");
}

function positiveOption(flag: string, max: number): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isFinite(x) || x <= 0 || x > max)
      throw new InputError(`${flag} must be a number above 0 and at most ${max}, got "${v}"`);
    return x;
  };
}

function markOption(flag: string): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isFinite(x) || x < 0)
      throw new InputError(`${flag} must be a number of long oversleeps per 100 s (0 or more), got "${v}"`);
    return x;
  };
}

function failOnOption(v: string): FailOn {
  if (!(FAIL_ON as readonly string[]).includes(v)) throw new InputError(`--fail-on must be one of ${FAIL_ON.join(", ")}, got "${v}"`);
  return v as FailOn;
}
