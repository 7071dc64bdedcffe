import { NO_TIMER } from "../../cpu-scheduler.js";
import { FairPickPut } from "./pick-put.js";

/*
 * The bracket around each of the fair class's events (enter/leave) and the halt-poll windows it
 * manages: a window kept without a timer while every CPU is quiet (lazy-poll.ts) is closed at its
 * own instant when the next event comes, or turned into a timer once some CPU is noisy. Separate
 * because it is the one place where lazy ticks and lazy polls meet; the events themselves are in
 * periodic.ts and scheduler.ts.
 */
export abstract class FairHaltPoll extends FairPickPut {
  /**
   * enter and leave bracket each of the policy's events (see LazyTicks): windows that ended
   * before this instant are closed first, and once some CPU is noisy the kept ones become timers.
   */
  protected enter(tickFirst = false): number {
    const now = this.ctx.now();
    if (this.polls.nextUs < now) this.settle();
    this.ticks.enter(tickFirst, now);
    return now;
  }

  protected leave(): void {
    if (this.polls.count === 0) this.ticks.leave();
    else {
      // Kept windows become timers before a resumed tick is queued: they began first.
      const quiet = this.ticks.quietNow();
      if (!quiet || this.polls.pinned > 0) this.pollsToTimers();
      this.ticks.resume(!quiet);
    }
    if (this.verifying) this.verify();
  }

  /** settle (CpuScheduler): the kept halt-poll windows that ended before now expire, in order. */
  settle(): void {
    const now = this.ctx.now();
    for (let p = this.polls.first(); p >= 0 && this.polls.endOf(p) < now; p = this.polls.first()) {
      const endUs = this.polls.endOf(p);
      this.polls.remove(p);
      this.ticks.owe(endUs, this.t.haltPollUs < this.t.tickUs);
      // Every CPU has been quiet since the last event: no CPU has a thread to pull.
      if (this.verifying && this.h.cpus.some((c) => c.hNr > 1)) this.fail(`late halt-poll expiry on CPU ${p} with a thread to pull`);
      this.schedule(p, false, endUs, false);
      if (this.h.cpus[p].current >= 0) this.fail(`late halt-poll expiry on CPU ${p} found a thread to run`);
    }
  }

  /** pollsToTimers queues the kept windows as timers, in the order they began (block order). */
  private pollsToTimers(): void {
    for (let p = this.polls.first(); p >= 0; p = this.polls.first()) {
      this.pollTimers[p] = this.ctx.timer(this.polls.endOf(p), this.endPollAt, p);
      this.polls.remove(p);
    }
  }

  /** endPollAt: the halt-poll window on CPU p ran out without work; the thread sleeps. */
  protected readonly endPollAt = (p: number): void => {
    this.enter(this.t.haltPollUs < this.t.tickUs);
    this.pollTimers[p] = NO_TIMER;
    this.schedule(p, false);
    this.leave();
  };
}
