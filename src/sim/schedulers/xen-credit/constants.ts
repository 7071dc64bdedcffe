import type { XenCreditParams } from "../../../model/scheduler.js";

// Xen credit1 constants (xen/common/sched/credit.c, see shared/reference/sim-fidelity.md 1.1).

/** Priorities: a larger number runs first. IDLE stands for "nothing queued". */
export const PRI_BOOST = 0;
export const PRI_UNDER = -1;
export const PRI_OVER = -2;
export const PRI_IDLE = -64;

/** CSCHED_CREDITS_PER_MSEC: a running vCPU burns 10 credits per ms, i.e. one credit per 100 us. */
export const CREDITS_PER_MS = 10;
export const US_PER_CREDIT = 1000 / CREDITS_PER_MS;
/** CSCHED_TICKS_PER_TSLICE: the tick is a third of the slice (10 ms at the default 30 ms). */
export const TICKS_PER_TSLICE = 3;
/** CSCHED_MIN_TIMER: Xen never arms a scheduling timer shorter than this. */
export const MIN_TIMER_US = 100;

/** CreditTiming: the periods and credit amounts derived from the tunables, once per host. */
export interface CreditTiming {
  readonly tsliceUs: number;
  readonly tickUs: number;
  /** Credits one pCPU hands out per accounting period (300 at 30 ms). */
  readonly creditsPerTslice: number;
  /** Sampling accounting (Xen 3.x) debits this much from whoever runs at a tick (100 at 30 ms). */
  readonly creditsPerTick: number;
  /** Rate limit, capped at the slice as csched_init does; 0 = off. */
  readonly ratelimitUs: number;
}

/** creditTiming mirrors __csched_set_tslice: below 3 ms there is one tick per slice. */
export function creditTiming(params: XenCreditParams): CreditTiming {
  const tsliceMs = params.timesliceMs;
  const ticksPerTslice = tsliceMs < TICKS_PER_TSLICE ? 1 : TICKS_PER_TSLICE;
  const tsliceUs = tsliceMs * 1000;
  const creditsPerTslice = CREDITS_PER_MS * tsliceMs;
  return {
    tsliceUs,
    tickUs: Math.floor(tsliceUs / ticksPerTslice),
    creditsPerTslice,
    creditsPerTick: Math.floor(creditsPerTslice / ticksPerTslice),
    ratelimitUs: Math.min(params.ratelimitUs, tsliceUs),
  };
}
