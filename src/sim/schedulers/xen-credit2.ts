// Xen credit2 (xen/common/sched/credit2.c): the policy lives in ./xen-credit2/, split by concern:
// run-queue (sorted queue, load averages, layout), units (per-vCPU credit and burning), budget
// (caps), balance (between run queues), runtime-timers and pcpu-timers (the pCPUs' s_timers, the
// latter on a host without caps) and scheduler (the CpuScheduler).
export { createXenCredit2 } from "./xen-credit2/scheduler.js";
export { splitRunqueues } from "./xen-credit2/run-queue.js";
