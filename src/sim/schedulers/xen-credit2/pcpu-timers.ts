import { NO_TIMER, type SchedContext } from "../../cpu-scheduler.js";
import type { TimerLane } from "../../simulator.js";
import { replay, tournament, type Tournament } from "../../tournament.js";
import type { Deadlines } from "./runtime-timers.js";

/**
 * PcpuTimers is RuntimeTimers (OwnTimers under DeadlineTimers' rules) for the host where credit2
 * sets no timer but its pCPUs' runtime timers: no cap (so no budget timers and no expiry hop) and
 * no billing driver domain. The same timers run at the same instants in the same order: keyed by
 * pCPU, ordered by time then by one count of settings, a later deadline kept pending and re-set
 * when it runs, an earlier one replacing it, one queue event (a wake-up at the earliest timer)
 * standing for them all and each next timer run in place while it is the host's next event.
 * What goes is the general machinery's per-expiry toll, paid ~600k times per 120 s Bobtail cell:
 * the other-timers heap checked at every step, three closures between the wake-up and schedule(),
 * and deadline and pending time kept in two classes. Where the host offers the simulator's timer
 * lane (SchedContext.timerLane), the loop itself runs each timer when it is the host's next event,
 * and the wake-up events (~70k per 120 s cell, each a queue push; ~6k more replaced a pending one) and the
 * advance() per timer run go too.
 */
export class PcpuTimers implements Deadlines, TimerLane {
  /** The pending timer per pCPU (Infinity: none) and its setting number, in a tournament tree (OwnTimers'). */
  private readonly timers: Tournament;
  private readonly atUs: Float64Array;
  private readonly order: Float64Array;
  private readonly tree: Int32Array;
  /** What schedule() asked for; a pending timer before it re-sets itself to it when it runs. */
  private readonly deadlineUs: Float64Array;
  private setCount = 0;
  private wakeId = NO_TIMER;
  private wakeAtUs = Infinity;
  /**
   * Inside onWake: timers set now are run by its loop, which queues the next wake-up at its end.
   * Always true in the simulator's lane (SchedContext.timerLane), whose loop runs each timer when
   * it is the host's next event: no wake-up is queued, and no advance() asks.
   */
  private running = false;

  constructor(
    private readonly ctx: SchedContext,
    nCpus: number,
    private readonly onExpire: (p: number) => void,
  ) {
    this.timers = tournament(nCpus);
    this.atUs = this.timers.atUs;
    this.order = this.timers.order;
    this.tree = this.timers.tree;
    this.deadlineUs = new Float64Array(this.timers.leaves).fill(Infinity);
    this.running = ctx.timerLane?.(this) ?? false;
  }

  /** TimerLane: the earliest pending timer. */
  get nextUs(): number {
    return this.atUs[this.tree[1]];
  }

  /** TimerLane: run the earliest timer, due now (the loop moved the clock to it). */
  runNext(): void {
    const p = this.tree[1];
    this.run(p, this.atUs[p]);
  }

  arm(p: number, deadlineUs: number): void {
    this.deadlineUs[p] = deadlineUs;
    // Unset is Infinity, never <= a deadline.
    if (this.atUs[p] <= deadlineUs) return;
    this.set(p, deadlineUs);
  }

  disarm(p: number): void {
    this.deadlineUs[p] = Infinity;
  }

  private set(p: number, atUs: number): void {
    const now = this.ctx.now();
    if (!(Number.isInteger(atUs) && atUs >= now)) badTime(atUs, now);
    this.atUs[p] = atUs;
    this.order[p] = this.setCount++;
    this.update(p);
    if (!this.running && atUs < this.wakeAtUs) this.wakeAt(atUs);
  }

  private wakeAt(atUs: number): void {
    if (this.wakeId !== NO_TIMER) this.ctx.cancelTimer(this.wakeId);
    this.wakeAtUs = atUs;
    this.wakeId = this.ctx.timer(atUs, this.onWake);
  }

  /**
   * onWake runs the earliest timer (due now, unless its pCPU was re-armed earlier since: then the
   * next one, if nothing else comes first), then each next one for as long as it is the host's
   * next event (OwnTimers.onWake with no other timers).
   */
  private readonly onWake = (): void => {
    this.wakeId = NO_TIMER;
    this.wakeAtUs = Infinity;
    this.running = true;
    const ctx = this.ctx;
    const atUs = this.atUs;
    let first = true;
    for (;;) {
      const p = this.tree[1];
      const t = atUs[p];
      if (t === Infinity) break;
      if (!(first && t === ctx.now()) && !(ctx.advance?.(t) ?? false)) break;
      first = false;
      this.run(p, t);
    }
    this.running = false;
    const next = atUs[this.tree[1]];
    if (next !== Infinity) this.wakeAt(next);
  };

  /** run runs p's timer, due at t (now). */
  private run(p: number, t: number): void {
    const atUs = this.atUs;
    const deadlineUs = this.deadlineUs;
    atUs[p] = Infinity;
    const d = deadlineUs[p];
    // A later deadline re-sets the timer (a new setting, as RuntimeTimers.fire); none drops it.
    if (d > t) {
      if (d !== Infinity) this.set(p, d);
      else this.update(p);
      return;
    }
    deadlineUs[p] = Infinity;
    this.onExpire(p);
    if (atUs[p] === Infinity) this.update(p);
  }

  /** update replays p's matches up the tree after its time changed. */
  private update(p: number): void {
    replay(this.timers, p);
  }
}

function badTime(atUs: number, nowUs: number): never {
  throw new RangeError(`xen-credit2: timer time ${atUs} us is not an integer at or after now (${nowUs} us)`);
}
