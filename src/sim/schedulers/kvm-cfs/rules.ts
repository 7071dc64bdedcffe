import type { CpuState, VcpuState } from "../kvm-fair/state.js";
import { ENQ_MIGRATED, ENQ_WAKEUP, type FairRules } from "../kvm-fair/rules.js";
import type { CfsRq, Entity } from "../kvm-fair/run-queue.js";
import { placeWakeupVruntime } from "./fair.js";
import { tickExpires, wakeeWins } from "./preempt.js";
import type { CfsTunables } from "./tunables.js";

/**
 * cfsRules are CFS's (<= 6.5) answers inside the shared fair class: vruntimes measured against
 * min_vruntime (made relative while a thread moves between CPUs), sleeper credit at wake-up,
 * leftmost-vruntime picking, wakeup_gran and slice-based preemption; sleepers leave at once.
 */
export function cfsRules(t: CfsTunables): FairRules {
  return {
    renewsDeadlines: false,
    place(rq: CfsRq, se: Entity, flags: number): void {
      if (flags & ENQ_MIGRATED) se.vruntime += rq.minVruntime;
      if (flags & ENQ_WAKEUP) se.vruntime = placeWakeupVruntime(se.vruntime, rq.minVruntime, t);
    },
    beforeDequeue(): void {},
    dequeueDelays: () => false,
    afterDequeue(rq: CfsRq, se: Entity, sleep: boolean): void {
      if (!sleep) se.vruntime -= rq.minVruntime;
    },
    // migrate_task_rq_fair: leave the old queue relative to its min_vruntime.
    leaveForWake(oldRq: CfsRq, se: Entity): void {
      se.vruntime -= oldRq.minVruntime;
    },
    reweight: (rq, se, weight) => rq.reweight(se, weight),
    charged(rq: CfsRq): boolean {
      rq.updateMinVruntime();
      return false;
    },
    pick: (rq) => rq.pick(),
    becameCurr(): void {},
    requeueDelayed(): void {},
    wakeupPreempts: (cpu: CpuState, curr: VcpuState, wakee: VcpuState) => wakeeWins(cpu, curr, wakee, t),
    tickPreempts: (cpu: CpuState, curr: VcpuState) => tickExpires(cpu, curr, t),
  };
}
