import type { SchedContext } from "../../cpu-scheduler.js";

/**
 * TickGrid: credit1's per-pCPU tickers, owed rather than queued.
 *
 * In Xen each busy pCPU's ticker fires on one global grid (it restarts on the next multiple of
 * the period when its pCPU leaves idle, and stops lazily: its pending tick finds the pCPU idle and
 * is not re-armed). The ticks of one grid instant run in the order their events were queued:
 * tickers re-armed by the previous instant's ticks in that instant's order, with tickers started
 * in between placed by when they started. Those instants are "phases" here, and the pending
 * tickers a FIFO in that order (a start appends; a tick that goes on re-appends), so a phase pops
 * its pCPUs from the head in the order their events would have run.
 *
 * A tick on a pCPU with nobody waiting to be moved (see XenCredit.mayMove) changes only state the
 * policy keeps to itself until its next decision: the running vCPU's credit and priority, the
 * active list, the pCPU's queue order. Such a phase is not an event: the policy runs it, with its
 * own instant as the clock, at the start of the next call that reads or changes that state
 * (catchUp), where nothing has moved since the phase's instant. Ticks run after the workload events
 * of their microsecond and before the policy's own timers that read state there (those are queued
 * at that very microsecond, after every tick), hence catchUp's `inclusive`. Only a phase that may
 * move a vCPU (dispatch, queue events) is queued as an event (ensureEvent), at its own instant.
 * Every simulated quantity is what the tick events would have left; only the event count changes.
 */
export class TickGrid {
  /** Instant of the earliest owed phase, Infinity when no ticker runs (read on every policy call). */
  nextUs = Infinity;
  private readonly pending: Uint8Array;
  private readonly atUs: Float64Array;
  /** Pending tickers in the order their tick events would run: a ring of up to nCpus. */
  private readonly ring: Int32Array;
  private head = 0;
  private size = 0;
  /** Instant of the last phase queued as an event (ensureEvent), -1 when none. */
  private eventAtUs = -1;

  constructor(
    private readonly ctx: SchedContext,
    private readonly nCpus: number,
    private readonly tickUs: number,
    /** onTick handles p's tick at atUs and says whether p is still busy (so its ticker goes on). */
    private readonly onTick: (p: number, atUs: number) => boolean,
    /** afterEvent runs after a phase done as an event (the policy re-checks whether to queue the next). */
    private readonly afterEvent: () => void,
  ) {
    this.pending = new Uint8Array(nCpus);
    this.atUs = new Float64Array(nCpus);
    this.ring = new Int32Array(nCpus);
  }

  /** start (re)starts p's ticker as p leaves idle at nowUs. */
  start(p: number, nowUs: number): void {
    if (this.pending[p]) return;
    this.append(p, nowUs + this.tickUs - (nowUs % this.tickUs));
  }

  /**
   * catchUp runs the owed phases before nowUs, and the one at nowUs too when `inclusive` (a call
   * from a policy timer, which Xen's ticks of its microsecond precede; not from a workload event).
   */
  catchUp(nowUs: number, inclusive: boolean): void {
    while (this.nextUs < nowUs || (inclusive && this.nextUs === nowUs)) this.phase(this.nextUs);
  }

  /** ensureEvent queues the next phase as an event (it may move a vCPU, so it must run on time). */
  ensureEvent(): void {
    const at = this.nextUs;
    if (at === Infinity || at === this.eventAtUs) return;
    this.eventAtUs = at;
    this.ctx.timer(at, this.fire);
  }

  /** queuedAt says whether the phase at atUs is queued as an event (ensureEvent) and still to run. */
  queuedAt(atUs: number): boolean {
    return this.eventAtUs === atUs && this.nextUs <= atUs;
  }

  private readonly fire = (): void => {
    this.catchUp(this.ctx.now(), true);
    this.afterEvent();
  };

  /** phase runs the ticks of instant g in queue order; re-armed and started tickers go behind. */
  private phase(g: number): void {
    const ring = this.ring;
    const n = this.nCpus;
    while (this.size > 0 && this.atUs[ring[this.head]] === g) {
      const p = ring[this.head];
      this.head = this.head + 1 < n ? this.head + 1 : 0;
      this.size--;
      this.pending[p] = 0;
      if (this.onTick(p, g)) this.append(p, g + this.tickUs);
    }
    this.nextUs = this.size > 0 ? this.atUs[ring[this.head]] : Infinity;
  }

  private append(p: number, atUs: number): void {
    this.pending[p] = 1;
    this.atUs[p] = atUs;
    const tail = this.head + this.size;
    this.ring[tail < this.nCpus ? tail : tail - this.nCpus] = p;
    if (this.size++ === 0) this.nextUs = atUs;
  }
}
