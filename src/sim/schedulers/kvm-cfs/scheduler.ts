import type { KvmCfsParams } from "../../../model/scheduler.js";
import type { CpuScheduler, VcpuInfo } from "../../cpu-scheduler.js";
import { FairScheduler, type FairOptions } from "../kvm-fair/scheduler.js";
import { cfsRules } from "./rules.js";
import { NICE_0_LOAD, niceToWeight, scaledTunables } from "./tunables.js";

/** KvmCfsOptions are knobs no scenario field carries (tests use them). */
export interface KvmCfsOptions extends FairOptions {
  /** Nice value of each vCPU thread inside its VM's cgroup (default 0). */
  vcpuNice?: (info: VcpuInfo) => number;
}

/**
 * createKvmCfs builds the KVM-on-CFS policy for one host (shared/reference/sim-fidelity.md 3):
 * each vCPU a nice-0 thread in its VM's cgroup under CFS (Linux <= 6.5), on the shared fair-class
 * machinery with CFS's rules.
 */
export function createKvmCfs(params: KvmCfsParams, nCpus: number, options: KvmCfsOptions = {}): CpuScheduler {
  const t = scaledTunables(params, nCpus);
  const nice = options.vcpuNice;
  const init = (info: VcpuInfo) => ({ weight: nice ? niceToWeight(nice(info)) : NICE_0_LOAD, sliceUs: 0 });
  return new FairScheduler("kvm-cfs", cfsRules(t), t, nCpus, init, options);
}
