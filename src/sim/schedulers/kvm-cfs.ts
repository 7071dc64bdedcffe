// KVM vCPU threads under Linux CFS (<= 6.5): the policy lives in ./kvm-cfs/, split by concern:
// tunables (scaling, weights), run-queue (cfs_rq), fair (pure fair.c rules), hierarchy (the two
// cgroup levels), bandwidth (quota), balance (CPU selection) and scheduler (the CpuScheduler).
export { createKvmCfs, type KvmCfsOptions } from "./kvm-cfs/scheduler.js";
export {
  cgroupWeightToShares,
  NICE_0_LOAD,
  niceToWeight,
  SCHED_PRIO_TO_WEIGHT,
  scaledTunables,
  tunableFactor,
  type CfsTunables,
} from "./kvm-cfs/tunables.js";
