import type { CpuPart, LightPart, MutablePart } from "./core/cpu-part.js";
import { CORE_NAMES, type CoreName, type Mechanisms, type SchedulerCore } from "./core/scheduler-core.js";
import type { ExclusionCache } from "./core/occupancy.js";
import type { VictimTail } from "./core/tail.js";
import type { CoreModel } from "./model-data.js";

/** Percentile of a request-latency prediction. */
export const enum Pct {
  P99 = 0,
  P999 = 1,
}

/** Below this chance that every core is held, a host is "quiet" for the conformal margin. */
export const QUIET_P_FULL = 1e-3;
/** A bound outside the calibrated range widens by this factor per reason (at most 4 reasons). */
export const WIDEN_PER_REASON = 2;
export const WIDEN: readonly number[] = [0, 1, 2, 3, 4].map((k) => WIDEN_PER_REASON ** k);

/** coreIndex: where a core's entries start in Victim.corr. */
export function coreIndex(name: CoreName): number {
  return 2 * CORE_NAMES.indexOf(name);
}

/** HostModel is a host's resolved scheduler core and fitted data: resolved once, read per query. */
export interface HostModel {
  readonly core: SchedulerCore;
  readonly mechanisms: Mechanisms;
  readonly fitted: CoreModel;
  readonly cores: number;
  /** Why this host lies outside the calibrated range (scheduler, core count, timeslice). */
  readonly outside: readonly string[];
  /** exp(conformal q): [p99 quiet, p99 contended, p99.9 quiet, p99.9 contended]. */
  readonly margins: Float64Array;
  /** The conformal offsets, µs: [p99, p99.9]. */
  readonly offsets: Float64Array;
  /** CPU-bound plus a victim's own vCPUs beyond the cores by more than this: outside the range. */
  readonly maxOverCores: number;
}

/** Victim is a latency-sensitive VM as the predictor sees it (precomputed once per VM). */
export interface Victim {
  readonly tail: VictimTail;
  readonly mixed: boolean;
  /** Its own waking vCPU, excluded from the competitors it meets: a CPU part (mixed) or a light one. */
  readonly ownCpu?: CpuPart;
  readonly ownLight?: LightPart;
  readonly sloUs: readonly [number, number];
  readonly outside: readonly string[];
  /** The victim's constant part of each correction: [credit1 p99, credit1 p99.9, cfs p99, cfs p99.9]. */
  readonly corr: Float64Array;
  /** Its own CPU-bound vCPU's exclusion table on the host it was last judged on (mixed victims). */
  readonly exclusion: ExclusionCache;
  /** Its own light vCPU under the last host core it was judged on (query.ts). */
  readonly lightCache: { core: SchedulerCore | null; part: MutablePart };
  /**
   * SLOs (bits: 1 p99, 2 p99.9) its bound breaks even alone on an idle host of every kind it may
   * use (markUnmeetable) and its estimate breaks too: placement checks skip them. 0 unless a
   * placement problem set it.
   */
  unmetSlos: number;
  /**
   * SLOs (same bits) its bound breaks alone on every kind of host while its estimate meets them
   * on some: placement judges those by the estimate, the best the predictor can say (markUnmeetable).
   */
  estimateSlos: number;
  /** Its terms as doubles (victim-rows.ts): what the placer's filter reads of it. */
  readonly row: readonly number[];
}

/** Prediction is one victim's estimate and bound (p99 and p99.9), reused between queries. */
export interface Prediction {
  estimateUs: [number, number];
  boundUs: [number, number];
  /** P(every core held by CPU-bound work) when the victim wakes. */
  pFull: number;
  /** Chance it is then blocked, and its mean wait, µs. */
  blockGivenFull: number;
  meanWaitUs: number;
  /** Number of outside-calibration reasons that widened the bound (host + victim + composition). */
  widened: number;
}

/** newPrediction allocates a reusable Prediction. */
export function newPrediction(): Prediction {
  return { estimateUs: [0, 0], boundUs: [0, 0], pFull: 0, blockGivenFull: 0, meanWaitUs: 0, widened: 0 };
}
