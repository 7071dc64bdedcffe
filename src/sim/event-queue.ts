import { EventSlots } from "./event-slots.js";

/**
 * EventFn is an event's handler. It gets back the number given at push time, so a hot caller can
 * bind one function per concern once (e.g. "work completion", arg = vCPU index) instead of
 * allocating a closure per event.
 */
export type EventFn = (arg: number) => void;

/**
 * EventId names a pending event: its sequence number (the n-th event pushed), unique forever, so a
 * stale id (its event already ran or was cancelled) is recognised and ignored. NO_EVENT is never
 * a live id.
 */
export type EventId = number;
export const NO_EVENT: EventId = -1;

// Priority and seq share one float64 tie-break key (priority * 2^40 + seq): one compare instead
// of two, exact while seq < 2^40 (10^12 events) and priority < 2^12.
const SEQ_SPAN = 2 ** 40;
export const MAX_PRIORITY = 255;
// Cancelled entries stay in the heap until they surface; past this many (and more than the live
// ones) the heap is rebuilt without them, so a policy that re-arms far timers cannot grow it.
// 16, not 64: on credit2's bobtail cell (a completion cancelled per preemption, ~200k per 120 s)
// dead entries were 45% of a 31-entry heap, every push and pop sifting through them; at 16 the
// heap holds 24, and the run takes 7-12% less CPU (bench/sim.ts; credit1's dead share is 2%).
const MIN_COMPACT = 16;

/**
 * EventQueue is a binary min-heap of events ordered by (timeUs, priority, seq): earlier time first,
 * then lower priority number, then insertion order, which makes same-input runs identical.
 *
 * Speed (bench/sim.ts): the keys are stored in heap order beside the slot, so a comparison reads
 * adjacent memory instead of going through the slot, and cancellation is lazy (the entry is marked
 * dead and dropped when it surfaces), so sifting does not maintain a slot -> position index. The
 * top is never a dead entry. The live events are totally ordered, so lazy deletion cannot change
 * which event runs next. Handlers and arguments live in EventSlots, addressed by EventId.
 *
 * The hot path allocates nothing: everything is in typed arrays, and handlers are stored with
 * their numeric argument.
 */
export class EventQueue {
  // Heap order (index 0 is the earliest entry, live or dead).
  private hTime: Float64Array;
  private hTie: Float64Array;
  private hSlot: Int32Array;
  private readonly slots: EventSlots;
  private n = 0; // heap entries, dead ones included
  private live = 0;
  private seq = 0;
  // The entry at index 0 is an event whose handler is running (takeTop): its slot is released
  // and the next push overwrites it in place (see takeTop).
  private topTaken = false;

  constructor(initialCapacity = 64) {
    const c = Math.max(4, initialCapacity);
    this.hTime = new Float64Array(c);
    this.hTie = new Float64Array(c);
    this.hSlot = new Int32Array(c);
    this.slots = new EventSlots(2 * c);
  }

  /** size is the number of pending events. */
  get size(): number {
    return this.live;
  }

  /** push adds an event; priority is an integer 0..MAX_PRIORITY (lower runs first at equal time). */
  push(timeUs: number, priority: number, fn: EventFn, arg = 0): EventId {
    // An integer in 0..255 is exactly what survives masking with 255 (MAX_PRIORITY is 2^8 - 1):
    // one operation where a range and an integer check were four.
    if ((priority & MAX_PRIORITY) !== priority) badPriority(priority);
    if (this.slots.full()) this.growSlots();
    const id = this.seq++;
    const slot = this.slots.claim(id, fn, arg);
    this.live++;
    if (this.topTaken) {
      // The running event's entry is still at the root: replace it and sift down once, instead of
      // a removal (sift down) followed by an insertion (sift up).
      this.topTaken = false;
      this.hTime[0] = timeUs;
      this.hTie[0] = priority * SEQ_SPAN + id;
      this.hSlot[0] = slot;
      this.siftDown(0, 0);
      if (!this.slots.isPending(this.hSlot[0])) this.dropDeadTop();
      return id;
    }
    if (this.n === this.hTime.length) this.growHeap();
    const i = this.n++;
    this.hTime[i] = timeUs;
    this.hTie[i] = priority * SEQ_SPAN + id;
    this.hSlot[i] = slot;
    this.siftUp(i);
    return id;
  }

  /**
   * reserveTie takes the next event number without queueing an event, and returns the tie key an
   * event of that priority pushed now would get: an event kept outside the queue (Simulator's
   * keyed events) is then ordered against the queued ones as if it had been pushed.
   */
  reserveTie(priority: number): number {
    if ((priority & MAX_PRIORITY) !== priority) badPriority(priority);
    return priority * SEQ_SPAN + this.seq++;
  }

  /** topTie is the earliest event's tie key (priority and order), Infinity when empty. */
  topTie(): number {
    return this.n > 0 ? this.hTie[0] : Infinity;
  }

  /** cancel removes a pending event; false if it already ran, was cancelled, or id is NO_EVENT. */
  cancel(id: EventId): boolean {
    if (id < 0) return false;
    const slot = this.slots.find(id);
    if (slot < 0) return false;
    this.slots.cancel(slot);
    this.live--;
    if (this.hSlot[0] === slot) this.dropDeadTop();
    else if (this.n - this.live > MIN_COMPACT && this.n > 2 * this.live) this.compact();
    return true;
  }

  /** isPending says whether id names an event still in the queue. */
  isPending(id: EventId): boolean {
    return id >= 0 && this.slots.find(id) >= 0;
  }

  /** topTimeUs is the earliest event's time, or Infinity when empty. */
  topTimeUs(): number {
    return this.n > 0 ? this.hTime[0] : Infinity;
  }

  /** topFn and topArg read the earliest event (the queue must not be empty). */
  topFn(): EventFn {
    return this.slots.fns[this.hSlot[0]] as EventFn;
  }
  topArg(): number {
    return this.slots.args[this.hSlot[0]];
  }

  /** removeTop drops the earliest event; read it with topTimeUs/topFn/topArg first. */
  removeTop(): void {
    if (this.live === 0) emptyQueue();
    this.live--;
    this.dropDeadTop();
  }

  /**
   * takeTop removes the earliest event as removeTop does, except that its heap entry stays at the
   * root until the next push overwrites it (most handlers schedule a follow-up event) or
   * finishTop drops it. Call finishTop after the event's handler, before the next takeTop; in
   * between, topTimeUs/topFn/topArg are undefined.
   */
  takeTop(): void {
    if (this.live === 0) emptyQueue();
    this.live--;
    this.slots.release(this.hSlot[0]);
    this.topTaken = true;
  }

  /** finishTop drops the taken top entry if no push replaced it. */
  finishTop(): void {
    if (!this.topTaken) return;
    this.topTaken = false;
    this.dropTakenTop();
  }

  /** dropDeadTop removes the top entry, then any cancelled ones that surface after it. */
  private dropDeadTop(): void {
    this.slots.release(this.hSlot[0]);
    this.dropTakenTop();
  }

  /** dropTakenTop removes the top entry, whose slot is already released, then any dead ones. */
  private dropTakenTop(): void {
    for (;;) {
      const last = --this.n;
      if (last > 0) this.siftDown(0, last);
      if (this.n === 0 || this.slots.isPending(this.hSlot[0])) return;
      this.slots.release(this.hSlot[0]);
    }
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
      if (c + 1 < n) {
        // The smaller child without a branch: which one it is is a coin flip, and a mispredicted
        // branch here was the simulator's costliest line (8% faster runs on the bench cell).
        const lt = hTime[c];
        const rt = hTime[c + 1];
        c += Number(rt < lt) | (Number(rt === lt) & Number(hTie[c + 1] < hTie[c]));
      }
      const ct = hTime[c];
      // The tie compare runs on every level, its branch only at equal times: since tick events
      // left the queue the first same-time tie here comes after V8 has optimized this function,
      // and a compare first reached then has no type feedback and throws the code away (a cold
      // run recompiled it). A boolean needs none. Fully branch-free cost credit1 warm 4%.
      const ctie = hTie[c];
      const tieFirst = tie < ctie;
      if (time < ct || (time === ct && tieFirst)) break;
      hTime[i] = ct;
      hTie[i] = ctie;
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
    // A taken top's slot is released already: drop its entry without releasing it again.
    const first = this.topTaken ? 1 : 0;
    this.topTaken = false;
    for (let i = first; i < this.n; i++) {
      const slot = this.hSlot[i];
      if (!this.slots.isPending(slot)) {
        this.slots.release(slot);
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

  private growHeap(): void {
    const c = this.hTime.length * 2;
    this.hTime = grown(this.hTime, new Float64Array(c));
    this.hTie = grown(this.hTie, new Float64Array(c));
    this.hSlot = grown(this.hSlot, new Int32Array(c));
  }

  private growSlots(): void {
    const moved = this.slots.grow();
    for (let i = 0; i < this.n; i++) this.hSlot[i] = moved[this.hSlot[i]];
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
