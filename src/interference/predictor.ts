import type { SchedulerParams } from "../model/scheduler.js";
import {
  CALIBRATION_VERSION,
  CalibrationTableSchema,
  cellIndex,
  familyKey,
  type CalibrationTable,
  type Family,
} from "./calibration-table.js";

/** FamilyRef is a host's resolved calibration family: resolved once per host, read per query. */
export interface FamilyRef {
  readonly family: Family;
  /** Multiply the host's sleeper/hog counts by this to land on the family's core count. */
  readonly coreScale: number;
  /** Multiply delays by this (timeslice not calibrated: delays scale with the slice, E5). */
  readonly delayScale: number;
  /** Why this host lies outside the calibrated range, if it does. */
  readonly outside: readonly string[];
  /**
   * For a core count between two calibrated ones: the larger family and its weight, interpolated
   * in log(cores) (the primary `family` is the smaller one and gets 1 - weight).
   */
  readonly upper?: { readonly family: Family; readonly coreScale: number; readonly weight: number };
}

/** Composition: the aggregate of CPU-bound neighbours the predictor interpolates over. */
export interface Composition {
  sleepers: number;
  /** vCPU-weighted mean duty and harmonic-mean burst of the sleepers (HostState.composition). */
  duty: number;
  burstMs: number;
  hogs: number;
}

export const enum Metric {
  RequestP99 = 0,
  RequestP999 = 1,
  WakeP999 = 2,
}

/**
 * Predictor interpolates a calibration table. Queries are allocation-free: `delayUs` does a
 * multilinear interpolation over (sleepers, duty, burst, hogs) on axes of at most a dozen points.
 */
export class Predictor {
  private readonly byKey = new Map<string, Family[]>();

  constructor(readonly table: CalibrationTable) {
    let offset = 0;
    for (const f of table.families) {
      this.base.set(f, offset);
      offset += 3 * f.delayUs.length;
    }
    this.all = Float64Array.from(table.families.flatMap((f) => f.delayUs.flat()));
    for (const f of table.families) {
      const k = familyKey(f);
      const list = this.byKey.get(k) ?? [];
      list.push(f);
      list.sort((a, b) => a.cores - b.cores);
      this.byKey.set(k, list);
    }
  }

  /** fromJson validates an untrusted table (e.g. a file) before use. */
  static fromJson(value: unknown): Predictor {
    const v = (value as { version?: unknown } | null)?.version;
    if (v !== CALIBRATION_VERSION)
      throw new Error(`calibration table version ${String(v)} is not supported (expected ${CALIBRATION_VERSION})`);
    return new Predictor(CalibrationTableSchema.parse(value));
  }

  /** resolve picks the family for a host: same scheduler, nearest timeslice, nearest core count. */
  resolve(scheduler: SchedulerParams, cores: number): FamilyRef {
    const outside: string[] = [];
    const { list, delayScale } = this.familiesFor(scheduler, outside);
    const exact = list.find((f) => f.cores === cores);
    if (exact) return { family: exact, coreScale: 1, delayScale, outside };
    const below = list.filter((f) => f.cores < cores).pop();
    const above = list.find((f) => f.cores > cores);
    if (below && above) {
      const weight = Math.log(cores / below.cores) / Math.log(above.cores / below.cores);
      const upper = { family: above, coreScale: above.cores / cores, weight };
      return { family: below, coreScale: below.cores / cores, delayScale, outside, upper };
    }
    const nearest = (below ?? above) as Family;
    outside.push(`${cores} cores not calibrated; scaled from ${nearest.cores} cores`);
    return { family: nearest, coreScale: nearest.cores / cores, delayScale, outside };
  }

  private familiesFor(s: SchedulerParams, outside: string[]): { list: Family[]; delayScale: number } {
    if (s.kind !== "xen-credit") {
      const list = this.byKey.get(s.kind);
      if (list) return { list, delayScale: 1 };
      // credit2 and EEVDF bound waits like CFS does (sim-fidelity E6, E7); the CFS table is the closest.
      outside.push(`${s.kind} is not calibrated; using kvm-cfs`);
      return { list: this.byKey.get("kvm-cfs") ?? this.anyFamily(), delayScale: 1 };
    }
    let bestKey: string | undefined;
    let bestSlice = 0;
    for (const [k, list] of this.byKey) {
      const t = list[0].timesliceMs;
      if (list[0].scheduler !== "xen-credit" || t === undefined) continue;
      if (bestKey === undefined || Math.abs(t - s.timesliceMs) < Math.abs(bestSlice - s.timesliceMs)) {
        bestKey = k;
        bestSlice = t;
      }
    }
    if (bestKey === undefined) throw new Error("calibration table has no xen-credit family");
    if (bestSlice === s.timesliceMs) return { list: this.byKey.get(bestKey)!, delayScale: 1 };
    outside.push(`timeslice ${s.timesliceMs} ms not calibrated; scaled from ${bestSlice} ms`);
    return { list: this.byKey.get(bestKey)!, delayScale: s.timesliceMs / bestSlice };
  }

  private anyFamily(): Family[] {
    return this.byKey.values().next().value ?? [];
  }

  // The corners of the last located composition (16 per family, 32 when a host's core count sits
  // between two families): weights and offsets into one flattened array of every family's delays.
  // Locating once serves every metric of a query.
  private readonly cornerW = new Float64Array(32);
  private readonly cornerAt = new Int32Array(32);
  private corners = 16;
  private readonly all: Float64Array;
  private readonly base = new Map<Family, number>();

  /** locate finds the cells around a composition; read them with `locatedDelayUs`. */
  locate(ref: FamilyRef, c: Composition): void {
    const up = ref.upper;
    this.corners = up ? 32 : 16;
    this.locateIn(ref.family, ref.coreScale, c, up ? (1 - up.weight) * ref.delayScale : ref.delayScale, 0);
    if (up) this.locateIn(up.family, up.coreScale, c, up.weight * ref.delayScale, 16);
  }

  private locateIn(f: Family, coreScale: number, c: Composition, scale: number, at: number): void {
    const base = this.base.get(f) ?? 0;
    const sleepers = (c.sleepers + 1) * coreScale - 1;
    const s = axisPos(f.sleepers, sleepers);
    const d = axisPos(f.duty, c.duty);
    const b = axisPos(f.burstMs, c.burstMs);
    const h = axisPos(f.hogs, effectiveHogs(f, sleepers, c.hogs * coreScale));
    for (let m = 0; m < 16; m++) {
      const ws = m & 1 ? s.t : 1 - s.t;
      const wd = m & 2 ? d.t : 1 - d.t;
      const wb = m & 4 ? b.t : 1 - b.t;
      const wh = m & 8 ? h.t : 1 - h.t;
      const w = ws * wd * wb * wh * scale;
      this.cornerW[at + m] = w;
      // A zero weight may point past an axis end: keep such corners at offset 0.
      this.cornerAt[at + m] = w === 0 ? 0 : base + 3 * cellIndex(f, s.i + (m & 1), d.i + ((m >> 1) & 1), b.i + ((m >> 2) & 1), h.i + ((m >> 3) & 1));
    }
  }

  /** locatedDelayUs reads one metric of the last located composition. */
  locatedDelayUs(metric: Metric): number {
    let acc = 0;
    for (let m = 0; m < this.corners; m++) acc += this.cornerW[m] * this.all[this.cornerAt[m] + metric];
    return acc;
  }

  /** delayUs is the interference delay of one metric for a composition on a resolved host. */
  delayUs(ref: FamilyRef, c: Composition, metric: Metric): number {
    this.locate(ref, c);
    return this.locatedDelayUs(metric);
  }

  /** baselineUs is the victim's own percentile when alone: service time times a queueing factor. */
  baselineUs(serviceUs: number, rho: number, metric: Metric.RequestP99 | Metric.RequestP999): number {
    const b = this.table.baseline;
    const ys = metric === Metric.RequestP99 ? b.p99OverService : b.p999OverService;
    const p = axisPos(b.rho, rho);
    const hi = Math.min(p.i + 1, ys.length - 1);
    return serviceUs * (ys[p.i] * (1 - p.t) + ys[hi] * p.t);
  }

  /** outsideRange explains why a composition lies beyond the calibrated grid (allocates: edges only). */
  outsideRange(ref: FamilyRef, c: Composition): string[] {
    const f = ref.family;
    const out = [...ref.outside];
    const sl = (c.sleepers + 1) * ref.coreScale - 1;
    if (sl > f.sleepers[f.sleepers.length - 1]) out.push(`${c.sleepers} sleepy vCPUs beyond the calibrated ${f.sleepers[f.sleepers.length - 1]}`);
    if (c.sleepers > 0 && (c.duty < f.duty[0] || c.duty > f.duty[f.duty.length - 1])) out.push(`duty ${c.duty.toFixed(2)} outside [${f.duty[0]}, ${f.duty[f.duty.length - 1]}]`);
    if (c.sleepers > 0 && (c.burstMs < f.burstMs[0] || c.burstMs > f.burstMs[f.burstMs.length - 1]))
      out.push(`burst ${c.burstMs} ms outside [${f.burstMs[0]}, ${f.burstMs[f.burstMs.length - 1]}] ms`);
    if (c.hogs * ref.coreScale > f.hogs[f.hogs.length - 1]) out.push(`${c.hogs} hog vCPUs beyond the calibrated ${f.hogs[f.hogs.length - 1]}`);
    return out;
  }
}

/**
 * effectiveHogs maps a hog count onto the family's coarse hog axis by what hogs do: both credit1
 * (tickle an idle pCPU) and CFS (select_idle_sibling) hand a waking vCPU an idle core, so hogs
 * delay the victim only when they fill the last one (sleepers + hogs + the victim > cores). Below
 * that they count as none; above it, as at least the smallest calibrated hog column that also
 * fills the cores. Interpolating linearly across that step instead smeared it over half the cores.
 */
function effectiveHogs(f: Family, sleepers: number, hogs: number): number {
  if (sleepers + hogs + 1 <= f.cores + 1e-9) return 0;
  for (const hv of f.hogs) if (sleepers + hv + 1 > f.cores + 1e-9) return Math.max(hogs, hv);
  return hogs;
}

// Reused result of axisPos: the hot path allocates nothing.
interface AxisPos {
  i: number;
  t: number;
}
const POS_POOL: AxisPos[] = Array.from({ length: 4 }, () => ({ i: 0, t: 0 }));
let posNext = 0;

/** axisPos finds the bracketing index and weight of x on an ascending axis, clamped at both ends. */
function axisPos(axis: readonly number[], x: number): AxisPos {
  const p = POS_POOL[posNext];
  posNext = (posNext + 1) & 3;
  const n = axis.length;
  if (n === 1 || x <= axis[0]) {
    p.i = 0;
    p.t = 0;
    return p;
  }
  if (x >= axis[n - 1]) {
    p.i = n - 2;
    p.t = 1;
    return p;
  }
  let i = 0;
  while (axis[i + 1] < x) i++;
  p.i = i;
  p.t = (x - axis[i]) / (axis[i + 1] - axis[i]);
  return p;
}
