import type { CpuState, VcpuState } from "../kvm-fair/state.js";
import { ENQ_INITIAL, type FairRules } from "../kvm-fair/rules.js";
import type { CfsRq, Entity } from "../kvm-fair/run-queue.js";
import { avgVruntime, clampLag, eligible, pickEevdf, placedVruntime, vslice } from "./eevdf.js";
import type { EevdfTunables } from "./tunables.js";

/**
 * eevdfRules are EEVDF's answers inside the shared fair class (Linux 6.6-6.12+): every enqueue is
 * placed at the zero-lag point minus the lag the entity left with (PLACE_LAG), with a deadline a
 * slice ahead (half for a new thread); the eligible entity with the earliest deadline runs; a
 * deadline reached while running asks for a reschedule; weight changes keep the weighted lag.
 */
export function eevdfRules(t: EevdfTunables): FairRules {
  const pick = (rq: CfsRq, protect: boolean) => pickEevdf(rq, protect);
  return {
    renewsDeadlines: true,
    place(rq: CfsRq, se: Entity, flags: number): void {
      const v = avgVruntime(rq);
      se.vruntime = t.placeLag && rq.nrRunning > 0 ? placedVruntime(v, se.vlag, rq.loadWeight, se.weight) : v;
      const vs = vslice(se);
      se.deadline = se.vruntime + (t.placeDeadlineInitial && flags & ENQ_INITIAL ? vs / 2 : vs);
    },
    // update_entity_lag; a delayed sleeper finally leaving keeps no positive lag (DELAY_ZERO).
    beforeDequeue(rq: CfsRq, se: Entity): void {
      rememberLag(se, avgVruntime(rq), t.tickUs);
    },
    dequeueDelays(rq: CfsRq, se: Entity, sleep: boolean): boolean {
      const v = avgVruntime(rq);
      if (sleep && t.delayDequeue && !eligible(se, v)) return true;
      rememberLag(se, v, t.tickUs);
      return false;
    },
    afterDequeue(): void {},
    leaveForWake: null,
    reweight(rq: CfsRq, se: Entity, weight: number): void {
      if (weight === se.weight) return;
      if (!se.onRq) {
        se.vlag = (se.vlag * se.weight) / weight;
        se.weight = weight;
        return;
      }
      reweightQueued(rq, se, weight);
    },
    // update_curr: update_deadline (a used-up slice starts a new request and, with others
    // queued, a resched), and with PREEMPT_SHORT did_preempt_short: curr whose slice protection
    // is gone (cancelled by a shorter-slice waker, or a renewed deadline) is rescheduled as soon
    // as it is no longer eligible.
    charged(rq: CfsRq, se: Entity): boolean {
      rq.updateMinVruntime();
      if (se.vruntime >= se.deadline) {
        se.deadline = se.vruntime + vslice(se);
        return rq.nrRunning > 1;
      }
      if (rq.nrRunning <= 1 || !t.preemptShort || se.protectDeadline === se.deadline) return false;
      return !eligible(se, avgVruntime(rq));
    },
    pick: (rq) => pick(rq, t.runToParity),
    becameCurr(rq: CfsRq, se: Entity): void {
      se.protectDeadline = se.deadline;
    },
    // requeue_delayed_entity under DELAY_ZERO: a positive lag is not kept, the entity restarts at V.
    requeueDelayed(rq: CfsRq, se: Entity): void {
      if (avgVruntime(rq) - se.vruntime <= 0) return;
      const waiting = se !== rq.curr;
      if (waiting) rq.remove(se);
      rq.account(se, -1);
      se.vlag = 0;
      this.place(rq, se, 0);
      rq.account(se, 1);
      if (waiting) rq.insert(se);
    },
    wakeupPreempts(cpu: CpuState, curr: VcpuState, wakee: VcpuState): boolean {
      const groups = cpu.groups;
      if (groups[wakee.vm].throttled) return false;
      const same = curr.vm === wakee.vm;
      const rq = same ? groups[curr.vm].rq : cpu.root;
      const cse = same ? curr.se : groups[curr.vm].se;
      const wse = same ? wakee.se : groups[wakee.vm].se;
      // do_preempt_short -> cancel_protect_slice: an eligible waker with a shorter slice that is
      // due before curr (or curr is past its share) lifts curr's RUN_TO_PARITY protection, for
      // this pick and for the picks after it, until curr is picked again.
      if (t.preemptShort && wse.sliceUs < cse.sliceUs) {
        const v = avgVruntime(rq);
        if (eligible(wse, v) && (wse.deadline < cse.deadline || !eligible(cse, v))) cse.protectDeadline = NaN;
      }
      return pick(rq, t.runToParity) === wse;
    },
    tickPreempts: () => false,
  };
}

/** rememberLag is update_entity_lag at V = v; a delayed sleeper finally leaving keeps no positive lag. */
function rememberLag(se: Entity, v: number, tickUs: number): void {
  const lag = clampLag(v - se.vruntime, se, tickUs);
  se.vlag = se.delayed && lag > 0 ? 0 : lag;
}

/**
 * reweightQueued is reweight_entity for an entity on its queue: its weighted lag and the length
 * of its remaining request are kept, so V does not move; a waiting entity is re-inserted.
 */
function reweightQueued(rq: CfsRq, se: Entity, weight: number): void {
  const v = avgVruntime(rq);
  const ratio = se.weight / weight;
  const lag = v - se.vruntime;
  const request = se.deadline - se.vruntime;
  const waiting = se !== rq.curr;
  if (waiting) rq.remove(se);
  rq.reweight(se, weight);
  se.vruntime = v - lag * ratio;
  se.deadline = se.vruntime + request * ratio;
  if (waiting) rq.insert(se);
}
