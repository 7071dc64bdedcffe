/**
 * LOAD_WINDOW_US is credit2's load-averaging window: 2^30 ns (LOADAVG_WINDOW_SHIFT 30), about 1 s.
 * An average older than a whole window is replaced by the instantaneous value.
 */
export const LOAD_WINDOW_US = 2 ** 30 / 1000;

/**
 * LoadAverage is update_runq_load / update_svc_load: an exponentially weighted moving average over
 * one window, advanced by the time since the last update (avg += dt x (load - avg) / W).
 */
export class LoadAverage {
  avg: number;
  private lastUs = 0;

  constructor(initial: number) {
    this.avg = initial;
  }

  /** advance moves the average to nowUs with `load` held since the last update. */
  advance(load: number, nowUs: number): void {
    const dt = nowUs - this.lastUs;
    this.lastUs = nowUs;
    if (dt >= LOAD_WINDOW_US) this.avg = load;
    else if (dt > 0) this.avg += (dt * (load - this.avg)) / LOAD_WINDOW_US;
  }
}

/** NONE ends a run queue's waiting list. */
const NONE = -1;

/**
 * RunQueue is one credit2 run queue (csched2_runqueue_data): the pCPUs that share it, every vCPU
 * assigned to it (rqd->svc, runnable or not), the waiting ones sorted by credit, highest first,
 * and its load. The waiting list is a doubly linked list threaded through per-vCPU index arrays:
 * insertion walks from the head as runq_insert does, removal is O(1), and neither allocates (the
 * array splices it replaced were a quarter of a run's allocations).
 */
export class RunQueue {
  /** Every vCPU assigned here; a credit reset touches them all. Changes only on migration. */
  readonly members: number[] = [];
  /** Largest weight among the members: the highest-weight vCPU burns credit 1:1. */
  maxWeight = 1;
  /** Runnable vCPUs (waiting or running): the instantaneous load. */
  load = 0;
  /**
   * balanceLoad is Xen's rqd->b_avgload, the only queue load balance_load and consider() read: the
   * same window average of `load` as rqd->avgload (update_runq_load advances both), but
   * _runq_assign adds the joining vCPU's own average at once and _runq_deassign takes the leaving
   * one's off, floored at 0 ("expected new load"). So the balancer sees its own move as soon as it
   * makes it. Averaging `load` alone, a move of a blocked vCPU changes nothing and of a queued one
   * only dt/W per update: the gap just closed still shows at the next reset (~10 ms later) and is
   * moved again, 78-215 moves/s on packed 32-core hosts against 3-10 this way (docs/accuracy.md,
   * session 22). rqd->avgload itself is read by nothing the simulator models, so it is not kept.
   */
  readonly balanceLoad = new LoadAverage(0);
  /**
   * runnersZeroAtUs: no runner of this queue has its credit reach 0 before this instant, burning
   * 1:1 (credit + time since its last burn is constant then, and only grows at the floor or a
   * reset). A lower bound kept by the policy (tickle-scan.ts), read only while burnsCommute;
   * -Infinity when unknown.
   */
  runnersZeroAtUs = -Infinity;
  /**
   * burnsCommute: every vCPU of the host has the same weight and no cap, so credit is an integer
   * burnt 1:1 and a runner burnt in two steps or in one gets the same double: a burn may wait for
   * the next reader (set by the policy; false beside a billing driver domain, whose charge picks
   * a VM's vCPU by credit not burnt to now).
   */
  burnsCommute = false;
  /** First waiter (the most credit), NONE when nobody waits. */
  head = NONE;
  waitingCount = 0;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly isWaiting: Uint8Array;

  constructor(
    readonly id: number,
    readonly cpus: readonly number[],
    nVcpus: number,
    /**
     * Whether load averages are kept: only balancing reads them, and a host of one queue never
     * balances, so there the averaging (per wake and block) is work nothing reads.
     */
    readonly averaged = true,
  ) {
    this.next = new Int32Array(nVcpus).fill(NONE);
    this.prev = new Int32Array(nVcpus).fill(NONE);
    this.isWaiting = new Uint8Array(nVcpus);
  }

  /** nextWaiting is the waiter after v in credit order, NONE after the last. */
  nextWaiting(v: number): number {
    return this.next[v];
  }

  /** insert queues v after every waiter of greater or equal credit. */
  insert(v: number, credit: Float64Array): void {
    if (this.isWaiting[v] === 1) alreadyQueued(v, this.id);
    const c = credit[v];
    let before = NONE;
    let at = this.head;
    while (at !== NONE && credit[at] >= c) {
      before = at;
      at = this.next[at];
    }
    this.prev[v] = before;
    this.next[v] = at;
    if (before === NONE) this.head = v;
    else this.next[before] = v;
    if (at !== NONE) this.prev[at] = v;
    this.isWaiting[v] = 1;
    this.waitingCount++;
  }

  remove(v: number): void {
    if (v < 0 || v >= this.isWaiting.length || this.isWaiting[v] === 0) notQueued(v, this.id);
    const before = this.prev[v];
    const after = this.next[v];
    if (before === NONE) this.head = after;
    else this.next[before] = after;
    if (after !== NONE) this.prev[after] = before;
    this.isWaiting[v] = 0;
    this.waitingCount--;
  }

  isQueued(v: number): boolean {
    return this.isWaiting[v] === 1;
  }

  /** forEachWaiting visits the waiters in credit order (tests and invariant checks). */
  forEachWaiting(visit: (v: number) => void): void {
    for (let v = this.head; v !== NONE; v = this.next[v]) visit(v);
  }

  /** changeLoad is update_runq_load: average the old load up to now, then apply the change. */
  changeLoad(change: number, nowUs: number): void {
    if (this.averaged) this.balanceLoad.advance(this.load, nowUs);
    this.load += change;
  }

  /**
   * assign makes v a member (_runq_assign), keeping max_weight, and adds vLoad, v's own load
   * average, to the balance load (b_avgload += svc->avgload).
   */
  assign(v: number, weight: number, vLoad: number): void {
    this.members.push(v);
    if (weight > this.maxWeight) this.maxWeight = weight;
    if (this.averaged) this.balanceLoad.avg += vLoad;
  }

  /**
   * deassign removes v (_runq_deassign), recomputes max_weight from the members left and takes
   * vLoad, v's own load average, off the balance load, not below 0.
   */
  deassign(v: number, weight: Int32Array, vLoad: number): void {
    if (this.averaged) this.balanceLoad.avg = Math.max(this.balanceLoad.avg - vLoad, 0);
    const m = this.members;
    const i = m.indexOf(v);
    if (i >= 0) m.splice(i, 1);
    let max = 1;
    for (let k = 0; k < m.length; k++) if (weight[m[k]] > max) max = weight[m[k]];
    this.maxWeight = max;
  }
}

function alreadyQueued(v: number, rq: number): never {
  throw new Error(`xen-credit2: vCPU ${v} is already queued on run queue ${rq}`);
}

function notQueued(v: number, rq: number): never {
  throw new Error(`xen-credit2: vCPU ${v} is not queued on run queue ${rq}`);
}

/**
 * splitRunqueues lays pCPUs out in run queues of at most maxCpus each, as equal as possible:
 * credit2 makes one queue per socket and caps its size; the host model has no sockets, so a host
 * of up to maxCpus pCPUs is one socket and a larger one is cut into consecutive groups.
 */
export function splitRunqueues(nCpus: number, maxCpus: number): number[][] {
  const nRq = Math.ceil(nCpus / maxCpus);
  const queues: number[][] = Array.from({ length: nRq }, () => []);
  for (let p = 0; p < nCpus; p++) queues[Math.floor((p * nRq) / nCpus)].push(p);
  return queues;
}
