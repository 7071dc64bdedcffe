import type { CpuState, VcpuState } from "./state.js";
import type { CfsRq, Entity } from "./run-queue.js";

/** Enqueue flags (the kernel's ENQUEUE_*): why an entity joins a queue. */
export const ENQ_WAKEUP = 1;
/** It comes from another CPU's queue (CFS rebases its vruntime there). */
export const ENQ_MIGRATED = 2;
/** A thread's first enqueue (ENQUEUE_INITIAL: EEVDF gives it half a slice). */
export const ENQ_INITIAL = 4;

/** FairCommon are the tunables the shared machinery uses, whatever the policy. */
export interface FairCommon {
  readonly tickUs: number;
  readonly haltPollUs: number;
  readonly cfsPeriodUs: number;
  readonly bandwidthSliceUs: number;
}

/**
 * FairRules is what differs between CFS (<= 6.5) and EEVDF (6.6+) inside the one fair class both
 * live in: where an entity is placed on a queue, what leaving a queue remembers, how a weight
 * change moves it, what charging run time triggers, which entity runs next and when a waker or a
 * tick preempts. Everything else (the two cgroup levels, per-CPU queues, bandwidth, balancing,
 * halt-polling) is the shared machinery in this folder.
 */
export interface FairRules {
  /**
   * Charging curr renews its deadline once its vruntime reaches it (EEVDF's update_deadline);
   * the quiet-tick replay (tick-debt.ts) does that renewal in its own loop.
   */
  readonly renewsDeadlines: boolean;
  /** place positions se as it joins rq (place_entity): flags are ENQ_* bits. */
  place(rq: CfsRq, se: Entity, flags: number): void;
  /** beforeDequeue runs while se still counts on rq (EEVDF remembers its lag here). */
  beforeDequeue(rq: CfsRq, se: Entity): void;
  /**
   * dequeueDelays: se is leaving rq, to sleep (`sleep`) or to move. True when it stays queued
   * instead (a sleeper EEVDF delays); else it runs beforeDequeue's part, so EEVDF reads the
   * zero-lag point once for both questions (every sleep's dequeue asks both).
   */
  dequeueDelays(rq: CfsRq, se: Entity, sleep: boolean): boolean;
  /** afterDequeue runs once se is off rq; `sleep` false means it moves to another CPU. */
  afterDequeue(rq: CfsRq, se: Entity, sleep: boolean): void;
  /**
   * leaveForWake: a sleeping thread is about to be woken onto another CPU's queue; null when the
   * policy reads nothing of the old queue then (so its CPU's owed ticks can wait).
   */
  readonly leaveForWake: ((oldRq: CfsRq, se: Entity) => void) | null;
  /** reweight changes an entity's weight (on the queue or not). */
  reweight(rq: CfsRq, se: Entity, weight: number): void;
  /** charged runs after se (curr of rq) was charged run time; true asks for a reschedule. */
  charged(rq: CfsRq, se: Entity): boolean;
  /** pick is pick_next_entity on one queue (curr included); null when it is empty. */
  pick(rq: CfsRq): Entity | null;
  /** becameCurr runs as se becomes curr of rq (set_next_entity). */
  becameCurr(rq: CfsRq, se: Entity): void;
  /** requeueDelayed: a delayed entity wakes where it is queued (DELAY_ZERO may re-place it). */
  requeueDelayed(rq: CfsRq, se: Entity): void;
  /** wakeupPreempts is check_preempt_wakeup: does the wakee take the CPU from curr? */
  wakeupPreempts(cpu: CpuState, curr: VcpuState, wakee: VcpuState): boolean;
  /** tickPreempts is the tick's own preemption check (CFS's check_preempt_tick). */
  tickPreempts(cpu: CpuState, curr: VcpuState): boolean;
}
