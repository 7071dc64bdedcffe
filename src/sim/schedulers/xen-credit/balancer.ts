import { MASK_CPUS, type RunQueues } from "./run-queues.js";

/**
 * Balancer holds credit1's cross-pCPU choices: which idle pCPU to wake (round robin, as
 * tickle_one_idle_cpu does) and which queued vCPU an idle or OVER-headed pCPU steals
 * (csched_load_balance). Deterministic rotations stand in for Xen's per-CPU cursors.
 */
export class Balancer {
  private stealBias = 0;
  private lastTickled: number;

  constructor(
    private readonly nCpus: number,
    /** vCPU running on each pCPU, -1 when idle (owned by the policy). */
    private readonly curr: Int32Array,
    private readonly rq: RunQueues,
    /** Last time each vCPU was seen by a schedule decision (owned by the policy). */
    private readonly lastSchedUs: Float64Array,
    private readonly migrationDelayUs: number,
  ) {
    this.lastTickled = nCpus - 1;
  }

  /** nextIdle returns the first idle pCPU after `after`, cyclically (cpumask_cycle), or -1. */
  nextIdle(after: number): number {
    for (let k = 1; k <= this.nCpus; k++) {
      const q = after + k < this.nCpus ? after + k : after + k - this.nCpus; // % without a division
      if (this.curr[q] < 0) return q;
    }
    return -1;
  }

  /** idleToTickle picks the idle pCPU to wake for a waker, rotating over calls; -1 if none. */
  idleToTickle(): number {
    const q = this.nextIdle(this.lastTickled);
    if (q >= 0) this.lastTickled = q;
    return q;
  }

  /**
   * steal scans busy peers of p from a rotating bias and takes (removes) the first queued vCPU of
   * strictly higher priority than minPri that is not cache-hot; -1 if none. Idle peers are
   * skipped: they will run their own queue.
   */
  steal(p: number, minPri: number, nowUs: number): number {
    const rq = this.rq;
    // Nothing queued on any peer (the common case below full load): the scan would find nothing.
    if (rq.total === rq.length[p]) return -1;
    // Cache-hot: scheduled within the last migrationDelayUs (never, when the delay is 0).
    const hotAfterUs = nowUs - this.migrationDelayUs;
    // Both scans out of line: this check is what runs on most calls, inlined into the switch.
    return this.nCpus <= MASK_CPUS ? this.stealFromMask(p, minPri, hotAfterUs) : this.stealFromAll(p, minPri, hotAfterUs);
  }

  /** stealFromAll is steal's scan over every peer (hosts of more than MASK_CPUS pCPUs). */
  private stealFromAll(p: number, minPri: number, hotAfterUs: number): number {
    const rq = this.rq;
    for (let k = 1; k <= this.nCpus; k++) {
      const q = this.stealBias + k < this.nCpus ? this.stealBias + k : this.stealBias + k - this.nCpus;
      if (q === p || this.curr[q] < 0 || rq.length[q] === 0) continue;
      const u = rq.takeFirstAbove(q, minPri, this.lastSchedUs, hotAfterUs);
      if (u >= 0) {
        this.stealBias = q;
        return u;
      }
    }
    return -1;
  }

  /**
   * stealFromMask is steal's scan over the non-empty queues only, in the same order (the pCPUs
   * after stealBias, then those up to it): the full scan's branches over mostly empty queues were
   * a twentieth of a credit1 run.
   */
  private stealFromMask(p: number, minPri: number, hotAfterUs: number): number {
    const mask = this.rq.nonEmpty & ~(1 << p);
    const upToBias = (2 << this.stealBias) - 1;
    for (let bits = mask & ~upToBias, pass = 0; pass < 2; bits = mask & upToBias, pass++) {
      while (bits !== 0) {
        const q = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        if (this.curr[q] < 0) continue;
        const u = this.rq.takeFirstAbove(q, minPri, this.lastSchedUs, hotAfterUs);
        if (u >= 0) {
          this.stealBias = q;
          return u;
        }
      }
    }
    return -1;
  }
}
