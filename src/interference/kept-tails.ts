import { binsTail } from "./core/tail.js";
import type { Components } from "./core/components.js";

/**
 * Kept tails: what the placer's filter (Query.withinSloKept) finds of one mixed victim on one
 * host that no io-only extra VM changes, kept per victim slot (KEPT doubles in the host's array)
 * until the host changes. An io-only extra VM leaves the CPU-bound components as they are (its
 * vCPUs are light runners): it moves only their light component (Components.light*), credit2's
 * grant-end waits and credit1's OVER waits. So the victim's own components before their light
 * part, the SLO's threshold on the core's tail (the correction and its logs, the alone tail), and
 * every term of waitTail and waitTailBound except the light one are the same for every such
 * what-if on the host, and a what-if adds the light term to them. The sums are formed in
 * waitTail's order, term by term: the same bits. On the replayed 20,000-iteration search 406 k of
 * the 635 k mixed victims asked with an io-only VM were asked before on the unchanged host.
 */

/** The host's generation the slot was kept at (HostState), and the outside reasons it was kept for. */
export const K_GEN = 0;
export const K_REASONS = 1;
/** 1: some SLO checked fails whatever the light part (the estimate's room is below the service time). */
export const K_FAIL = 2;
/** 1 - the victim's rho (waitTail's factor). */
export const K_OMR = 3;
/** The correction's load feature (NaN: not found yet), and a mixed victim's host parts of it (p99, p99.9). */
export const K_LOAD = 4;
export const K_HOST = 5;
/** Per percentile (p99 at K_PCT, p99.9 at K_PCT + KP). */
export const K_PCT = 7;
/** ON_*: what is kept of the percentile (P_ON). */
export const ON_SKIP = 0;
export const ON_DUE = 1;
export const ON_BOUND = 2;
export const ON_TAIL = 3;
/** ON_SKIP not checked (no SLO, or skipped); ON_DUE not found yet; ON_BOUND up to waitTailBound's terms; ON_TAIL waitTail's too. */
export const P_ON = 0;
/** The largest estimate within the SLO, µs (episodes' and grant ends' floors are judged at it). */
export const P_EST_MAX = 1;
/** The wait past the service time at the core's threshold, µs. */
export const P_Y = 2;
/** The thinned request rate plus the own burst wakes (lam + own), and lam alone. */
export const P_RATE = 3;
export const P_LAM = 4;
/** The alone tail at the threshold, and at P_EST_MAX (NaN: not found yet). */
export const P_BASE = 5;
export const P_BASE_EST = 6;
/** Bits: 1 y below the cap, 2 and 4 waitTailBound's rate-limit and drift terms, 8 and 16 waitTail's. */
const P_BITS = 7;
/** waitTailBound's Σ a + rate Σ a / r, rate-limit and drift terms. */
const P_SUM = 8;
const P_RL_BOUND = 9;
const P_DRIFT_BOUND = 10;
/** waitTail's bins summed, rate-limit and drift terms. */
const P_BINS = 11;
const P_RL = 12;
const P_DRIFT = 13;
export const KP = 14;
/** A mixed victim's own components' scalars that its light part, episodes and grant ends read (K_MIXED + M_*). */
export const K_MIXED = K_PCT + 2 * KP;
const M_P_FULL = 0;
const M_P_NEAR = 1;
const M_EXCESS = 2;
const M_CAP = 3;
const M_HEAVY_BLOCK = 4;
const M_NU = 5;
const M_HOG_SHARE = 6;
const M_MEAN_WAIT = 7;
const M_BLOCK_GIVEN_FULL = 8;
const M_CAP_RATIO = 9;
export const KEPT = K_MIXED + 10;

/**
 * keepBound writes waitTailBound's terms on `c` at wait `y` (past the service) and rate lam + own
 * that `c`'s light part does not enter into the percentile block at `p` of `k`, with y, `lam` and
 * `base` (the alone tail at the threshold).
 */
export function keepBound(c: Components, y: number, lam: number, own: number, base: number, k: number[], p: number): void {
  const rate = lam + own;
  let bits = 0;
  k[p + P_Y] = y;
  k[p + P_RATE] = rate;
  k[p + P_LAM] = lam;
  k[p + P_BASE] = base;
  k[p + P_BASE_EST] = NaN;
  k[p + P_SUM] = 0;
  k[p + P_RL_BOUND] = 0;
  k[p + P_DRIFT_BOUND] = 0;
  if (y < c.capUs) {
    bits |= 1;
    k[p + P_SUM] = c.sumA + rate * c.sumAOverR;
  }
  if (y < c.rlUs) {
    bits |= 2;
    k[p + P_RL_BOUND] = c.rlA * (1 + (rate * c.rlUs) / 2);
  }
  if (y < c.driftCapUs) {
    bits |= 4;
    k[p + P_DRIFT_BOUND] = c.driftA * (1 + rate / c.driftR);
  }
  k[p + P_BITS] = bits;
}

/** keepTail writes waitTail's terms on `c` that its light part does not enter into the block at `p` (after keepBound; own: the row's). */
export function keepTail(c: Components, own: number, k: number[], p: number): void {
  const y = k[p + P_Y];
  const lam = k[p + P_LAM];
  const rate = k[p + P_RATE];
  let bits = k[p + P_BITS];
  k[p + P_BINS] = binsTail(c, y, lam, own);
  k[p + P_RL] = 0;
  k[p + P_DRIFT] = 0;
  if (y < c.rlUs && c.rlA > 0) {
    bits |= 8;
    const f = 1 - y / c.rlUs;
    k[p + P_RL] = c.rlA * (f + (rate * c.rlUs * f * f) / 2);
  }
  if (y < c.driftCapUs && c.driftA > 0) {
    bits |= 16;
    const e = Math.exp(-c.driftR * y);
    k[p + P_DRIFT] = c.driftA * (e + (rate * (e - c.driftECap)) / c.driftR);
  }
  k[p + P_BITS] = bits;
}

/** keptTailBound is waitTailBound on `c` from the kept terms at `p` and `c`'s light part. */
export function keptTailBound(c: Components, k: readonly number[], p: number, omr: number): number {
  const bits = k[p + P_BITS];
  let t = 0;
  if ((bits & 1) !== 0) t += k[p + P_SUM] + (c.lightA > 0 ? c.lightA * (1 + k[p + P_RATE] / c.lightR) : 0);
  if ((bits & 2) !== 0) t += k[p + P_RL_BOUND];
  if ((bits & 4) !== 0) t += k[p + P_DRIFT_BOUND];
  return k[p + P_BASE] + omr * t;
}

/** keptWaitTail is waitTail on `c` from the kept terms at `p` and `c`'s light part. */
export function keptWaitTail(c: Components, k: readonly number[], p: number, omr: number): number {
  const bits = k[p + P_BITS];
  let t = k[p + P_BINS];
  if ((bits & 1) !== 0 && c.lightA > 0) {
    const e = Math.exp(-c.lightR * k[p + P_Y]);
    const integral = (e - c.lightECap) / c.lightR;
    t += c.lightA * (e + k[p + P_RATE] * integral);
  }
  if ((bits & 8) !== 0) t += k[p + P_RL];
  if ((bits & 16) !== 0) t += k[p + P_DRIFT];
  return Math.min(1, k[p + P_BASE] + omr * t);
}

/** keepMixed keeps the scalars of a mixed victim's own components (after rescale) that restoreMixed puts back. */
export function keepMixed(c: Components, k: number[], ko: number): void {
  const m = ko + K_MIXED;
  k[m + M_P_FULL] = c.pFull;
  k[m + M_P_NEAR] = c.pNearFull;
  k[m + M_EXCESS] = c.excess;
  k[m + M_CAP] = c.capUs;
  k[m + M_HEAVY_BLOCK] = c.heavyBlock;
  k[m + M_NU] = c.nu;
  k[m + M_HOG_SHARE] = c.hogShare;
  k[m + M_MEAN_WAIT] = c.meanWaitUs;
  k[m + M_BLOCK_GIVEN_FULL] = c.blockGivenFull;
  k[m + M_CAP_RATIO] = c.capRatio;
}

/**
 * restoreMixed writes into `c` what the light part (buildLight), the episodes (ownBurstPreempt,
 * overWait) and the grant ends (grantWait, grantTailAt) read of a mixed victim's own components;
 * its bins are left as they were (the kept terms stand for them).
 */
export function restoreMixed(c: Components, k: readonly number[], ko: number): void {
  const m = ko + K_MIXED;
  c.pFull = k[m + M_P_FULL];
  c.pNearFull = k[m + M_P_NEAR];
  c.excess = k[m + M_EXCESS];
  c.capUs = k[m + M_CAP];
  c.heavyBlock = k[m + M_HEAVY_BLOCK];
  c.nu = k[m + M_NU];
  c.hogShare = k[m + M_HOG_SHARE];
  c.meanWaitUs = k[m + M_MEAN_WAIT];
  c.blockGivenFull = k[m + M_BLOCK_GIVEN_FULL];
  c.capRatio = k[m + M_CAP_RATIO];
  c.heldN = 0;
  c.heldDue = false;
}
