import type { Verdict } from "../../model/probe.js";
import { ScenarioSchema, type HostSimResult } from "../../model/scenario.js";
import type { SchedulerKind } from "../../model/scheduler.js";
import { defaultScheduler } from "../../model/scheduler.js";
import type { SimJob } from "../../sim/runner.js";
import { REFERENCE_IO } from "./neighbourhood.js";
import { normalise, verdictOf, type Marks } from "./verdict.js";

// How well the probe's verdict tells good neighbourhoods from bad ones, judged against what a
// tenant cares about: the simulated p99.9 of an io workload on the same host (bench/probe.ts).

/** GridCell is one neighbourhood of the evaluation grid: E4's host with N CPU VMs of duty d, burst b. */
export interface GridCell {
  scheduler: SchedulerKind;
  cores: number;
  n: number;
  duty: number;
  burstMs: number;
  distribution: "jitter" | "exponential";
  seed: number;
}

/** GridSpec spans the grid; every combination is one simulation. */
export interface ProbeGridSpec {
  schedulers: readonly SchedulerKind[];
  cores: number;
  n: readonly number[];
  duty: readonly number[];
  burstMs: readonly number[];
  distributions: readonly GridCell["distribution"][];
  seeds: readonly number[];
  durationMs: number;
  sleepUs: number;
  thresholdMs: number;
}

/**
 * gridCells lists every combination once. Duty 1 never sleeps, so burst length and distribution
 * do not matter there: those cells appear once (first burst, first distribution), not once per
 * burst and distribution, which would weigh hogs six times in the rates.
 */
export function gridCells(g: ProbeGridSpec): GridCell[] {
  const out: GridCell[] = [];
  for (const scheduler of g.schedulers)
    for (const distribution of g.distributions)
      for (const burstMs of g.burstMs)
        for (const duty of g.duty) {
          if (duty >= 1 && (burstMs !== g.burstMs[0] || distribution !== g.distributions[0])) continue;
          for (const n of g.n) for (const seed of g.seeds) out.push({ scheduler, cores: g.cores, n, duty, burstMs, distribution, seed });
        }
  return out;
}

/** gridJob: the reference io VM runs the probe beside the cell's CPU VMs. */
export function gridJob(c: GridCell, g: ProbeGridSpec): SimJob {
  const tenant = { id: "tenant", vcpus: 1, memoryMiB: 1024, workload: { kind: "probe", sleepUs: g.sleepUs, thresholdMs: g.thresholdMs, io: REFERENCE_IO } };
  const cpu = (i: number) => ({
    id: `cpu${i}`,
    vcpus: 1,
    memoryMiB: 1024,
    workload: { kind: "cpu", dutyCycle: c.duty, burstMs: c.burstMs, burstDistribution: c.distribution },
  });
  const scenario = ScenarioSchema.parse({
    host: { id: "grid", cores: c.cores, memoryMiB: 1 << 20, scheduler: defaultScheduler(c.scheduler) },
    vms: [tenant, ...Array.from({ length: c.n }, (_, i) => cpu(i))],
    durationMs: g.durationMs,
    seed: c.seed,
  });
  return { scenario };
}

/** CellOutcome is what one simulation says: the probe's reading and the io tail beside it. */
export interface CellOutcome {
  cell: GridCell;
  longPerRun: number;
  per100s: number;
  verdict: Verdict;
  ioP999Ms: number;
}

export function outcomeOf(cell: GridCell, r: HostSimResult, marks: Marks): CellOutcome {
  const t = r.vms[0];
  if (!t.probe) throw new Error("grid: the tenant carries no probe summary");
  const per100s = normalise(t.probe, r.measuredUs / 1000, marks).per100s;
  return { cell, longPerRun: t.probe.overThreshold, per100s, verdict: verdictOf(per100s, marks), ioP999Ms: t.requestLatency.p999Us / 1000 };
}

/**
 * ErrorRates of the probe against an SLO-like bound on the io p99.9. A false positive is an
 * alarm (BAD, or NEEDS-NETWORK-TEST unless alarmOn is "bad") while the p99.9 is within the bound;
 * a false negative is no alarm while it is over. Rates are over the cells of each truth.
 */
export interface ErrorRates {
  sloMs: number;
  alarmOn: "needs-test" | "bad";
  cells: number;
  truthBad: number;
  falsePositives: number;
  falseNegatives: number;
  falsePositiveRate: number;
  falseNegativeRate: number;
}

export function errorRates(outcomes: readonly CellOutcome[], sloMs: number, alarmOn: ErrorRates["alarmOn"]): ErrorRates {
  const alarm = (o: CellOutcome) => (alarmOn === "bad" ? o.verdict === "BAD" : o.verdict !== "GOOD");
  const bad = outcomes.filter((o) => o.ioP999Ms > sloMs);
  const good = outcomes.filter((o) => o.ioP999Ms <= sloMs);
  const fp = good.filter(alarm).length;
  const fn = bad.filter((o) => !alarm(o)).length;
  return {
    sloMs,
    alarmOn,
    cells: outcomes.length,
    truthBad: bad.length,
    falsePositives: fp,
    falseNegatives: fn,
    falsePositiveRate: good.length > 0 ? fp / good.length : 0,
    falseNegativeRate: bad.length > 0 ? fn / bad.length : 0,
  };
}
