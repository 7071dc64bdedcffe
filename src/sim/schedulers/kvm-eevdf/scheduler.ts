import type { KvmEevdfParams } from "../../../model/scheduler.js";
import type { CpuScheduler, VcpuInfo } from "../../cpu-scheduler.js";
import { NICE_0_LOAD, niceToWeight } from "../kvm-cfs/tunables.js";
import { FairScheduler, type FairOptions } from "../kvm-fair/scheduler.js";
import { eevdfRules } from "./rules.js";
import { eevdfTunables } from "./tunables.js";

/** KvmEevdfOptions are knobs no scenario field carries (tests use them). */
export interface KvmEevdfOptions extends FairOptions {
  /** Nice value of each vCPU thread inside its VM's cgroup (default 0). */
  vcpuNice?: (info: VcpuInfo) => number;
}

/**
 * createKvmEevdf builds the KVM-on-EEVDF policy for one host (shared/reference/sim-fidelity.md
 * 3.7): each vCPU a thread in its VM's cgroup, on the fair-class machinery CFS uses, with EEVDF's
 * rules. A VM's schedRuntimeUs is its threads' custom slice (sched_attr.sched_runtime, taken as
 * given, not scaled); the others use base_slice x factor.
 */
export function createKvmEevdf(params: KvmEevdfParams, nCpus: number, options: KvmEevdfOptions = {}): CpuScheduler {
  const t = eevdfTunables(params, nCpus);
  const nice = options.vcpuNice;
  const init = (info: VcpuInfo) => ({
    weight: nice ? niceToWeight(nice(info)) : NICE_0_LOAD,
    sliceUs: info.vm.schedRuntimeUs ?? t.baseSliceUs,
  });
  return new FairScheduler("kvm-eevdf", eevdfRules(t), t, nCpus, init, options);
}
