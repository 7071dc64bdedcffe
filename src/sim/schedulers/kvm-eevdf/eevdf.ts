import { NICE_0_LOAD } from "../kvm-cfs/tunables.js";
import type { CfsRq, Entity } from "../kvm-fair/run-queue.js";

// The pure arithmetic of EEVDF (kernel/sched/fair.c 6.6+, Documentation/scheduler/sched-eevdf.rst),
// on one cfs_rq. Vruntimes are in us of nice-0 time; lag is kept in vruntime units (se->vlag).

/**
 * avgVruntime is avg_vruntime: V, the load-weighted mean vruntime of the queue's entities (curr
 * included), the point of zero lag. The waiters' part is the queue's running sum (CfsRq.avgSum,
 * kept relative to min_vruntime as the kernel keeps it); curr, whose vruntime moves as it runs,
 * is added here.
 */
export function avgVruntime(rq: CfsRq): number {
  const base = rq.minVruntime;
  let sum = rq.avgSum;
  let load = rq.avgLoad;
  const curr = rq.curr;
  if (curr !== null && curr.onRq) {
    sum += curr.weight * (curr.vruntime - base);
    load += curr.weight;
  }
  return load > 0 ? base + sum / load : base;
}

/** eligible is entity_eligible: lag >= 0, i.e. the entity's vruntime is not past V. */
export function eligible(se: Entity, v: number): boolean {
  return se.vruntime <= v;
}

/** vslice is calc_delta_fair(slice): the slice in the entity's vruntime units. */
export function vslice(se: Entity): number {
  return (se.sliceUs * NICE_0_LOAD) / se.weight;
}

/**
 * lagLimit is update_entity_lag's clamp: a lag worth more than max(2 slices, one tick) of the
 * entity's run time is not remembered.
 */
export function clampLag(lag: number, se: Entity, tickUs: number): number {
  const limit = (Math.max(2 * se.sliceUs, tickUs) * NICE_0_LOAD) / se.weight;
  return lag > limit ? limit : lag < -limit ? -limit : lag;
}

/**
 * placedVruntime is place_entity's vruntime with PLACE_LAG: V minus the remembered lag, inflated
 * by (W + w) / W so that adding the entity (which itself moves V) leaves it with exactly that lag.
 * `load` is the queue's weight before the entity joins (curr included).
 */
export function placedVruntime(v: number, vlag: number, load: number, weight: number): number {
  if (load <= 0) return v;
  return v - (vlag * (load + weight)) / load;
}

/**
 * pickEevdf is pick_eevdf: among eligible entities the earliest virtual deadline (ties in queue
 * order); curr if it is eligible and earlier, or, with `protect` (RUN_TO_PARITY), whenever it is
 * eligible and still on the slice it was picked with. Null only for an empty queue.
 */
export function pickEevdf(rq: CfsRq, protect: boolean): Entity | null {
  // An empty queue (every dequeue that leaves a CPU idle asks) has no waiter and no curr on it;
  // the fallback below would answer rq.curr all the same.
  if (rq.nrRunning === 0) return rq.curr;
  let curr = rq.curr !== null && rq.curr.onRq ? rq.curr : null;
  if (rq.nrRunning === 1) return curr ?? rq.queue[0] ?? null;
  const v = avgVruntime(rq);
  if (curr !== null && !eligible(curr, v)) curr = null;
  if (protect && curr !== null && curr.protectDeadline === curr.deadline) return curr;
  let best: Entity | null = null;
  for (const se of rq.queue) {
    if (!eligible(se, v)) continue;
    if (best === null || se.deadline < best.deadline || (se.deadline === best.deadline && se.seq < best.seq)) best = se;
  }
  if (best === null || (curr !== null && curr.deadline < best.deadline)) best = curr;
  // Rounding can leave nobody eligible by a hair: the kernel falls back to the leftmost too.
  return best ?? rq.leftmost ?? rq.curr;
}
