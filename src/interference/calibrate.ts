import type { HostSimResult, Scenario, ScenarioInput } from "../model/scenario.js";
import { ScenarioSchema } from "../model/scenario.js";
import { defaultScheduler, type SchedulerParams } from "../model/scheduler.js";
import type { SimJob } from "../sim/runner.js";
import { CALIBRATION_VERSION, cellIndex, type CalibrationTable, type Family } from "./calibration-table.js";

/** GridSpec says which families and axes a calibration sweep covers. */
export interface GridSpec {
  schedulers: { kind: SchedulerParams["kind"]; timesliceMs?: number }[];
  cores: number[];
  duty: number[];
  burstMs: number[];
  /** Hog counts as fractions of the cores (1 = as many hogs as cores). */
  hogFractions: number[];
  baselineRho: number[];
  durationMs: number;
  seedsPerCell: number;
  seed: number;
}

export const VICTIM = { requestsPerSec: 1000, serviceUs: 50 } as const;
const BASELINE_SERVICE_US = 100;

/** FULL_GRID is the grid of the table shipped in data/calibration/. */
export const FULL_GRID: GridSpec = {
  schedulers: [{ kind: "xen-credit", timesliceMs: 30 }, { kind: "xen-credit", timesliceMs: 5 }, { kind: "kvm-cfs" }],
  cores: [4, 8, 16, 32],
  duty: [0.1, 0.3, 0.5, 0.7, 0.9],
  burstMs: [1, 10, 30],
  hogFractions: [0, 0.5, 1],
  baselineRho: [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  durationMs: 15000,
  seedsPerCell: 2,
  seed: 1,
};

/**
 * sleeperAxis picks the sleeper counts for a core count: dense around the cores, where credit1's
 * cliff sits (sleepers + the victim's vCPU > cores), sparse elsewhere.
 */
export function sleeperAxis(cores: number): number[] {
  const raw = [0, cores / 4, cores / 2, (3 * cores) / 4, cores - 2, cores - 1, cores, cores + 1, cores + 2, (5 * cores) / 4, (3 * cores) / 2, 2 * cores];
  return [...new Set(raw.map(Math.round).filter((k) => k >= 0))].sort((a, b) => a - b);
}

/** CellKey identifies one simulated cell; `seedIndex` distinguishes the repeats. */
export interface CellKey {
  family: number;
  si: number;
  di: number;
  bi: number;
  hi: number;
  seedIndex: number;
}

/** emptyFamilies lays out the families of a grid with zeroed delays. */
export function emptyFamilies(g: GridSpec): Family[] {
  const out: Family[] = [];
  for (const s of g.schedulers)
    for (const cores of g.cores) {
      const hogs = [...new Set(g.hogFractions.map((f) => Math.round(f * cores)))];
      const f: Family = { scheduler: s.kind, timesliceMs: s.timesliceMs, cores, sleepers: sleeperAxis(cores), duty: g.duty, burstMs: g.burstMs, hogs, delayUs: [] };
      f.delayUs = Array.from({ length: f.sleepers.length * f.duty.length * f.burstMs.length * f.hogs.length }, () => [0, 0, 0]);
      out.push(f);
    }
  return out;
}

function schedulerOf(f: Family): SchedulerParams {
  const p = defaultScheduler(f.scheduler);
  return p.kind === "xen-credit" && f.timesliceMs !== undefined ? { ...p, timesliceMs: f.timesliceMs } : p;
}

/** cellScenario builds the host a cell measures: the victim, the sleepers and the hogs. */
export function cellScenario(f: Family, k: Omit<CellKey, "family">, g: GridSpec): Scenario {
  const vms: ScenarioInput["vms"] = [{ id: "victim", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", ...VICTIM } }];
  for (let i = 0; i < f.sleepers[k.si]; i++)
    vms.push({ id: `sleeper-${i}`, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: f.duty[k.di], burstMs: f.burstMs[k.bi] } });
  for (let i = 0; i < f.hogs[k.hi]; i++) vms.push({ id: `hog-${i}`, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 1, burstMs: 100 } });
  return ScenarioSchema.parse({
    host: { id: `cal-${f.cores}`, cores: f.cores, memoryMiB: 1 << 20, scheduler: schedulerOf(f) },
    vms,
    durationMs: g.durationMs,
    seed: cellSeed(g.seed, f, k),
  });
}

// Seeds derive from the cell's coordinates, so a cell's result does not depend on the grid around it.
function cellSeed(seed: number, f: Family, k: Omit<CellKey, "family">): number {
  const s = `${seed}|${f.scheduler}|${f.timesliceMs ?? 0}|${f.cores}|${f.sleepers[k.si]}|${f.duty[k.di]}|${f.burstMs[k.bi]}|${f.hogs[k.hi]}|${k.seedIndex}`;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h & 0x7fffffff;
}

/**
 * calibrationJobs lists every simulation of a grid. Cells with no sleepers do not depend on duty or
 * burst, so they are simulated once and copied; that saves a third of the sweep.
 */
export function calibrationJobs(g: GridSpec): { families: Family[]; cells: CellKey[]; jobs: SimJob[]; baselineJobs: SimJob[] } {
  const families = emptyFamilies(g);
  const cells: CellKey[] = [];
  const jobs: SimJob[] = [];
  families.forEach((f, fi) => {
    for (let si = 0; si < f.sleepers.length; si++)
      for (let di = 0; di < f.duty.length; di++)
        for (let bi = 0; bi < f.burstMs.length; bi++)
          for (let hi = 0; hi < f.hogs.length; hi++) {
            if (f.sleepers[si] === 0 && (di > 0 || bi > 0)) continue;
            for (let seedIndex = 0; seedIndex < g.seedsPerCell; seedIndex++) {
              const k = { si, di, bi, hi, seedIndex };
              cells.push({ family: fi, ...k });
              jobs.push({ scenario: cellScenario(f, k, g) });
            }
          }
  });
  const baselineJobs = g.baselineRho.flatMap((rho) =>
    Array.from({ length: g.seedsPerCell }, (_, seedIndex) => ({
      scenario: ScenarioSchema.parse({
        host: { id: "baseline", cores: 2, memoryMiB: 1 << 20, scheduler: { kind: "kvm-cfs" } },
        vms: [{ id: "victim", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: (rho * 1e6) / BASELINE_SERVICE_US, serviceUs: BASELINE_SERVICE_US } }],
        durationMs: g.durationMs,
        seed: (g.seed * 1000 + seedIndex * 101 + Math.round(rho * 100)) & 0x7fffffff,
      }),
    })),
  );
  return { families, cells, jobs, baselineJobs };
}

/** victimMetrics reads the three calibrated percentiles of the victim from a result. */
export function victimMetrics(r: HostSimResult): [number, number, number] {
  const v = r.vms.find((x) => x.id === "victim");
  if (!v) throw new Error(`calibration result of ${r.hostId} has no victim`);
  return [v.requestLatency.p99Us, v.requestLatency.p999Us, v.wakeToRun.p999Us];
}

/**
 * assembleTable turns simulation results into the table: each cell's delay is the geometric mean
 * over seeds of the victim's percentile, minus the same victim's percentile alone on the host.
 */
export function assembleTable(g: GridSpec, plan: ReturnType<typeof calibrationJobs>, results: HostSimResult[], baselineResults: HostSimResult[]): CalibrationTable {
  const { families, cells } = plan;
  const sums = new Map<string, number[][]>();
  cells.forEach((c, i) => {
    const key = `${c.family}|${c.si}|${c.di}|${c.bi}|${c.hi}`;
    sums.set(key, [...(sums.get(key) ?? []), victimMetrics(results[i])]);
  });
  const alone = baselineOf(g, baselineResults);
  families.forEach((f, fi) => {
    const zeroKey = (hi: number) => `${fi}|0|0|0|${hi}`;
    const base = sums.get(zeroKey(0)) ?? [[0, 0, 0]];
    for (let si = 0; si < f.sleepers.length; si++)
      for (let di = 0; di < f.duty.length; di++)
        for (let bi = 0; bi < f.burstMs.length; bi++)
          for (let hi = 0; hi < f.hogs.length; hi++) {
            const key = f.sleepers[si] === 0 ? zeroKey(hi) : `${fi}|${si}|${di}|${bi}|${hi}`;
            f.delayUs[cellIndex(f, si, di, bi, hi)] = cellDelay(sums.get(key) ?? [], base);
          }
  });
  return {
    version: CALIBRATION_VERSION,
    generatedBy: "vmplace calibrate",
    seed: g.seed,
    durationMs: g.durationMs,
    seedsPerCell: g.seedsPerCell,
    victim: { ...VICTIM },
    baseline: alone,
    families,
  };
}

/**
 * cellDelay is a cell's value: the geometric mean over seeds of the victim's percentiles, minus the
 * geometric mean of the same victim alone on the same host (the family's cell without neighbours).
 */
export function cellDelay(rows: number[][], aloneRows: number[][]): [number, number, number] {
  const m = geomean(rows);
  const base = geomean(aloneRows);
  return m.map((x, j) => Math.max(0, Math.round(x - base[j]))) as [number, number, number];
}

function baselineOf(g: GridSpec, results: HostSimResult[]): CalibrationTable["baseline"] {
  const p99: number[] = [];
  const p999: number[] = [];
  g.baselineRho.forEach((_, i) => {
    const rs = results.slice(i * g.seedsPerCell, (i + 1) * g.seedsPerCell).map((r) => r.vms[0].requestLatency);
    p99.push(round3(geomean1(rs.map((x) => x.p99Us)) / BASELINE_SERVICE_US));
    p999.push(round3(geomean1(rs.map((x) => x.p999Us)) / BASELINE_SERVICE_US));
  });
  return { rho: g.baselineRho, p99OverService: p99, p999OverService: p999 };
}

function geomean(rows: number[][]): number[] {
  if (rows.length === 0) throw new Error("calibration: a cell has no results");
  return [0, 1, 2].map((j) => geomean1(rows.map((r) => r[j])));
}

function geomean1(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += Math.log(Math.max(1, x));
  return Math.exp(s / xs.length);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
