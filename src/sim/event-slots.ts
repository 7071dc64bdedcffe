import type { EventFn } from "./event-queue.js";

// Slot states. A cancelled event keeps its slot until its heap entry surfaces (lazy deletion).
const FREE = 0;
const PENDING = 1;
const CANCELLED = 2;

/**
 * EventSlots holds the handler and argument of every event in the queue, addressed by the event's
 * sequence number, which is also its EventId: open addressing over a power-of-two table, home
 * slot `seq & mask`, linear probing, kept at most half full.
 *
 * Why sequence numbers and not slot + generation: an id must stay unique forever (a stale handle
 * must never cancel a later event), and a sequence number is the smallest such number. Below 2^30
 * events it is a V8 small integer, so passing ids around and keeping them in fields allocates
 * nothing; slot + generation ids were floats near 2^40 and were boxed at every call boundary that
 * was not inlined (a tenth of a run's allocations). Consecutive events land in consecutive slots,
 * so probes are short; maxProbe bounds a lookup.
 */
export class EventSlots {
  fns: (EventFn | null)[];
  args: Float64Array;
  private seqOf: Float64Array;
  private state: Uint8Array;
  private mask: number;
  private maxProbe = 0;
  /** Slots not FREE (pending or cancelled but still in the heap). */
  used = 0;

  constructor(capacity: number) {
    const c = 2 ** Math.ceil(Math.log2(Math.max(8, capacity)));
    this.mask = c - 1;
    this.fns = new Array<EventFn | null>(c).fill(null);
    this.args = new Float64Array(c);
    this.seqOf = new Float64Array(c).fill(-1);
    this.state = new Uint8Array(c);
  }

  /** full says whether a claim must be preceded by grow() (the table stays at most half used). */
  full(): boolean {
    return 2 * (this.used + 1) > this.mask + 1;
  }

  /** claim stores event seq and returns its slot; the table must not be full. */
  claim(seq: number, fn: EventFn, arg: number): number {
    const state = this.state;
    let slot = seq & this.mask;
    let probe = 0;
    while (state[slot] !== FREE) {
      slot = (slot + 1) & this.mask;
      probe++;
    }
    if (probe > this.maxProbe) this.maxProbe = probe;
    state[slot] = PENDING;
    this.seqOf[slot] = seq;
    this.fns[slot] = fn;
    this.args[slot] = arg;
    this.used++;
    return slot;
  }

  /** find returns the slot of pending event seq, or -1 (ran, cancelled, or never existed). */
  find(seq: number): number {
    let slot = seq & this.mask;
    for (let probe = 0; probe <= this.maxProbe; probe++) {
      if (this.seqOf[slot] === seq) return this.state[slot] === PENDING ? slot : -1;
      slot = (slot + 1) & this.mask;
    }
    return -1;
  }

  isPending(slot: number): boolean {
    return this.state[slot] === PENDING;
  }

  /** cancel marks a pending slot cancelled: it stays taken until release (its heap entry is out). */
  cancel(slot: number): void {
    this.state[slot] = CANCELLED;
    this.fns[slot] = null;
  }

  /** release frees a slot whose heap entry has left the heap. */
  release(slot: number): void {
    this.state[slot] = FREE;
    this.fns[slot] = null; // let the handler be collected
    this.used--;
  }

  /**
   * grow doubles the table and re-places every taken slot under the new mask; it returns where
   * each old slot went, so the heap can follow.
   */
  grow(): Int32Array {
    const old = { fns: this.fns, args: this.args, seqOf: this.seqOf, state: this.state };
    const c = 2 * (this.mask + 1);
    this.mask = c - 1;
    this.maxProbe = 0;
    this.fns = new Array<EventFn | null>(c).fill(null);
    this.args = new Float64Array(c);
    this.seqOf = new Float64Array(c).fill(-1);
    this.state = new Uint8Array(c);
    this.used = 0;
    const moved = new Int32Array(old.state.length).fill(-1);
    for (let s = 0; s < old.state.length; s++) {
      if (old.state[s] === FREE) continue;
      const slot = this.claim(old.seqOf[s], old.fns[s] as EventFn, old.args[s]);
      this.state[slot] = old.state[s];
      this.fns[slot] = old.fns[s];
      moved[s] = slot;
    }
    return moved;
  }
}
