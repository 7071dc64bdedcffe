/**
 * CFS bandwidth control (Documentation/scheduler/sched-bwc.rst; fair.c assign_cfs_rq_runtime,
 * __return_cfs_rq_runtime, distribute_cfs_runtime), for one VM cgroup with a quota.
 *
 * The quota is a global pool refilled every period. Each CPU's slice of the group (its cfs_rq)
 * draws run time from the pool a slice at a time and spends it as its threads run; a cfs_rq that
 * is out of run time while the pool is empty gets throttled until the next refill pays its debt.
 * Per-CPU leftovers do not expire (Linux >= 5.4 removed slice expiry). The period timer runs from
 * time 0 rather than from the group's first activity, and there is no slack timer: run time an
 * idle cfs_rq returns waits in the pool for the next draw or refill.
 */

/** MIN_CFS_RQ_RUNTIME_US is what a cfs_rq keeps when it goes idle and returns the rest (1 ms). */
export const MIN_CFS_RQ_RUNTIME_US = 1000;

/** CpuRuntime is a cfs_rq's bandwidth state: runtime_remaining and throttled. */
export interface CpuRuntime {
  runtimeUs: number;
  throttled: boolean;
}

/** Bandwidth is a cfs_bandwidth: the group's quota and the pool left in this period. */
export class Bandwidth {
  poolUs: number;

  constructor(
    readonly quotaUs: number,
    readonly sliceUs: number,
  ) {
    this.poolUs = quotaUs;
  }

  /**
   * assign tops a cfs_rq up to one slice from the pool (however deep its debt, it asks for slice -
   * remaining) and says whether it has run time left (assign_cfs_rq_runtime).
   */
  assign(rq: CpuRuntime): boolean {
    const wantUs = this.sliceUs - rq.runtimeUs;
    const grantUs = wantUs < this.poolUs ? wantUs : this.poolUs;
    if (grantUs > 0) {
      this.poolUs -= grantUs;
      rq.runtimeUs += grantUs;
    }
    return rq.runtimeUs > 0;
  }

  /**
   * spend charges run time to a cfs_rq; false means it is out and the pool could not refill it,
   * so the running thread must be rescheduled and the cfs_rq throttled (__account_cfs_rq_runtime).
   */
  spend(rq: CpuRuntime, deltaUs: number): boolean {
    rq.runtimeUs -= deltaUs;
    if (rq.runtimeUs > 0 || rq.throttled) return true;
    return this.assign(rq);
  }

  /** returnSlack gives back all but 1 ms of an idle cfs_rq's run time to the pool. */
  returnSlack(rq: CpuRuntime): void {
    const slackUs = rq.runtimeUs - MIN_CFS_RQ_RUNTIME_US;
    if (slackUs <= 0) return;
    rq.runtimeUs -= slackUs;
    this.poolUs += slackUs;
  }

  /** refill restarts the pool for a new period (the period timer). */
  refill(): void {
    this.poolUs = this.quotaUs;
  }

  /**
   * payDebt gives a throttled cfs_rq what it owes plus 1 us from the pool; true when it may
   * run again (distribute_cfs_runtime).
   */
  payDebt(rq: CpuRuntime): boolean {
    const wantUs = 1 - rq.runtimeUs;
    const grantUs = wantUs < this.poolUs ? wantUs : this.poolUs;
    if (grantUs > 0) {
      this.poolUs -= grantUs;
      rq.runtimeUs += grantUs;
    }
    return rq.runtimeUs > 0;
  }
}
