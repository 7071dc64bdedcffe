import { NO_TIMER, type SchedContext } from "../cpu-scheduler.js";
import type { EventFn } from "../event-queue.js";
import type { TimerLane } from "../simulator.js";
import { TimerHeap } from "./timer-heap.js";
import { replay, tournament, type Tournament } from "../tournament.js";

/** TimerClock is the part of SchedContext a policy's timers use (host-sim itself, or OwnTimers). */
export type TimerClock = Pick<SchedContext, "now" | "timer" | "cancelTimer">;

/**
 * OwnTimers keeps a policy's timers out of the host's event queue and runs them in the order the
 * queue would: by time, then in the order they were set (the queue's sequence order, since every
 * timer the policy sets comes here and nowhere else). One queue event, a wake-up at the earliest
 * timer, stands for them all; when it runs it runs every timer that is next on the whole host
 * (SchedContext.advance: nothing else due at or before it), so a stretch of timers with no
 * workload event between them costs one queue event instead of one each.
 *
 * Two kinds of timer, ordered together by one count of settings: keyed ones (at most one per key,
 * e.g. a pCPU's runtime timer; setting a key again replaces it, as a cancel and a new event would)
 * in a tournament tree, whose update is a few compares where a heap's would move entries; and any
 * others (timer(), cancelTimer()) in a small heap.
 *
 * Exact only when no other component sets timers at the policy's priority: the queue would order
 * those against the wake-up, not against each timer. Host-sim's one other source is the driver
 * domain's charge flush (chargesDriverWork); a policy uses host-sim's timers there.
 *
 * Where the host offers the simulator's timer lane (SchedContext.timerLane), the loop itself runs
 * each timer when it is the host's next event: no wake-up is queued, and no advance() asks.
 */
export class OwnTimers implements TimerClock, TimerLane {
  /** Keyed timers: time (Infinity when unset) and setting number, per key, in a tournament tree. */
  private readonly keys: Tournament;
  private readonly keyAtUs: Float64Array;
  private readonly keyOrder: Float64Array;
  private readonly tree: Int32Array;
  private readonly others = new TimerHeap();
  private setCount = 0;
  /** The queue's wake-up event and its time; NO_TIMER / Infinity when none is pending. */
  private wakeId = NO_TIMER;
  private wakeAtUs = Infinity;
  /**
   * Inside onWake: timers set now are run by its loop, which queues the next wake-up at its end.
   * Always true in the simulator's lane, whose loop runs them.
   */
  private running = false;

  constructor(
    private readonly ctx: SchedContext,
    nKeys: number,
    /** Runs a keyed timer (its key is already unset). */
    private readonly onKeyed: (key: number) => void,
  ) {
    this.keys = tournament(nKeys);
    this.keyAtUs = this.keys.atUs;
    this.keyOrder = this.keys.order;
    this.tree = this.keys.tree;
    this.running = ctx.timerLane?.(this) ?? false;
  }

  /** TimerLane: the earliest timer, keyed or not. */
  get nextUs(): number {
    return Math.min(this.keyAtUs[this.tree[1]], this.others.topTimeUs());
  }

  /** TimerLane: run the earliest timer, due now (the loop moved the clock to it). */
  runNext(): void {
    const key = this.tree[1];
    const kt = this.keyAtUs[key];
    const ot = this.others.topTimeUs();
    this.runFirst(key, kt < ot || (kt === ot && this.keyOrder[key] < this.others.topOrder()));
  }

  now(): number {
    return this.ctx.now();
  }

  /** keyedAt is when key's timer is due, Infinity when it is not set. */
  keyedAt(key: number): number {
    return this.keyAtUs[key];
  }

  /** setKeyed (re)sets key's timer to atUs (>= now): a new setting, ordered after every earlier one. */
  setKeyed(key: number, atUs: number): void {
    this.check(atUs);
    this.keyAtUs[key] = atUs;
    this.keyOrder[key] = this.setCount++;
    this.update(key);
    if (!this.running && atUs < this.wakeAtUs) this.wakeAt(atUs);
  }

  timer(atUs: number, fn: EventFn, arg = 0): number {
    this.check(atUs);
    const id = this.setCount++;
    this.others.push(atUs, id, fn, arg);
    if (!this.running && atUs < this.wakeAtUs) this.wakeAt(atUs);
    return id;
  }

  /** cancelTimer drops a timer() timer; its wake-up, if it was the earliest, stays and runs what is next. */
  cancelTimer(id: number): void {
    this.others.remove(id);
  }

  private check(atUs: number): void {
    const now = this.ctx.now();
    if (!(Number.isInteger(atUs) && atUs >= now)) badTime(atUs, now);
  }

  private wakeAt(atUs: number): void {
    if (this.wakeId !== NO_TIMER) this.ctx.cancelTimer(this.wakeId);
    this.wakeAtUs = atUs;
    this.wakeId = this.ctx.timer(atUs, this.onWake);
  }

  /**
   * onWake runs the earliest timer (due now, unless it was cancelled: then the next one, if
   * nothing else comes first), then each next one for as long as it is the host's next event.
   */
  private readonly onWake = (): void => {
    this.wakeId = NO_TIMER;
    this.wakeAtUs = Infinity;
    this.running = true;
    const ctx = this.ctx;
    const others = this.others;
    // The wake-up ran after every event due before it and every other one of its instant, so the
    // earliest timer, if due now, is next; after it, advance says whether the following one is.
    let first = true;
    for (;;) {
      const key = this.tree[1];
      const kt = this.keyAtUs[key];
      const ot = others.topTimeUs();
      const keyed = kt < ot || (kt === ot && kt !== Infinity && this.keyOrder[key] < others.topOrder());
      const t = keyed ? kt : ot;
      if (t === Infinity) break;
      if (!(first && t === ctx.now()) && !(ctx.advance?.(t) ?? false)) break;
      first = false;
      this.runFirst(key, keyed);
    }
    this.running = false;
    const next = Math.min(this.keyAtUs[this.tree[1]], others.topTimeUs());
    if (next !== Infinity) this.wakeAt(next);
  };

  /** runFirst runs the earliest timer: key's when `keyed`, else the heap's top. */
  private runFirst(key: number, keyed: boolean): void {
    if (keyed) {
      // Unset without the tree walk: a handler that sets the key again walks it once, and one
      // that does not gets the walk below (nothing reads the tree's top in between).
      this.keyAtUs[key] = Infinity;
      this.onKeyed(key);
      if (this.keyAtUs[key] === Infinity) this.update(key);
    } else this.others.runTop();
  }

  /** update replays key's matches up the tree after its time changed. */
  private update(key: number): void {
    replay(this.keys, key);
  }
}

function badTime(atUs: number, nowUs: number): never {
  throw new RangeError(`own-timers: timer time ${atUs} us is not an integer at or after now (${nowUs} us)`);
}
