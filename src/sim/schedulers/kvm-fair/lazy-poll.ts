/**
 * Lazy halt-poll expiries. A third of the fair class's events on a host of sleepy VMs were
 * halt-poll windows running out: the poller is dequeued, its CPU looks for a thread to pull and,
 * finding none, goes idle. While every CPU is quiet (quiet-tick.ts: no CPU has two runnable, so
 * no pull can find anything, and ticks are owed rather than queued), nothing changes between two
 * events, so such an expiry decides nothing that could not be decided at the next event: the
 * window's end is kept here instead of as a timer, and the scheduler does the expiry, as of its
 * own instant, before anything reads the CPU again (the next event of the policy, or host-sim
 * before it looks at a vCPU's pCPU: FairScheduler.settle). Once an event leaves some CPU noisy,
 * the kept windows become timers, in the order they began, so an expiry that may pull runs as
 * an event at its own time. Only the event count changes.
 *
 * Windows all last haltPollUs, so they end in the order they began: the kept ones are a short
 * list in block order (at most one per CPU), and the first to end is its head.
 */
export class LazyPolls {
  /** Per CPU, the end of its kept window; Infinity when none. */
  private readonly endUs: Float64Array;
  /** Per CPU, 1 when its window must become a timer at the end of the event that began it. */
  private readonly pinnedOn: Uint8Array;
  /** The CPUs with a kept window, in block order. */
  private readonly list: Int32Array;
  count = 0;
  /** How many kept windows are pinned. */
  pinned = 0;
  /** The earliest end kept (Infinity when none): the one comparison every event pays. */
  nextUs = Infinity;

  constructor(nCpus: number) {
    this.endUs = new Float64Array(nCpus).fill(Infinity);
    this.pinnedOn = new Uint8Array(nCpus);
    this.list = new Int32Array(nCpus);
  }

  /**
   * add keeps CPU p's window, ending at endUs (no earlier than any kept one), instead of a
   * timer; `pinned` when its expiry must be an event all the same (it is kept only until the
   * event that began it ends, so that it is queued in block order with the others).
   */
  add(p: number, endUs: number, pinned: boolean): void {
    if (this.count > 0 && endUs < this.endUs[this.list[this.count - 1]]) throw new Error("kvm-fair: halt-poll windows out of order");
    this.endUs[p] = endUs;
    this.pinnedOn[p] = pinned ? 1 : 0;
    this.pinned += this.pinnedOn[p];
    this.list[this.count++] = p;
    if (this.count === 1) this.nextUs = endUs;
  }

  /** first is the CPU whose kept window ends first (block order among equal ends); -1 when none. */
  first(): number {
    return this.count > 0 ? this.list[0] : -1;
  }

  /** endOf is CPU p's kept window end (Infinity when none). */
  endOf(p: number): number {
    return this.endUs[p];
  }

  /** remove forgets CPU p's window (it ended, was cut short by work, or became a timer). */
  remove(p: number): void {
    if (this.endUs[p] === Infinity) return;
    this.endUs[p] = Infinity;
    this.pinned -= this.pinnedOn[p];
    this.pinnedOn[p] = 0;
    const list = this.list;
    let i = 0;
    while (list[i] !== p) i++;
    this.count--;
    for (; i < this.count; i++) list[i] = list[i + 1];
    this.nextUs = this.count > 0 ? this.endUs[list[0]] : Infinity;
  }
}
