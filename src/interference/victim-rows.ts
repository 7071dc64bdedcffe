import type { CpuPart } from "./core/cpu-part.js";
import type { Victim } from "./model-types.js";

/**
 * Victim rows: what the placer's filter (Query.withinSloRow) reads of a latency-sensitive VM, as
 * doubles in a row of one array per host. A Victim is an object graph (its tail, SLO array,
 * correction array, light-part cache, outside reasons): on a cold host each is a cache miss of
 * its own, and the host's victims were most of a what-if's cold reads. A host's rows are
 * contiguous, resolved for its scheduler core when the VM is added (the correction's core part
 * and the victim's own light vCPU under that core), so a what-if reads one or two cache lines
 * per victim instead of eight.
 */

/**
 * SLO bits the filter checks: finite SLOs it can meet somewhere (1 p99, 2 p99.9); on a host's row,
 * shifted left by 2, those of them it judges by the estimate (Victim.estimateSlos).
 */
export const R_SLO_BITS = 0;
/** 1: an io-only victim; 0: a mixed one (its own components need its exclusion table, on its object). */
export const R_LIGHT = 1;
/** The SLOs, µs (p99 at +0, p99.9 at +1). */
export const R_SLO = 2;
/** Outside-range reasons of the victim itself, and its own vCPUs counted for overload (io-only). */
export const R_OUTSIDE = 4;
export const R_OWN_VCPUS = 5;
/** VictimTail's scalars. */
export const R_VCPUS = 6;
export const R_SERVICE = 7;
export const R_LAMBDA = 8;
export const R_RHO = 9;
export const R_BASE_A = 10;
export const R_BASE_THETA = 11;
/** Alone p99 at +0, p99.9 at +1. */
export const R_BASE = 12;
export const R_WAKES = 14;
/** The victim's part of the correction under the host's core (p99 at +0, p99.9 at +1). */
export const R_CORR = 15;
/** Its own light vCPU under the host's core: Σ duty and Σ duty / hold it takes out of the light sums. */
export const R_EX_LSP = 17;
export const R_EX_LRATE = 18;
/** A mixed victim's own CPU-bound vCPU's duty (0 for io-only ones). */
export const R_OWN_DUTY = 19;
export const ROW = 20;

/**
 * A Victim's own row (Victim.row, victimRow) has the same fields, except: R_SLO_BITS holds its
 * finite SLOs (unmetSlos is applied where it is read: it may change), R_CORR and the light part
 * are unset (they depend on the host's core), and the correction's part of every core follows at
 * ROW + coreIndex. A newcomer judging itself is read from it (one array, not its objects).
 */
export function victimRow(v: Omit<Victim, "row" | "lightCache" | "exclusion" | "unmetSlos" | "estimateSlos" | "mixed">): number[] {
  const t = v.tail;
  const row = doubles(ROW + v.corr.length);
  row[R_SLO_BITS] = (v.sloUs[0] !== Infinity ? 1 : 0) | (v.sloUs[1] !== Infinity ? 2 : 0);
  row[R_LIGHT] = v.ownCpu ? 0 : 1;
  row[R_SLO] = v.sloUs[0];
  row[R_SLO + 1] = v.sloUs[1];
  row[R_OUTSIDE] = v.outside.length;
  row[R_OWN_VCPUS] = v.ownLight ? t.vcpus : 0;
  row[R_VCPUS] = t.vcpus;
  row[R_SERVICE] = t.serviceUs;
  row[R_LAMBDA] = t.lambdaUs;
  row[R_RHO] = t.rho;
  row[R_BASE_A] = t.baseA;
  row[R_BASE_THETA] = t.baseTheta;
  row[R_BASE] = t.base99Us;
  row[R_BASE + 1] = t.base999Us;
  row[R_WAKES] = t.burstWakesUs;
  row[R_OWN_DUTY] = v.ownCpu ? v.ownCpu.duty : 0;
  for (let k = 0; k < v.corr.length; k++) row[ROW + k] = v.corr[k];
  return row;
}

/**
 * writeRow writes v's row on a host at `o` in `rows`: its own row with its SLO bits as they
 * count now (and those judged by the estimate), the correction's part of the host's core (coreIndex `coreAt`) and `light`, its own
 * light vCPU under that core (io-only victims; undefined for mixed ones).
 */
export function writeRow(rows: number[], o: number, v: Victim, coreAt: number, light: CpuPart | undefined): void {
  const own = v.row;
  for (let k = 0; k < ROW; k++) rows[o + k] = own[k];
  rows[o + R_SLO_BITS] = sloBits(v) | (v.estimateSlos << 2);
  rows[o + R_CORR] = own[ROW + coreAt];
  rows[o + R_CORR + 1] = own[ROW + coreAt + 1];
  // As lightComponent takes an excluded part out (the same products, so the same bits).
  rows[o + R_EX_LSP] = light ? light.vcpus * light.duty : 0;
  rows[o + R_EX_LRATE] = light ? (light.vcpus * light.duty) / light.burstUs : 0;
}

/** hasSlo: v has a finite SLO (met or not). */
export function hasSlo(v: Victim): boolean {
  return v.sloUs[0] !== Infinity || v.sloUs[1] !== Infinity;
}

/**
 * sloBits: the percentiles (bits: 1 p99, 2 p99.9) whose slack counts for v, a finite SLO it can
 * meet somewhere (worstSlackUs; an infinite SLO's slack is infinite and never the smallest).
 */
export function sloBits(v: Victim): number {
  return v.row[R_SLO_BITS] & ~v.unmetSlos;
}

/**
 * unmetEpoch counts markUnmeetable passes: a row caches its victim's unmetSlos (in R_SLO_BITS),
 * so a host whose rows predate the last pass rewrites them before it reads them.
 */
let epoch = 0;
export function unmetEpoch(): number {
  return epoch;
}
export function bumpUnmetEpoch(): void {
  epoch++;
}

/**
 * doubles: a plain array of n zeros that V8 keeps as unboxed doubles on its own heap, near the
 * object holding it (a Float64Array per victim, its data off the heap, measured 15% slower).
 */
export function doubles(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(-0);
  a.fill(0);
  return a;
}
