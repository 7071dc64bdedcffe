/**
 * EventFn is an event's handler. It gets back the number given at push time, so a hot caller can
 * bind one function per concern once (e.g. "work completion", arg = vCPU index) instead of
 * allocating a closure per event.
 */
export type EventFn = (arg: number) => void;

/**
 * EventId names a pending event: slot + generation packed into one number, so a stale id (its
 * event already ran or was cancelled, the slot reused) is recognised and ignored. NO_EVENT is
 * never a live id.
 */
export type EventId = number;
export const NO_EVENT: EventId = -1;

// Slots live in parallel typed arrays; ids pack the slot index in the low SLOT_BITS bits. 2^24
// pending events at once is far above any host simulation (a few hundred are typical).
const SLOT_BITS = 24;
const SLOT_SPAN = 2 ** SLOT_BITS;
const SLOT_MASK = SLOT_SPAN - 1;
// Priority and seq share one float64 tie-break key (priority * 2^40 + seq): one compare instead
// of two, exact while seq < 2^40 (10^12 events) and priority < 2^12.
const SEQ_SPAN = 2 ** 40;
export const MAX_PRIORITY = 255;

/**
 * EventQueue is a binary min-heap of events ordered by (timeUs, priority, seq): earlier time first,
 * then lower priority number, then insertion order, which makes same-input runs identical.
 * Cancellation is O(log n) by index tracking (each slot knows its heap position), so cancelled
 * events leave the heap at once instead of lingering as tombstones.
 *
 * The hot path allocates nothing: slots are pooled in typed arrays and handlers are stored with
 * their numeric argument.
 */
export class EventQueue {
  private timeUs: Float64Array;
  private tieKey: Float64Array;
  private heapPos: Int32Array; // slot -> heap index, -1 when free
  private gen: Int32Array; // bumped when a slot is released, invalidating old ids
  private args: Float64Array;
  private fns: (EventFn | null)[];
  private heap: Int32Array; // heap index -> slot
  private freeSlots: Int32Array;
  private nFree = 0;
  private nSlots = 0;
  private n = 0;
  private seq = 0;

  constructor(initialCapacity = 256) {
    const c = Math.max(4, initialCapacity);
    this.timeUs = new Float64Array(c);
    this.tieKey = new Float64Array(c);
    this.heapPos = new Int32Array(c).fill(-1);
    this.gen = new Int32Array(c);
    this.args = new Float64Array(c);
    this.fns = new Array<EventFn | null>(c).fill(null);
    this.heap = new Int32Array(c);
    this.freeSlots = new Int32Array(c);
  }

  /** size is the number of pending events. */
  get size(): number {
    return this.n;
  }

  /** push adds an event; priority is an integer 0..MAX_PRIORITY (lower runs first at equal time). */
  push(timeUs: number, priority: number, fn: EventFn, arg = 0): EventId {
    if (!(priority >= 0 && priority <= MAX_PRIORITY && Number.isInteger(priority)))
      throw new RangeError(`event-queue: priority ${priority} is not an integer in 0..${MAX_PRIORITY}`);
    const slot = this.nFree > 0 ? this.freeSlots[--this.nFree] : this.newSlot();
    this.timeUs[slot] = timeUs;
    this.tieKey[slot] = priority * SEQ_SPAN + this.seq++;
    this.args[slot] = arg;
    this.fns[slot] = fn;
    this.siftUp(this.n++, slot);
    return this.gen[slot] * SLOT_SPAN + slot;
  }

  /** cancel removes a pending event; false if it already ran, was cancelled, or id is NO_EVENT. */
  cancel(id: EventId): boolean {
    const slot = this.liveSlot(id);
    if (slot < 0) return false;
    const i = this.heapPos[slot];
    this.release(slot);
    const last = this.heap[--this.n];
    if (i < this.n) {
      // Put the former last entry in the hole; it may have to move either way.
      if (i > 0 && this.less(last, this.heap[(i - 1) >> 1])) this.siftUp(i, last);
      else this.siftDown(i, last);
    }
    return true;
  }

  /** isPending says whether id names an event still in the queue. */
  isPending(id: EventId): boolean {
    return this.liveSlot(id) >= 0;
  }

  /** topTimeUs is the earliest event's time, or Infinity when empty. */
  topTimeUs(): number {
    return this.n > 0 ? this.timeUs[this.heap[0]] : Infinity;
  }

  /** topFn and topArg read the earliest event (the queue must not be empty). */
  topFn(): EventFn {
    return this.fns[this.heap[0]] as EventFn;
  }
  topArg(): number {
    return this.args[this.heap[0]];
  }

  /** removeTop drops the earliest event; read it with topTimeUs/topFn/topArg first. */
  removeTop(): void {
    if (this.n === 0) throw new Error("event-queue: removeTop on an empty queue");
    this.release(this.heap[0]);
    const last = this.heap[--this.n];
    if (this.n > 0) this.siftDown(0, last);
  }

  private liveSlot(id: EventId): number {
    if (id < 0) return -1;
    const slot = id & SLOT_MASK;
    if (slot >= this.nSlots || this.heapPos[slot] < 0) return -1;
    return this.gen[slot] === Math.floor(id / SLOT_SPAN) ? slot : -1;
  }

  private release(slot: number): void {
    this.heapPos[slot] = -1;
    this.fns[slot] = null; // let the handler be collected
    this.gen[slot] = (this.gen[slot] + 1) & 0x1fffffff; // keeps ids below 2^53
    this.freeSlots[this.nFree++] = slot;
  }

  private less(a: number, b: number): boolean {
    const ta = this.timeUs[a];
    const tb = this.timeUs[b];
    return ta < tb || (ta === tb && this.tieKey[a] < this.tieKey[b]);
  }

  // siftUp and siftDown move a hole instead of swapping, writing each moved slot once.
  private siftUp(i: number, slot: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const ps = heap[parent];
      if (!this.less(slot, ps)) break;
      heap[i] = ps;
      this.heapPos[ps] = i;
      i = parent;
    }
    heap[i] = slot;
    this.heapPos[slot] = i;
  }

  private siftDown(i: number, slot: number): void {
    const heap = this.heap;
    const n = this.n;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(heap[child + 1], heap[child])) child++;
      const cs = heap[child];
      if (!this.less(cs, slot)) break;
      heap[i] = cs;
      this.heapPos[cs] = i;
      i = child;
    }
    heap[i] = slot;
    this.heapPos[slot] = i;
  }

  private newSlot(): number {
    if (this.nSlots === this.timeUs.length) this.grow();
    return this.nSlots++;
  }

  private grow(): void {
    const c = this.timeUs.length * 2;
    if (c > SLOT_SPAN) throw new Error(`event-queue: more than ${SLOT_SPAN} pending events`);
    this.timeUs = growF64(this.timeUs, c);
    this.tieKey = growF64(this.tieKey, c);
    this.args = growF64(this.args, c);
    const pos = new Int32Array(c).fill(-1);
    pos.set(this.heapPos);
    this.heapPos = pos;
    const gen = new Int32Array(c);
    gen.set(this.gen);
    this.gen = gen;
    const heap = new Int32Array(c);
    heap.set(this.heap);
    this.heap = heap;
    const free = new Int32Array(c);
    free.set(this.freeSlots);
    this.freeSlots = free;
    for (let i = this.fns.length; i < c; i++) this.fns.push(null);
  }
}

function growF64(a: Float64Array, c: number): Float64Array {
  const b = new Float64Array(c);
  b.set(a);
  return b;
}
