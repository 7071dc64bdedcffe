import { EventQueue, NO_EVENT, type EventFn, type EventId } from "./event-queue.js";
import { replay, tournament, type Tournament } from "./tournament.js";

export { NO_EVENT, type EventFn, type EventId } from "./event-queue.js";

/** RunOptions bounds a run; without untilUs it runs until no event is left. */
export interface RunOptions {
  /** Process events strictly before untilUs, then leave the clock at untilUs (SimPy's `until`). */
  untilUs?: number;
  /** Safety valve against a policy that schedules events forever at one instant. */
  maxEvents?: number;
}

/**
 * TimerLane is a component's own timers run by the simulator's loop beside the queue, with no
 * queue event standing for them (a policy's per-pCPU timers: xen-credit2/pcpu-timers.ts). Its
 * timers rank after every queue event of their microsecond, as PRIO_POLICY events would after the
 * workload events, so it is for a component whose timers are the only ones of the host's lowest
 * priority (HostSim.timerLane refuses other policy timers once a lane is set).
 */
export interface TimerLane {
  /** The earliest pending timer's time, Infinity when none; read before every step of the loop. */
  readonly nextUs: number;
  /** runNext runs the earliest timer; the clock is already at its time. */
  runNext(): void;
}

/**
 * Simulator is the discrete-event kernel: an integer-microsecond clock plus an event queue. It
 * knows nothing of hosts, schedulers or workloads (SimPy's Environment). The clock moves only in
 * step(), so a handler always sees now() equal to its event's time.
 *
 * Times must be integers: fractional microseconds would make event order depend on float
 * rounding, and determinism across refactors is worth more than sub-microsecond precision.
 */
export class Simulator {
  private readonly queue = new EventQueue();
  private clockUs = 0;
  private processed = 0;
  private stopped = false;
  /** The running run()'s bound (advance never moves the clock to it or past it). */
  private untilUs = Infinity;
  private lane: TimerLane | null = null;
  /**
   * Keyed events (keyedEvents): at most one pending per key, in a tournament tree ordered by time
   * and then by the tie key the queue would have given them, so they run exactly where they would
   * have run from the queue. Replacing or dropping one is a replay of its matches, not a cancelled
   * heap entry and a push.
   */
  private keyed: Tournament = tournament(1);
  private keyedFn: EventFn | null = null;

  /**
   * setLane makes the loop run lane's timers (one lane per simulator). Its timer runs are not
   * events: eventsProcessed counts queue events only.
   */
  setLane(lane: TimerLane): void {
    if (this.lane !== null) throw new Error("simulator: a timer lane is set already");
    this.lane = lane;
  }

  /** now is the current simulated time in microseconds. */
  now(): number {
    return this.clockUs;
  }

  /** eventsProcessed counts handlers run so far (cancelled events are not counted). */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** pending is the number of events in the queue (keyed events not counted). */
  get pending(): number {
    return this.queue.size;
  }

  /** schedule runs fn(arg) delayUs from now; lower priority numbers run first at equal times. */
  schedule(delayUs: number, priority: number, fn: EventFn, arg = 0): EventId {
    return this.scheduleAt(this.clockUs + delayUs, priority, fn, arg);
  }

  /** scheduleAt runs fn(arg) at absolute time atUs (>= now). */
  scheduleAt(atUs: number, priority: number, fn: EventFn, arg = 0): EventId {
    if (!(Number.isInteger(atUs) && atUs >= this.clockUs)) badTime(atUs, this.clockUs);
    return this.queue.push(atUs, priority, fn, arg);
  }

  /**
   * keyedEvents sets up n keyed events with handler fn (one set per simulator): setKeyed(k, ...)
   * stands for cancelling key k's pending event and pushing a new one, and fn(k) runs it. For an
   * event re-timed far more often than it runs (host-sim's work completions, one per pCPU).
   */
  keyedEvents(n: number, fn: EventFn): void {
    if (this.keyedFn !== null) throw new Error("simulator: keyed events are set up already");
    this.keyed = tournament(n);
    this.keyedFn = fn;
  }

  /** setKeyed replaces key k's pending event (if any) by one at atUs, ordered as a push now. */
  setKeyed(k: number, atUs: number, priority: number): void {
    if (!(Number.isInteger(atUs) && atUs >= this.clockUs)) badTime(atUs, this.clockUs);
    const t = this.keyed;
    t.atUs[k] = atUs;
    t.order[k] = this.queue.reserveTie(priority);
    replay(t, k);
  }

  /** clearKeyed drops key k's pending event, if any. */
  clearKeyed(k: number): void {
    const t = this.keyed;
    if (t.atUs[k] === Infinity) return;
    t.atUs[k] = Infinity;
    replay(t, k);
  }

  /** cancel drops a pending event; cancelling one that ran or was cancelled returns false. */
  cancel(id: EventId): boolean {
    return id !== NO_EVENT && this.queue.cancel(id);
  }

  /** isPending says whether the event is still to run. */
  isPending(id: EventId): boolean {
    return this.queue.isPending(id);
  }

  /** nextTimeUs is the time of the next event, or Infinity. */
  nextTimeUs(): number {
    this.queue.finishTop(); // inside a handler the root may still hold the running event
    const k = this.keyed;
    return Math.min(this.queue.topTimeUs(), k.atUs[k.tree[1]]);
  }

  /**
   * advance moves the clock to atUs from inside a handler when the loop would run nothing before
   * it: no event is due at or before atUs, and the run neither ends nor stops first. A component
   * that keeps its own timers out of the queue (schedulers/own-timers.ts) then runs the next of
   * them in place, at the instant and in the order the loop would have run it. False leaves the
   * clock as it was. An event due at atUs itself makes it false whatever its priority: the caller
   * puts its timer in the queue instead, and the queue orders the two.
   */
  advance(atUs: number): boolean {
    if (!(atUs < this.untilUs) || this.stopped || !(atUs < this.nextTimeUs())) return false;
    if (!(Number.isInteger(atUs) && atUs >= this.clockUs)) badTime(atUs, this.clockUs);
    this.clockUs = atUs;
    return true;
  }

  /** step runs the earliest event; false when there was none. */
  step(): boolean {
    if (this.lane !== null || this.keyedFn !== null) throw new Error("simulator: step() with a timer lane or keyed events (use run)");
    const q = this.queue;
    q.finishTop(); // after a handler that threw inside run()
    if (q.size === 0) return false;
    this.clockUs = q.topTimeUs();
    const fn = q.topFn();
    const arg = q.topArg();
    q.removeTop(); // before running, so the handler may schedule or cancel freely
    this.processed++;
    fn(arg);
    return true;
  }

  /** stop makes the current run() return after the running handler. */
  stop(): void {
    this.stopped = true;
  }

  /** run processes events in order until untilUs, the queue empties, stop() or maxEvents. */
  run(options: RunOptions = {}): void {
    const untilUs = options.untilUs ?? Infinity;
    if (untilUs < this.clockUs) throw new RangeError(`simulator: run until ${untilUs} us is in the past`);
    const maxEvents = options.maxEvents ?? Infinity;
    const q = this.queue;
    const stopAt = this.processed + maxEvents;
    this.stopped = false;
    this.untilUs = untilUs;
    q.finishTop(); // after a handler that threw inside an earlier run()
    if (this.lane !== null || this.keyedFn !== null) return this.runLaned(this.lane ?? NO_LANE, this.keyedFn ?? noKeyed, untilUs, stopAt, maxEvents);
    // step() inlined by hand: this loop runs once per event, so every read saved here counts.
    // takeTop leaves the running event's heap entry for the handler's first push to overwrite:
    // most handlers schedule a follow-up, and one sift down is cheaper than a removal and an
    // insertion.
    while (q.size > 0) {
      const t = q.topTimeUs();
      if (t >= untilUs || this.stopped) break;
      if (this.processed >= stopAt)
        throw new Error(`simulator: more than ${maxEvents} events before ${untilUs} us (runaway policy?)`);
      this.clockUs = t;
      const fn = q.topFn();
      const arg = q.topArg();
      q.takeTop();
      this.processed++;
      fn(arg);
      q.finishTop();
    }
    this.untilUs = Infinity;
    if (untilUs !== Infinity && !this.stopped) this.clockUs = untilUs;
  }

  /**
   * runLaned is run's loop with keyed events or a timer lane: the earliest keyed event runs where
   * the queue would have run it (by time, then tie key), and the lane's earliest timer runs when it
   * is strictly before both (at an equal time the events go first, whatever their priority, as
   * the lane ranks after them all). Keyed events count as events; lane timer runs do not. Kept
   * apart so that the loop of a bare simulator reads nothing more per event.
   */
  private runLaned(lane: TimerLane, keyedFn: EventFn, untilUs: number, stopAt: number, maxEvents: number): void {
    const q = this.queue;
    const keyed = this.keyed;
    const kAt = keyed.atUs;
    const kTie = keyed.order;
    const kTree = keyed.tree;
    for (;;) {
      let t = q.size > 0 ? q.topTimeUs() : Infinity;
      const k = kTree[1];
      const tk = kAt[k];
      // The keyed event goes first where the queue would have run it first: earlier, or at the
      // same time with the smaller tie key (no two events share one).
      const isKeyed = tk < t || (tk === t && tk !== Infinity && kTie[k] < q.topTie());
      if (isKeyed) t = tk;
      const tl = lane.nextUs;
      if (tl < t) {
        if (!(tl < untilUs) || this.stopped) break;
        this.clockUs = tl;
        lane.runNext();
        continue;
      }
      if (!(t < untilUs) || this.stopped) break;
      if (this.processed >= stopAt)
        throw new Error(`simulator: more than ${maxEvents} events before ${untilUs} us (runaway policy?)`);
      this.clockUs = t;
      this.processed++;
      if (isKeyed) {
        kAt[k] = Infinity;
        replay(keyed, k);
        keyedFn(k);
        continue;
      }
      const fn = q.topFn();
      const arg = q.topArg();
      q.takeTop();
      fn(arg);
      q.finishTop();
    }
    this.untilUs = Infinity;
    if (untilUs !== Infinity && !this.stopped) this.clockUs = untilUs;
  }
}

/** The loop's lane when none is set: never due. */
const NO_LANE: TimerLane = { nextUs: Infinity, runNext: () => undefined };

function noKeyed(k: number): void {
  throw new Error(`simulator: keyed event ${k} ran with no keyed events set up`);
}

/**
 * badTime throws for an event time that is fractional or in the past. Kept out of scheduleAt:
 * the messages' template literals made it too large for V8 to inline, and a call that is not
 * inlined boxes its float arguments: half of a run's allocations came from there (profile in
 * bench/sim.ts's note). The same holds for the other cold throw helpers of the simulator.
 */
function badTime(atUs: number, nowUs: number): never {
  if (!Number.isInteger(atUs)) throw new RangeError(`simulator: event time ${atUs} us is not an integer`);
  throw new RangeError(`simulator: event time ${atUs} us is in the past (now ${nowUs} us)`);
}
