import { NO_TIMER, type SchedContext } from "../../cpu-scheduler.js";
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
 * and deadline and pending time kept in two classes.
 */
export class PcpuTimers implements Deadlines {
  /** The pending timer per pCPU (Infinity: none) and its setting number. */
  private readonly atUs: Float64Array;
  private readonly order: Float64Array;
  /** What schedule() asked for; a pending timer before it re-sets itself to it when it runs. */
  private readonly deadlineUs: Float64Array;
  /** Tournament tree over the pCPUs (OwnTimers'): node i holds the earliest below it; leaf l is node leaves + l. */
  private readonly tree: Int32Array;
  private readonly leaves: number;
  private setCount = 0;
  private wakeId = NO_TIMER;
  private wakeAtUs = Infinity;
  /** Inside onWake: timers set now are run by its loop, which queues the next wake-up at its end. */
  private running = false;

  constructor(
    private readonly ctx: SchedContext,
    nCpus: number,
    private readonly onExpire: (p: number) => void,
  ) {
    let leaves = 1;
    while (leaves < nCpus) leaves *= 2;
    this.leaves = leaves;
    this.atUs = new Float64Array(leaves).fill(Infinity);
    this.order = new Float64Array(leaves);
    this.deadlineUs = new Float64Array(leaves).fill(Infinity);
    this.tree = new Int32Array(2 * leaves);
    for (let l = 0; l < leaves; l++) this.tree[leaves + l] = l;
    for (let l = 0; l < leaves; l++) this.update(l);
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
    const deadlineUs = this.deadlineUs;
    let first = true;
    for (;;) {
      const p = this.tree[1];
      const t = atUs[p];
      if (t === Infinity) break;
      if (!(first && t === ctx.now()) && !(ctx.advance?.(t) ?? false)) break;
      first = false;
      atUs[p] = Infinity;
      const d = deadlineUs[p];
      // A later deadline re-sets the timer (a new setting, as RuntimeTimers.fire); none drops it.
      if (d > t) {
        if (d !== Infinity) this.set(p, d);
        else this.update(p);
        continue;
      }
      deadlineUs[p] = Infinity;
      this.onExpire(p);
      if (atUs[p] === Infinity) this.update(p);
    }
    this.running = false;
    const next = atUs[this.tree[1]];
    if (next !== Infinity) this.wakeAt(next);
  };

  /** update replays p's matches up the tree after its time changed (branch-free: OwnTimers.update). */
  private update(p: number): void {
    const tree = this.tree;
    const at = this.atUs;
    const order = this.order;
    for (let i = (this.leaves + p) >> 1; i >= 1; i >>= 1) {
      const a = tree[2 * i];
      const b = tree[2 * i + 1];
      const ta = at[a];
      const tb = at[b];
      const bFirst = Number(tb < ta) | (Number(tb === ta) & Number(order[b] < order[a]));
      tree[i] = a ^ ((a ^ b) & -bFirst);
    }
  }
}

function badTime(atUs: number, nowUs: number): never {
  throw new RangeError(`xen-credit2: timer time ${atUs} us is not an integer at or after now (${nowUs} us)`);
}
