import type { EventFn } from "../event-queue.js";

/**
 * TimerHeap is OwnTimers's heap for timers that are not keyed (a capped domain's replenishment, a
 * budget stop): a binary heap of slots by (time, order), where order is the timer's setting
 * number and also its id. Few timers live here at once, so remove finds its id by a walk.
 */
export class TimerHeap {
  private timeUs = new Float64Array(8);
  private order = new Float64Array(8);
  private args = new Float64Array(8);
  private fns: (EventFn | null)[] = new Array<EventFn | null>(8).fill(null);
  /** Slots in heap order. */
  private heap = new Int32Array(8);
  private n = 0;
  /** Free slots (a stack); slots at or past `fresh` were never used. */
  private free = new Int32Array(8);
  private nFree = 0;
  private fresh = 0;

  /** topTimeUs is the earliest timer's time, Infinity when there is none. */
  topTimeUs(): number {
    return this.n > 0 ? this.timeUs[this.heap[0]] : Infinity;
  }

  /** topOrder is the earliest timer's order (the heap must not be empty). */
  topOrder(): number {
    return this.order[this.heap[0]];
  }

  push(atUs: number, order: number, fn: EventFn, arg: number): void {
    const slot = this.claim();
    this.timeUs[slot] = atUs;
    this.order[slot] = order;
    this.args[slot] = arg;
    this.fns[slot] = fn;
    this.heap[this.n] = slot;
    this.siftUp(this.n++);
  }

  /** remove drops the timer of that order; a no-op when there is none. */
  remove(order: number): void {
    if (order < 0) return;
    for (let i = 0; i < this.n; i++) {
      if (this.order[this.heap[i]] !== order) continue;
      this.release(this.heap[i]);
      this.removeAt(i);
      return;
    }
  }

  /** runTop takes the earliest timer off, then runs it (the heap must not be empty). */
  runTop(): void {
    const slot = this.heap[0];
    const fn = this.fns[slot] as EventFn;
    const arg = this.args[slot];
    this.release(slot);
    this.removeAt(0);
    fn(arg);
  }

  private removeAt(i: number): void {
    const last = this.heap[--this.n];
    if (i === this.n) return;
    this.heap[i] = last;
    this.siftDown(i);
    this.siftUp(i);
  }

  private claim(): number {
    if (this.nFree > 0) return this.free[--this.nFree];
    if (this.fresh === this.timeUs.length) this.grow();
    return this.fresh++;
  }

  private release(slot: number): void {
    this.fns[slot] = null;
    this.free[this.nFree++] = slot;
  }

  private before(a: number, b: number): boolean {
    const ta = this.timeUs[a];
    const tb = this.timeUs[b];
    return ta < tb || (ta === tb && this.order[a] < this.order[b]);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const slot = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(slot, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = slot;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = this.n;
    const slot = heap[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(heap[c + 1], heap[c])) c++;
      if (!this.before(heap[c], slot)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = slot;
  }

  private grow(): void {
    const c = 2 * this.timeUs.length;
    this.timeUs = grown(this.timeUs, new Float64Array(c));
    this.order = grown(this.order, new Float64Array(c));
    this.args = grown(this.args, new Float64Array(c));
    this.heap = grown(this.heap, new Int32Array(c));
    this.free = grown(this.free, new Int32Array(c));
    this.fns = this.fns.concat(new Array<EventFn | null>(c - this.fns.length).fill(null));
  }
}

function grown<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
