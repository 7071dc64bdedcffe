import seedrandom from "seedrandom";
import { ScenarioSchema, type Scenario, type ScenarioInput } from "../model/scenario.js";
import { defaultScheduler, type SchedulerParams } from "../model/scheduler.js";
import type { SimRunner } from "../sim/runner.js";
import { scoreHost } from "./score.js";
import type { Predictor } from "./predictor.js";
import { profileVm } from "./profile.js";

/** AccuracyOptions: how many unseen compositions to draw and how long to simulate each. */
export interface AccuracyOptions {
  compositions: number;
  seed: number;
  durationMs: number;
  cores: readonly number[];
}

export interface AccuracyCase {
  scheduler: string;
  cores: number;
  sleepers: number;
  hogs: number;
  predictedP999Us: number;
  simulatedP999Us: number;
}

export interface AccuracyReport {
  cases: AccuracyCase[];
  /** Median and 90th percentile of |ln(predicted / simulated)| of the victim's request p99.9. */
  medianAbsLogError: number;
  p90AbsLogError: number;
  /** Spearman rank correlation of predicted and simulated p99.9 across compositions. */
  rankCorrelation: number;
  /** Compositions the simulator puts over an SLO level that the predictor calls safe by more than 2x. */
  unsafeMisses: number;
}

// SLO levels a user might set; a miss is sim > level while prediction < level / 2.
const SLO_LEVELS_US = [1000, 2000, 5000, 10000, 20000, 50000];
const SCHEDULERS: SchedulerParams[] = [defaultScheduler("xen-credit"), defaultScheduler("kvm-cfs")];

/**
 * drawComposition builds a random host the calibration never saw: heterogeneous duties and bursts
 * per VM, some 2-vCPU aggressors, hogs, and a victim whose rate and service differ from the
 * calibration's reference victim.
 */
export function drawComposition(rng: () => number, i: number, o: AccuracyOptions): Scenario {
  const cores = o.cores[Math.floor(rng() * o.cores.length)];
  const scheduler = SCHEDULERS[i % SCHEDULERS.length];
  const vms: ScenarioInput["vms"] = [
    { id: "victim", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: Math.round(200 + rng() * 1800), serviceUs: Math.round(30 + rng() * 170) }, slo: { p999Ms: 5 } },
  ];
  const sleeperVcpus = Math.floor(rng() * 2 * cores);
  for (let v = 0; v < sleeperVcpus; ) {
    const vcpus = rng() < 0.25 && sleeperVcpus - v >= 2 ? 2 : 1;
    vms.push({ id: `s${v}`, vcpus, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: Math.round((0.1 + rng() * 0.85) * 100) / 100, burstMs: [1, 2, 5, 10, 20, 30][Math.floor(rng() * 6)] } });
    v += vcpus;
  }
  const hogs = rng() < 0.5 ? 0 : Math.floor(rng() * cores);
  for (let h = 0; h < hogs; h++) vms.push({ id: `h${h}`, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 1, burstMs: 100 } });
  return ScenarioSchema.parse({ host: { id: `acc-${i}`, cores, memoryMiB: 1 << 20, scheduler }, vms, durationMs: o.durationMs, seed: 1000 + i });
}

/** measureAccuracy simulates unseen compositions and compares the victim's p99.9 with the predictor. */
export async function measureAccuracy(predictor: Predictor, runner: SimRunner, o: AccuracyOptions, onDone?: (d: number, t: number) => void): Promise<AccuracyReport> {
  const rng = seedrandom.alea(`vmplace-accuracy:${o.seed}`);
  const scenarios = Array.from({ length: o.compositions }, (_, i) => drawComposition(rng, i, o));
  const results = await runner.runAll(scenarios.map((scenario) => ({ scenario })), onDone);
  const cases = scenarios.map((s, i): AccuracyCase => {
    const profiles = s.vms.map(profileVm);
    const score = scoreHost(s.host, profiles, predictor);
    const victim = score.vms.find((v) => v.vmId === "victim");
    const sim = results[i].vms.find((v) => v.id === "victim");
    if (!victim || !sim) throw new Error("accuracy: victim missing");
    return { scheduler: s.host.scheduler.kind, cores: s.host.cores, sleepers: score.host.sleepyCpuVcpus, hogs: score.host.hogVcpus, predictedP999Us: victim.predictedP999Us, simulatedP999Us: sim.requestLatency.p999Us };
  });
  const errs = cases.map((c) => Math.abs(Math.log(Math.max(1, c.predictedP999Us) / Math.max(1, c.simulatedP999Us)))).sort((a, b) => a - b);
  return {
    cases,
    medianAbsLogError: quantile(errs, 0.5),
    p90AbsLogError: quantile(errs, 0.9),
    rankCorrelation: spearman(cases.map((c) => c.predictedP999Us), cases.map((c) => c.simulatedP999Us)),
    unsafeMisses: cases.filter((c) => SLO_LEVELS_US.some((l) => c.simulatedP999Us > l && c.predictedP999Us < l / 2)).length,
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function ranks(xs: number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

/** spearman is the Pearson correlation of the ranks (ties get their mean rank). */
export function spearman(a: number[], b: number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}
