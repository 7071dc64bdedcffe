import { NO_TIMER, type SchedContext } from "../../cpu-scheduler.js";

/**
 * DeadlineTimers: one "call me at this deadline" per pCPU (credit1's slice and rate-limit timer).
 * Most slices end early (the vCPU blocks or is preempted), so moving a deadline later keeps the
 * pending event and re-arms when it fires, instead of a cancel and a new event per switch.
 *
 * Expiry runs after every other policy timer of its microsecond. In Xen the slice timer only
 * raises SCHEDULE_SOFTIRQ, which runs after the TIMER_SOFTIRQ handlers due at the same instant
 * (csched_tick, csched_acct): a slice that ends on an accounting boundary sees the new
 * priorities. Two hops through the queue put it behind the accounting's own one-hop deferral.
 */
export class DeadlineTimers {
  private readonly deadlineUs: Float64Array;
  private readonly pendingAtUs: Float64Array;
  /** The pending timer() id per pCPU, NO_TIMER when none. */
  private readonly pending: Float64Array;

  constructor(
    private readonly ctx: SchedContext,
    nCpus: number,
    private readonly onExpire: (p: number) => void,
  ) {
    this.deadlineUs = new Float64Array(nCpus).fill(Infinity);
    this.pendingAtUs = new Float64Array(nCpus);
    this.pending = new Float64Array(nCpus).fill(NO_TIMER);
  }

  /** arm sets p's deadline, replacing the previous one. */
  arm(p: number, deadlineUs: number): void {
    this.deadlineUs[p] = deadlineUs;
    const pending = this.pending[p];
    if (pending !== NO_TIMER) {
      if (this.pendingAtUs[p] <= deadlineUs) return;
      this.ctx.cancelTimer(pending);
    }
    this.schedule(p, deadlineUs);
  }

  /** disarm drops p's deadline; a pending event stays and finds nothing to do. */
  disarm(p: number): void {
    this.deadlineUs[p] = Infinity;
  }

  private schedule(p: number, atUs: number): void {
    this.pendingAtUs[p] = atUs;
    this.pending[p] = this.ctx.timer(atUs, this.fire, p);
  }

  private readonly fire = (p: number): void => {
    this.pending[p] = NO_TIMER;
    const deadlineUs = this.deadlineUs[p];
    if (deadlineUs === Infinity) return;
    const now = this.ctx.now();
    if (now < deadlineUs) this.schedule(p, deadlineUs);
    else this.ctx.timer(now, this.hop, p);
  };

  private readonly hop = (p: number): void => {
    this.ctx.timer(this.ctx.now(), this.expire, p);
  };

  /** expire: still due after the hops (accounting may have rescheduled p and re-armed it). */
  private readonly expire = (p: number): void => {
    if (this.deadlineUs[p] > this.ctx.now()) return;
    this.deadlineUs[p] = Infinity;
    this.onExpire(p);
  };
}
