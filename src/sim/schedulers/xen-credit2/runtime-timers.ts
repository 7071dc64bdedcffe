import type { SchedContext } from "../../cpu-scheduler.js";
import { OwnTimers } from "../own-timers.js";

/** Deadlines is what credit2's schedule() needs of its per-pCPU runtime timers. */
export interface Deadlines {
  arm(p: number, deadlineUs: number): void;
  disarm(p: number): void;
}

/**
 * RuntimeTimers is DeadlineTimers (one deadline per pCPU: credit2's s_timer) over OwnTimers
 * instead of host-sim's queue: the same events at the same instants in the same order, each a
 * keyed timer (key p: pCPU p's pending expiry; key nCpus + p: its one hop on a capped host) rather
 * than a queue event. Rules as in deadline-timers.ts: moving a deadline later keeps the pending
 * timer, which re-arms when it runs; moving it earlier replaces it (a new setting, as the queue's
 * cancel and push were).
 */
export class RuntimeTimers implements Deadlines {
  /** The policy's clock: its other timers go here too, so all of them are ordered together. */
  readonly clock: OwnTimers;
  private readonly deadlineUs: Float64Array;

  constructor(
    ctx: SchedContext,
    private readonly nCpus: number,
    private readonly onExpire: (p: number) => void,
    /** 1 on a capped host: an expiry runs behind the budget timers of its instant (deadline-timers.ts). */
    private readonly hops: 0 | 1,
  ) {
    this.deadlineUs = new Float64Array(nCpus).fill(Infinity);
    this.clock = new OwnTimers(ctx, hops === 1 ? 2 * nCpus : nCpus, this.fire);
  }

  arm(p: number, deadlineUs: number): void {
    this.deadlineUs[p] = deadlineUs;
    // Unset is Infinity, never <= a deadline.
    if (this.clock.keyedAt(p) <= deadlineUs) return;
    this.clock.setKeyed(p, deadlineUs);
  }

  disarm(p: number): void {
    this.deadlineUs[p] = Infinity;
  }

  private readonly fire = (key: number): void => {
    const n = this.nCpus;
    if (key >= n) return this.expire(key - n);
    const deadlineUs = this.deadlineUs[key];
    if (deadlineUs === Infinity) return;
    const now = this.clock.now();
    if (now < deadlineUs) this.clock.setKeyed(key, deadlineUs);
    else if (this.hops === 0) this.expire(key);
    else {
      // A hop is set only here, at p's expiry, and runs at this instant: p's next expiry is later.
      if (this.clock.keyedAt(n + key) !== Infinity) hopTaken(key);
      this.clock.setKeyed(n + key, now);
    }
  };

  /** expire: still due after the hop (a budget timer may have rescheduled p and re-armed it). */
  private expire(p: number): void {
    if (this.deadlineUs[p] > this.clock.now()) return;
    this.deadlineUs[p] = Infinity;
    this.onExpire(p);
  }
}

function hopTaken(p: number): never {
  throw new Error(`xen-credit2: pCPU ${p} expired twice in one instant`);
}
