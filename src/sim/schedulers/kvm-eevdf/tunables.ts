import type { KvmEevdfParams } from "../../../model/scheduler.js";
import { tunableFactor } from "../kvm-cfs/tunables.js";
import type { FairCommon } from "../kvm-fair/rules.js";

/** EevdfTunables are the effective values EEVDF runs with (times in us, slice already scaled). */
export interface EevdfTunables extends FairCommon {
  readonly factor: number;
  /** sysctl_sched_base_slice x factor: every entity's slice unless it asked for its own. */
  readonly baseSliceUs: number;
  readonly placeLag: boolean;
  readonly placeDeadlineInitial: boolean;
  readonly runToParity: boolean;
  readonly preemptShort: boolean;
  readonly delayDequeue: boolean;
}

/** eevdfTunables scales base_slice as update_sysctl() does (1 + ilog2(min(cpus, 8)) under log). */
export function eevdfTunables(params: KvmEevdfParams, nCpus: number): EevdfTunables {
  const factor = tunableFactor(params.tunableScaling, nCpus);
  return {
    factor,
    baseSliceUs: params.baseSliceUs * factor,
    placeLag: params.placeLag,
    placeDeadlineInitial: params.placeDeadlineInitial,
    runToParity: params.runToParity,
    preemptShort: params.preemptShort,
    delayDequeue: params.delayDequeue,
    tickUs: params.tickUs,
    haltPollUs: params.haltPollUs,
    cfsPeriodUs: params.cfsPeriodUs,
    bandwidthSliceUs: params.bandwidthSliceUs,
  };
}
