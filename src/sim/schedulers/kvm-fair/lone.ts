import { ENQ_INITIAL, type FairRules } from "./rules.js";
import type { CfsRq, Entity } from "./run-queue.js";

/*
 * Lone threads. A VM with one vCPU has one thread, so its group's queue on any CPU holds that
 * thread or nothing: every pick there is the thread, no preemption or slice check compares it
 * with a sibling (check_preempt_tick's thread level and a wakeup within the VM need two), and the
 * group's slice reads only its requested slice. Its thread-level vruntime, deadline, lag and its
 * queue's min_vruntime and avg_vruntime are then read by nothing that decides anything, so the
 * fair class does not keep them (VcpuState.lone): no placement, charge, lag or deadline at that
 * level, only the queue membership, weight and run time. What runs where and when is the same to
 * the bit (bench identity: the fair suite against the build that kept them), and the group
 * entity above it is kept in full.
 *
 * Two answers the kept values would give are taken as known instead: a lone thread is never a
 * delayed dequeue (placed at its empty queue's min_vruntime, which then follows it as curr, it
 * always sits at its queue's zero-lag point, so it is eligible when it sleeps), and its CFS
 * migration rebasing (leaveForWake, afterDequeue) moves only the values not kept.
 */

/** placeThread is place_entity for a thread that may share its queue (not lone). */
export function placeThread(rules: FairRules, rq: CfsRq, se: Entity, flags: number): void {
  rules.place(rq, se, se.placed ? flags : flags | ENQ_INITIAL);
  se.placed = true;
}
