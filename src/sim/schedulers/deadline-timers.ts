import { NO_TIMER } from "../cpu-scheduler.js";
import type { TimerClock } from "./own-timers.js";

/**
 * Hops an expiry takes through the event queue at its microsecond before it runs, so it comes
 * after the other policy timers due then (Xen's scheduling softirq runs after the timer handlers
 * of its instant):
 * - credit1 (2): a slice end sees csched_tick and csched_acct of its microsecond, behind the
 *   accounting's own one-hop deferral, so a slice that ends on an accounting boundary sees the
 *   new priorities;
 * - credit2 on a host with caps (1): behind budget replenishment and the runner a credit reset
 *   stopped;
 * - credit2 without caps (0): nothing else can be due then, and a hop would be a wasted event
 *   (results are byte-identical either way, apart from the event count).
 */
export type ExpiryHops = 0 | 1 | 2;

/**
 * DeadlineTimers: one "call me at this deadline" per pCPU (credit1's slice and rate-limit timer,
 * credit2's s_timer). Most slices end early (the vCPU blocks or is preempted), so moving a
 * deadline later keeps the pending event and re-arms when it fires, instead of a cancel and a
 * new event per switch; moving it earlier replaces the event.
 */
export class DeadlineTimers {
  private readonly deadlineUs: Float64Array;
  private readonly pendingAtUs: Float64Array;
  /** The pending timer() id per pCPU, NO_TIMER when none. */
  private readonly pending: Float64Array;

  constructor(
    private readonly ctx: TimerClock,
    nCpus: number,
    private readonly onExpire: (p: number) => void,
    private readonly hops: ExpiryHops,
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
    else if (this.hops === 0) this.expire(p);
    else this.ctx.timer(now, this.hops === 2 ? this.hop : this.expire, p);
  };

  private readonly hop = (p: number): void => {
    this.ctx.timer(this.ctx.now(), this.expire, p);
  };

  /** expire: still due after the hops (accounting or a cap timer may have rescheduled p and re-armed it). */
  private readonly expire = (p: number): void => {
    if (this.deadlineUs[p] > this.ctx.now()) return;
    this.deadlineUs[p] = Infinity;
    this.onExpire(p);
  };
}
