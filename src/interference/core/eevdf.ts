import type { KvmEevdfParams } from "../../model/scheduler.js";
import { kvmCommon, tunableFactor } from "./cfs.js";
import type { SchedulerCore } from "./scheduler-core.js";

/**
 * eevdfCore: KVM vCPU threads under Linux EEVDF (sim-fidelity 3.7 and E7-EEVDF).
 *
 * - A waking victim carries the positive lag it left with (PLACE_LAG), so it is eligible at once
 *   and its deadline is near; but RUN_TO_PARITY keeps the runner on until it has used the slice it
 *   was picked with. A runner is protected for the first slice of each run: E[min(B, slice)] / b
 *   = 1 - e^(-slice/b) of its run time for exponential bursts of mean b. A runner that ran past its
 *   slice (a hog, a long burst) gets a new deadline without a new protection: a waker preempts it.
 *   PREEMPT_SHORT lifts the protection for a waker with a shorter slice: with per-task slices
 *   equal (the default), it changes nothing.
 * - Blocked, the victim waits for the rest of that slice, noticed at the next tick (update_curr):
 *   at most slice + tick; or for another CPU to go idle and pull it.
 * - Light vCPUs halt-poll as under CFS.
 */
export function eevdfCore(p: KvmEevdfParams, cores: number): SchedulerCore {
  const sliceUs = p.baseSliceUs * tunableFactor(p, cores);
  const approximations: string[] = [];
  if (!p.runToParity) approximations.push("EEVDF without RUN_TO_PARITY is modelled as with it");
  return {
    name: "eevdf",
    blockShare(b) {
      return 1 - Math.exp(-sliceUs / b);
    },
    waitCapUs() {
      return sliceUs + p.tickUs;
    },
    ...kvmCommon(p),
    approximations,
  };
}
