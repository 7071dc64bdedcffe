import { NO_TIMER, type SchedContext } from "../../cpu-scheduler.js";

/**
 * SchedTimers is credit2's per-pCPU scheduling timer (s_timer: the runtime csched2_runtime gave
 * the runner). Most runtimes end early (the vCPU blocks or a waker preempts it), so moving a
 * deadline later keeps the pending event and re-arms when it fires, instead of a cancel and a
 * new event per switch; moving it earlier replaces the event.
 *
 * Expiry runs in the event that finds the deadline due. credit1's DeadlineTimers take two extra
 * hops there so a slice end sees the ticks and accounting of its microsecond; credit2 has no
 * ticks, and its only other timers serve caps (budget replenishment, and a runner stopped when a
 * credit reset used up its budget). Xen's scheduling softirq runs after the timer handlers of
 * its instant, so on a host with caps an expiry takes one hop, behind those; without caps
 * nothing can be due at the same instant, and the hop would be a wasted event (the uncapped
 * results are byte-identical either way, apart from the event count).
 */
export class SchedTimers {
  private readonly deadlineUs: Float64Array;
  private readonly pendingAtUs: Float64Array;
  /** The pending timer() id per pCPU, NO_TIMER when none. */
  private readonly pending: Float64Array;

  constructor(
    private readonly ctx: SchedContext,
    nCpus: number,
    private readonly onExpire: (p: number) => void,
    /** Expire one hop late, behind the other policy timers of the instant (hosts with caps). */
    private readonly deferExpiry: boolean,
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
    this.pendingAtUs[p] = deadlineUs;
    this.pending[p] = this.ctx.timer(deadlineUs, this.fire, p);
  }

  /** disarm drops p's deadline; a pending event stays and finds nothing to do. */
  disarm(p: number): void {
    this.deadlineUs[p] = Infinity;
  }

  private readonly fire = (p: number): void => {
    this.pending[p] = NO_TIMER;
    const deadlineUs = this.deadlineUs[p];
    if (deadlineUs === Infinity) return;
    const now = this.ctx.now();
    if (now < deadlineUs) {
      this.pendingAtUs[p] = deadlineUs;
      this.pending[p] = this.ctx.timer(deadlineUs, this.fire, p);
    } else if (this.deferExpiry) this.ctx.timer(now, this.expire, p);
    else this.expire(p);
  };

  /** expire: still due (a cap timer before it may have rescheduled p and re-armed it). */
  private readonly expire = (p: number): void => {
    if (this.deadlineUs[p] > this.ctx.now()) return;
    this.deadlineUs[p] = Infinity;
    this.onExpire(p);
  };
}
