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
// pending events at once is far above any host simulation (a few dozen are typical).
const SLOT_BITS = 24;
const SLOT_SPAN = 2 ** SLOT_BITS;
const SLOT_MASK = SLOT_SPAN - 1;
// Priority and seq share one float64 tie-break key (priority * 2^40 + seq): one compare instead
// of two, exact while seq < 2^40 (10^12 events) and priority < 2^12.
const SEQ_SPAN = 2 ** 40;
export const MAX_PRIORITY = 255;
// Cancelled entries stay in the heap until they surface; past this many (and more than the live
// ones) the heap is rebuilt without them, so a policy that re-arms far timers cannot grow it.
const MIN_COMPACT = 64;

/**
 * EventQueue is a binary min-heap of events ordered by (timeUs, priority, seq): earlier time first,
 * then lower priority number, then insertion order, which makes same-input runs identical.
 *
 * Speed (bench/sim.ts, profile in the sim-speed note): the keys are stored in heap order beside
 * the slot, so a comparison reads adjacent memory instead of going through the slot, and
 * cancellation is lazy (the entry is marked dead and dropped when it surfaces), so sifting does
 * not maintain a slot -> position index. The top is never a dead entry. The order of the live
 * events is a total order, so lazy deletion cannot change which event runs next.
 *
 * The hot path allocates nothing: slots are pooled in typed arrays and handlers are stored with
 * their numeric argument.
 */
export class EventQueue {
  // Heap order (index 0 is the earliest entry, live or dead).
  private hTime: Float64Array;
  private hTie: Float64Array;
  private hSlot: Int32Array;
  // Per slot. fns[slot] is null once the event ran or was cancelled.
  private gen: Int32Array; // bumped when a slot's event ends, invalidating old ids
  private args: Float64Array;
  private fns: (EventFn | null)[];
  private freeSlots: Int32Array;
  private nFree = 0;
  private nSlots = 0;
  private n = 0; // heap entries, dead ones included
  private live = 0;
  private seq = 0;

  constructor(initialCapacity = 64) {
    const c = Math.max(4, initialCapacity);
    this.hTime = new Float64Array(c);
    this.hTie = new Float64Array(c);
    this.hSlot = new Int32Array(c);
    this.gen = new Int32Array(c);
    this.args = new Float64Array(c);
    this.fns = new Array<EventFn | null>(c).fill(null);
    this.freeSlots = new Int32Array(c);
  }

  /** size is the number of pending events. */
  get size(): number {
    return this.live;
  }

  /** push adds an event; priority is an integer 0..MAX_PRIORITY (lower runs first at equal time). */
  push(timeUs: number, priority: number, fn: EventFn, arg = 0): EventId {
    if (!(priority >= 0 && priority <= MAX_PRIORITY && Number.isInteger(priority))) badPriority(priority);
    if (this.n === this.hTime.length) this.growHeap();
    const slot = this.nFree > 0 ? this.freeSlots[--this.nFree] : this.newSlot();
    this.args[slot] = arg;
    this.fns[slot] = fn;
    this.live++;
    const i = this.n++;
    this.hTime[i] = timeUs;
    this.hTie[i] = priority * SEQ_SPAN + this.seq++;
    this.hSlot[i] = slot;
    this.siftUp(i);
    return this.gen[slot] * SLOT_SPAN + slot;
  }

  /** cancel removes a pending event; false if it already ran, was cancelled, or id is NO_EVENT. */
  cancel(id: EventId): boolean {
    const slot = this.liveSlot(id);
    if (slot < 0) return false;
    this.fns[slot] = null;
    this.gen[slot] = (this.gen[slot] + 1) & 0x1fffffff; // keeps ids below 2^53
    this.live--;
    if (this.hSlot[0] === slot) this.dropDeadTop();
    else if (this.n - this.live > MIN_COMPACT && this.n > 2 * this.live) this.compact();
    return true;
  }

  /** isPending says whether id names an event still in the queue. */
  isPending(id: EventId): boolean {
    return this.liveSlot(id) >= 0;
  }

  /** topTimeUs is the earliest event's time, or Infinity when empty. */
  topTimeUs(): number {
    return this.n > 0 ? this.hTime[0] : Infinity;
  }

  /** topFn and topArg read the earliest event (the queue must not be empty). */
  topFn(): EventFn {
    return this.fns[this.hSlot[0]] as EventFn;
  }
  topArg(): number {
    return this.args[this.hSlot[0]];
  }

  /** removeTop drops the earliest event; read it with topTimeUs/topFn/topArg first. */
  removeTop(): void {
    if (this.live === 0) emptyQueue();
    const slot = this.hSlot[0];
    this.fns[slot] = null; // let the handler be collected
    this.gen[slot] = (this.gen[slot] + 1) & 0x1fffffff;
    this.live--;
    this.dropDeadTop();
  }

  private liveSlot(id: EventId): number {
    if (id < 0) return -1;
    const slot = id & SLOT_MASK;
    if (slot >= this.nSlots || this.fns[slot] === null) return -1;
    return this.gen[slot] === Math.floor(id / SLOT_SPAN) ? slot : -1;
  }

  /** dropDeadTop pops dead entries off the top until a live one (or nothing) is there. */
  private dropDeadTop(): void {
    do {
      this.freeSlots[this.nFree++] = this.hSlot[0];
      const last = --this.n;
      if (last > 0) this.siftDown(0, last);
    } while (this.n > 0 && this.fns[this.hSlot[0]] === null);
  }

  // siftUp and siftDown move a hole instead of swapping, writing each moved entry once. They take
  // heap indices, never the keys: a tie key is a large float, and passing one as an argument to a
  // call that is not inlined boxes it (two allocations per event in the profile).

  /** siftUp moves the entry at index i up to its place. */
  private siftUp(i: number): void {
    const hTime = this.hTime;
    const hTie = this.hTie;
    const hSlot = this.hSlot;
    const time = hTime[i];
    const tie = hTie[i];
    const slot = hSlot[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = hTime[parent];
      if (pt < time || (pt === time && hTie[parent] < tie)) break;
      hTime[i] = pt;
      hTie[i] = hTie[parent];
      hSlot[i] = hSlot[parent];
      i = parent;
    }
    hTime[i] = time;
    hTie[i] = tie;
    hSlot[i] = slot;
  }

  /** siftDown fills the hole at index i with the entry at index from, moving it down to its place. */
  private siftDown(i: number, from: number): void {
    const hTime = this.hTime;
    const hTie = this.hTie;
    const hSlot = this.hSlot;
    const time = hTime[from];
    const tie = hTie[from];
    const slot = hSlot[from];
    const n = this.n;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = hTime[c];
      if (c + 1 < n) {
        const rt = hTime[c + 1];
        if (rt < ct || (rt === ct && hTie[c + 1] < hTie[c])) {
          c++;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && tie < hTie[c])) break;
      hTime[i] = ct;
      hTie[i] = hTie[c];
      hSlot[i] = hSlot[c];
      i = c;
    }
    hTime[i] = time;
    hTie[i] = tie;
    hSlot[i] = slot;
  }

  /** compact rebuilds the heap from its live entries (Floyd's heapify). */
  private compact(): void {
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      const slot = this.hSlot[i];
      if (this.fns[slot] === null) {
        this.freeSlots[this.nFree++] = slot;
        continue;
      }
      this.hTime[k] = this.hTime[i];
      this.hTie[k] = this.hTie[i];
      this.hSlot[k] = slot;
      k++;
    }
    this.n = k;
    for (let i = (k >> 1) - 1; i >= 0; i--) this.siftDown(i, i);
  }

  private newSlot(): number {
    if (this.nSlots === this.gen.length) this.growSlots();
    return this.nSlots++;
  }

  private growHeap(): void {
    const c = this.hTime.length * 2;
    this.hTime = grown(this.hTime, new Float64Array(c));
    this.hTie = grown(this.hTie, new Float64Array(c));
    this.hSlot = grown(this.hSlot, new Int32Array(c));
  }

  private growSlots(): void {
    const c = this.gen.length * 2;
    if (c > SLOT_SPAN) throw new Error(`event-queue: more than ${SLOT_SPAN} pending events`);
    this.gen = grown(this.gen, new Int32Array(c));
    this.args = grown(this.args, new Float64Array(c));
    this.freeSlots = grown(this.freeSlots, new Int32Array(c));
    for (let i = this.fns.length; i < c; i++) this.fns.push(null);
  }
}

function grown<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

// Cold throw helpers: message building out of the hot functions keeps them small enough to inline.
function badPriority(priority: number): never {
  throw new RangeError(`event-queue: priority ${priority} is not an integer in 0..${MAX_PRIORITY}`);
}

function emptyQueue(): never {
  throw new Error("event-queue: removeTop on an empty queue");
}
