import { EventQueue, NO_EVENT, type EventFn, type EventId } from "./event-queue.js";

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

  /** pending is the number of events in the queue. */
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
    return this.queue.topTimeUs();
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
    if (this.lane !== null) throw new Error("simulator: step() with a timer lane (use run)");
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
    if (this.lane !== null) return this.runLaned(this.lane, untilUs, stopAt, maxEvents);
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
   * runLaned is run's loop with a timer lane: the lane's earliest timer runs when it is strictly
   * before the queue's next event (at an equal time the queue's event goes first, whatever its
   * priority, as the lane ranks after them all). Kept apart so that the loop of a run without a
   * lane reads nothing more per event.
   */
  private runLaned(lane: TimerLane, untilUs: number, stopAt: number, maxEvents: number): void {
    const q = this.queue;
    for (;;) {
      const tl = lane.nextUs;
      const tq = q.size > 0 ? q.topTimeUs() : Infinity;
      if (tl < tq) {
        if (!(tl < untilUs) || this.stopped) break;
        this.clockUs = tl;
        lane.runNext();
        continue;
      }
      if (!(tq < untilUs) || this.stopped) break;
      if (this.processed >= stopAt)
        throw new Error(`simulator: more than ${maxEvents} events before ${untilUs} us (runaway policy?)`);
      this.clockUs = tq;
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
