import type { SchedContext, TimerHandle } from "../../cpu-scheduler.js";

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
  private readonly pending: (TimerHandle | null)[];
  private readonly fns: (() => void)[];
  private readonly hopFns: (() => void)[];
  private readonly expireFns: (() => void)[];

  constructor(
    private readonly ctx: SchedContext,
    nCpus: number,
    onExpire: (p: number) => void,
  ) {
    this.deadlineUs = new Float64Array(nCpus).fill(Infinity);
    this.pendingAtUs = new Float64Array(nCpus);
    this.pending = new Array<TimerHandle | null>(nCpus).fill(null);
    this.fns = Array.from({ length: nCpus }, (_, p) => () => this.fire(p));
    this.hopFns = Array.from({ length: nCpus }, (_, p) => () => this.ctx.at(this.ctx.now(), this.expireFns[p]));
    this.expireFns = Array.from({ length: nCpus }, (_, p) => () => this.expire(p, onExpire));
  }

  /** arm sets p's deadline, replacing the previous one. */
  arm(p: number, deadlineUs: number): void {
    this.deadlineUs[p] = deadlineUs;
    const pending = this.pending[p];
    if (pending !== null) {
      if (this.pendingAtUs[p] <= deadlineUs) return;
      pending.cancel();
    }
    this.schedule(p, deadlineUs);
  }

  /** disarm drops p's deadline; a pending event stays and finds nothing to do. */
  disarm(p: number): void {
    this.deadlineUs[p] = Infinity;
  }

  private schedule(p: number, atUs: number): void {
    this.pendingAtUs[p] = atUs;
    this.pending[p] = this.ctx.at(atUs, this.fns[p]);
  }

  private fire(p: number): void {
    this.pending[p] = null;
    const deadlineUs = this.deadlineUs[p];
    if (deadlineUs === Infinity) return;
    const now = this.ctx.now();
    if (now < deadlineUs) this.schedule(p, deadlineUs);
    else this.ctx.at(now, this.hopFns[p]);
  }

  /** expire: still due after the hops (accounting may have rescheduled p and re-armed it). */
  private expire(p: number, onExpire: (p: number) => void): void {
    if (this.deadlineUs[p] > this.ctx.now()) return;
    this.deadlineUs[p] = Infinity;
    onExpire(p);
  }
}
