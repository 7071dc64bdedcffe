import { MIN_SHARES, NICE_0_LOAD, type CfsTunables } from "./tunables.js";

// The pure arithmetic of kernel/sched/fair.c (<= 6.5), kept apart from the policy's state so each
// rule can be tested with numbers from the reference (shared/reference/sim-fidelity.md 3.3-3.5).

/**
 * schedPeriodUs is __sched_period: the latency target, stretched to nr x min_gran once more than
 * nr_latency tasks share the CPU. nrRunning is the CPU's h_nr_running (ALT_PERIOD, on since 5.13),
 * plus one when the entity asked about is not on the queue yet.
 */
export function schedPeriodUs(nrRunning: number, t: CfsTunables): number {
  return nrRunning > t.nrLatency ? nrRunning * t.minGranularityUs : t.latencyUs;
}

/** sliceShare is one level of sched_slice: the entity's part of the time given to its queue. */
export function sliceShare(sliceUs: number, weight: number, queueLoad: number): number {
  return queueLoad > 0 ? (sliceUs * weight) / queueLoad : sliceUs;
}

/** baseSlice is the BASE_SLICE floor (on since 5.13): no slice is shorter than min_gran. */
export function baseSlice(sliceUs: number, t: CfsTunables): number {
  return sliceUs > t.minGranularityUs ? sliceUs : t.minGranularityUs;
}

/** calcDeltaFair converts wall time into the vruntime of an entity of the given weight. */
export function calcDeltaFair(deltaUs: number, weight: number): number {
  return (deltaUs * NICE_0_LOAD) / weight;
}

/**
 * placeWakeupVruntime is place_entity for a waking entity: it gets at most the sleeper credit
 * below min_vruntime, and never gains time by being placed backwards from its own vruntime.
 */
export function placeWakeupVruntime(oldVruntime: number, minVruntime: number, t: CfsTunables): number {
  const floor = minVruntime - t.sleeperCreditUs;
  return oldVruntime > floor ? oldVruntime : floor;
}

/**
 * wakeupPreempts is wakeup_preempt_entity(curr, wakee) == 1: the wakee preempts when curr is ahead
 * of it by more than wakeup_gran in the wakee's vruntime units (a heavier wakee needs less lead).
 */
export function wakeupPreempts(currVruntime: number, wakeeVruntime: number, wakeeWeight: number, t: CfsTunables): boolean {
  const vdiff = currVruntime - wakeeVruntime;
  if (vdiff <= 0) return false;
  return vdiff > calcDeltaFair(t.wakeupGranularityUs, wakeeWeight);
}

/**
 * tickPreempts is check_preempt_tick: resched once curr ran past its slice; otherwise, after at
 * least min_gran, when curr's vruntime is more than a slice ahead of the leftmost waiter.
 * leftVruntime is NaN when nobody waits (the caller skips the check then anyway).
 */
export function tickPreempts(
  ranUs: number,
  idealSliceUs: number,
  currVruntime: number,
  leftVruntime: number,
  t: CfsTunables,
): boolean {
  if (ranUs > idealSliceUs) return true;
  if (ranUs < t.minGranularityUs) return false;
  const delta = currVruntime - leftVruntime;
  return delta > idealSliceUs;
}

/**
 * groupShares is calc_group_shares: the group's shares split over CPUs by where its load is,
 * clamped to [MIN_SHARES, shares]. Loads are instantaneous runnable weights, standing in for the
 * kernel's PELT averages (which lag; a brief sleep barely moves them).
 */
export function groupShares(tgShares: number, cpuLoad: number, groupLoad: number): number {
  const shares = groupLoad > 0 ? (tgShares * cpuLoad) / groupLoad : tgShares;
  if (shares < MIN_SHARES) return MIN_SHARES;
  return shares > tgShares ? tgShares : shares;
}
