/**
 * GuestWork is the guest kernel's view of the work on each vCPU, reduced to what decides how much
 * CPU a vCPU needs next: a FIFO of IO requests and at most one CPU burst.
 *
 * Guest scheduling choice (the `mixed` and `trace`+io workloads): a queued IO request runs before
 * the rest of the current CPU burst, because a guest kernel favours the task an interrupt just
 * woke (it has slept, so it has little vruntime). The burst resumes where it stopped once the
 * request queue is empty. The vCPU as a whole still needs a pCPU from the hypervisor for either.
 */
export class GuestWork {
  private readonly fifos: ArrivalFifo[];
  // Requests queued per vCPU (the fifo's length), in a typed array: hasWork runs several times
  // per event, and this keeps it two array reads instead of an object and a getter.
  private readonly nReq: Int32Array;
  private readonly serviceUs: Float64Array;
  private readonly headRequestUs: Float64Array; // remaining work of the head request
  // Remaining work of the burst, -1 = none. A burst can sit at 0 remaining behind a request that
  // arrived in the very microsecond it would have finished; it still has to complete.
  private readonly burstUs: Float64Array;

  /** serviceUsPerVcpu: each request's CPU need on that vCPU, rounded to whole µs (at least 1). */
  constructor(serviceUsPerVcpu: readonly number[]) {
    const n = serviceUsPerVcpu.length;
    this.fifos = Array.from({ length: n }, () => new ArrivalFifo());
    this.serviceUs = Float64Array.from(serviceUsPerVcpu, (s) => Math.max(1, Math.round(s)));
    this.nReq = new Int32Array(n);
    this.headRequestUs = new Float64Array(n);
    this.burstUs = new Float64Array(n).fill(-1);
  }

  /** hasWork is the guest's "runnable": anything queued on this vCPU. */
  hasWork(v: number): boolean {
    return this.nReq[v] > 0 || this.burstUs[v] >= 0;
  }

  /** queuedRequests counts requests waiting or in service on v. */
  queuedRequests(v: number): number {
    return this.nReq[v];
  }

  /** hasBurst says whether a CPU burst is in progress on v (possibly paused behind requests). */
  hasBurst(v: number): boolean {
    return this.burstUs[v] >= 0;
  }

  /** headRemainingUs is the CPU the current item still needs (0 without work). */
  headRemainingUs(v: number): number {
    return this.nReq[v] > 0 ? this.headRequestUs[v] : Math.max(0, this.burstUs[v]);
  }

  /** consume charges CPU time to the current item; it never finishes it (completeHead does). */
  consume(v: number, us: number): void {
    // Each branch checks its own item (no work at all leaves burstUs at -1, so left < 0 there).
    if (this.nReq[v] > 0) {
      const left = this.headRequestUs[v] - us;
      if (left < 0) ranPast(v);
      this.headRequestUs[v] = left;
    } else {
      const left = this.burstUs[v] - us;
      if (left < 0) ranPast(v);
      this.burstUs[v] = left;
    }
  }

  /** addRequest queues a request; true when it became the item in progress (the head changed). */
  addRequest(v: number, arrivalUs: number): boolean {
    this.fifos[v].push(arrivalUs);
    if (++this.nReq[v] > 1) return false;
    this.headRequestUs[v] = this.serviceUs[v];
    return true;
  }

  /** addBurst starts a CPU burst; true when it became the item in progress. */
  addBurst(v: number, us: number): boolean {
    if (this.burstUs[v] >= 0) fail(v, "got a burst while one is in progress");
    if (!(us >= 1 && Number.isInteger(us))) badBurst(us);
    this.burstUs[v] = us;
    return this.nReq[v] === 0;
  }

  /**
   * dropBurst gives up the rest of the CPU burst (the guest thread stopped wanting the CPU, e.g. a
   * loop that watches the clock). It stays at 0 remaining until completed, like any burst that
   * has run out; true when it was the item in progress.
   */
  dropBurst(v: number): boolean {
    if (this.burstUs[v] <= 0) return false;
    this.burstUs[v] = 0;
    return this.nReq[v] === 0;
  }

  /**
   * completeHead finishes the current item (its remaining work must be 0) and returns the
   * request's arrival time, or -1 when it was the CPU burst.
   */
  completeHead(v: number): number {
    if (this.nReq[v] === 0) {
      // A burst with work left cannot complete; none (-1) or a finished one (0) can, as before.
      if (this.burstUs[v] > 0) fail(v, "completed unfinished work");
      this.burstUs[v] = -1;
      return -1;
    }
    if (this.headRequestUs[v] !== 0) fail(v, "completed unfinished work");
    const arrivalUs = this.fifos[v].shift();
    if (--this.nReq[v] > 0) this.headRequestUs[v] = this.serviceUs[v];
    return arrivalUs;
  }
}

/**
 * ArrivalFifo is a growable ring buffer of numbers: O(1) push and shift without allocation in the
 * steady state (truncating a JS array's length turned out measurably slow in the bench profile).
 */
export class ArrivalFifo {
  private items = new Float64Array(4);
  private head = 0;
  private n = 0;

  push(x: number): void {
    if (this.n === this.items.length) this.grow();
    this.items[(this.head + this.n) & (this.items.length - 1)] = x;
    this.n++;
  }

  /** peek is the oldest item (undefined content when empty: callers check length first). */
  peek(): number {
    return this.items[this.head];
  }

  get length(): number {
    return this.n;
  }

  shift(): number {
    const x = this.items[this.head];
    this.head = (this.head + 1) & (this.items.length - 1);
    this.n--;
    return x;
  }

  private grow(): void {
    const next = new Float64Array(this.items.length * 2);
    for (let i = 0; i < this.n; i++) next[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = next;
    this.head = 0;
  }
}

// Cold throw helpers: message building out of the hot methods keeps them small enough to inline.
function fail(v: number, what: string): never {
  throw new Error(`guest: vCPU ${v} ${what}`);
}

function ranPast(v: number): never {
  fail(v, "ran past the end of its work item");
}

function badBurst(us: number): never {
  throw new RangeError(`guest: burst of ${us} us`);
}
