import { NO_TIMER, type SchedContext } from "../../cpu-scheduler.js";
import type { TimerLane } from "../../simulator.js";
import { replay, tournament, type Tournament } from "../../tournament.js";
import type { Deadlines } from "./runtime-timers.js";

/**
 * PcpuTimers is the runtime timers (credit2's s_timer, one per pCPU) of the host where credit2
 * sets no other timer: no cap (so no budget timers and no expiry hop) and no billing driver
 * domain. A pCPU's timer is its deadline: arming moves it, earlier or later, and disarming drops
 * it. Timers of one microsecond run after every queue event of it (as PRIO_POLICY events would
 * after the workload events) and among themselves by pCPU index. Xen leaves that order to
 * chance (each pCPU's timer fires on its own CPU); this rule is one a skipped expiry can be placed
 * by from its instant and pCPU alone (scheduler.ts, owed keep expiries), where the order of
 * settings that DeadlineTimers and RuntimeTimers keep would need the setting number of an expiry
 * that never ran. Where the host offers the simulator's timer lane (SchedContext.timerLane), the
 * loop itself runs each timer when it is the host's next event; otherwise (a recording context:
 * bench/sim-replay.ts) one queue event at the earliest timer wakes it, and it runs each next one
 * in place while nothing else of the host is due at or before it.
 */
export class PcpuTimers implements Deadlines, TimerLane {
  /** The pending timer per pCPU (Infinity: none) in a tournament tree, ties broken by pCPU index. */
  private readonly timers: Tournament;
  private readonly atUs: Float64Array;
  private readonly tree: Int32Array;
  private wakeId = NO_TIMER;
  private wakeAtUs = Infinity;
  /**
   * Inside onWake: timers set now are run by its loop, which queues the next wake-up at its end.
   * Always true in the simulator's lane (SchedContext.timerLane), whose loop runs each timer when
   * it is the host's next event: no wake-up is queued, and no advance() asks.
   */
  private running = false;
  /** The pCPU whose timer is running, -1 outside a timer run (the policy places owed expiries by it). */
  runningCpu = -1;

  constructor(
    private readonly ctx: SchedContext,
    nCpus: number,
    private readonly onExpire: (p: number) => void,
  ) {
    this.timers = tournament(nCpus);
    this.atUs = this.timers.atUs;
    this.tree = this.timers.tree;
    // The setting number of OwnTimers' tree, fixed: ties go by pCPU.
    this.timers.order.forEach((_, p, order) => (order[p] = p));
    this.running = ctx.timerLane?.(this) ?? false;
  }

  /** TimerLane: the earliest pending timer. */
  get nextUs(): number {
    return this.atUs[this.tree[1]];
  }

  /** TimerLane: run the earliest timer, due now (the loop moved the clock to it). */
  runNext(): void {
    this.run(this.tree[1]);
  }

  /** atOf is p's pending timer, Infinity when none. */
  atOf(p: number): number {
    return this.atUs[p];
  }

  arm(p: number, deadlineUs: number): void {
    const now = this.ctx.now();
    if (!(Number.isInteger(deadlineUs) && deadlineUs >= now)) badTime(deadlineUs, now);
    if (this.atUs[p] === deadlineUs) return;
    this.atUs[p] = deadlineUs;
    replay(this.timers, p);
    if (!this.running && deadlineUs < this.wakeAtUs) this.wakeAt(deadlineUs);
  }

  disarm(p: number): void {
    if (this.atUs[p] === Infinity) return;
    this.atUs[p] = Infinity;
    replay(this.timers, p);
  }

  private wakeAt(atUs: number): void {
    if (this.wakeId !== NO_TIMER) this.ctx.cancelTimer(this.wakeId);
    this.wakeAtUs = atUs;
    this.wakeId = this.ctx.timer(atUs, this.onWake);
  }

  /**
   * onWake runs the earliest timer (due now, unless it moved since: then the next one, if nothing
   * else comes first), then each next one for as long as it is the host's next event.
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
      this.run(p);
    }
    this.running = false;
    const next = atUs[this.tree[1]];
    if (next !== Infinity) this.wakeAt(next);
  };

  /** run expires p's timer (due now). */
  private run(p: number): void {
    this.atUs[p] = Infinity;
    this.runningCpu = p;
    this.onExpire(p);
    this.runningCpu = -1;
    // Unless the expiry armed p again, its leaf is still the one that ran.
    if (this.atUs[p] === Infinity) replay(this.timers, p);
  }
}

function badTime(atUs: number, nowUs: number): never {
  throw new RangeError(`xen-credit2: timer time ${atUs} us is not an integer at or after now (${nowUs} us)`);
}
