import { PRI_UNDER } from "./constants.js";

/** Hosts of up to this many pCPUs keep RunQueues.nonEmpty as a bitmask of one small integer. */
export const MASK_CPUS = 30;

/**
 * RunQueues: one credit1 run queue per pCPU, ordered by priority and FIFO within a priority.
 * Intrusive circular doubly linked lists over typed arrays: nodes 0..n-1 are vCPUs, node n+p is
 * pCPU p's sentinel, so queue operations never allocate.
 */
export class RunQueues {
  /** pCPU whose queue holds the vCPU, or -1. */
  readonly queuedOn: Int32Array;
  readonly length: Int32Array;
  /** Queued vCPUs over all pCPUs: lets a steal skip the scan when no peer has anything. */
  total = 0;
  /** Bit p set when pCPU p's queue is not empty (kept for hosts of up to MASK_CPUS pCPUs). */
  nonEmpty = 0;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;

  constructor(
    private readonly nVcpus: number,
    nCpus: number,
    /** Current priorities, owned by the CreditBook; read on every insertion. */
    private readonly pri: Int8Array,
  ) {
    const nodes = nVcpus + nCpus;
    this.next = new Int32Array(nodes);
    this.prev = new Int32Array(nodes);
    for (let i = 0; i < nodes; i++) {
      this.next[i] = i;
      this.prev[i] = i;
    }
    this.queuedOn = new Int32Array(nVcpus).fill(-1);
    this.length = new Int32Array(nCpus);
  }

  /** head returns the first queued vCPU of p, or -1. */
  head(p: number): number {
    const first = this.next[this.nVcpus + p];
    return first >= this.nVcpus ? -1 : first;
  }

  /** after returns the vCPU behind v in its queue, or -1. */
  after(v: number): number {
    const nxt = this.next[v];
    return nxt >= this.nVcpus ? -1 : nxt;
  }

  /** insert puts v before the first entry of strictly lower priority (__runq_insert). */
  insert(v: number, p: number): void {
    const sentinel = this.nVcpus + p;
    const pv = this.pri[v];
    let it = this.next[sentinel];
    while (it !== sentinel && pv <= this.pri[it]) it = this.next[it];
    this.linkBefore(v, it);
    this.queuedOn[v] = p;
    if (this.length[p]++ === 0) this.nonEmpty |= 1 << p;
    this.total++;
  }

  remove(v: number): void {
    const p = this.queuedOn[v];
    const a = this.prev[v];
    const b = this.next[v];
    this.next[a] = b;
    this.prev[b] = a;
    this.next[v] = v;
    this.prev[v] = v;
    this.queuedOn[v] = -1;
    if (--this.length[p] === 0) this.nonEmpty &= ~(1 << p);
    this.total--;
  }

  /**
   * takeFirstAbove is csched_runq_steal on q: the first queued vCPU of strictly higher priority
   * than minPri that was not scheduled after hotAfterUs (cache-hot), removed; or -1.
   */
  takeFirstAbove(q: number, minPri: number, lastSchedUs: Float64Array, hotAfterUs: number): number {
    for (let u = this.head(q); u >= 0; u = this.after(u)) {
      if (this.pri[u] <= minPri) break;
      if (lastSchedUs[u] > hotAfterUs) continue;
      this.remove(u);
      return u;
    }
    return -1;
  }

  /**
   * sort is csched_runq_sort: after accounting changed priorities, move UNDER and BOOST entries
   * ahead of OVER ones, keeping the order within each group.
   */
  sort(p: number): void {
    const sentinel = this.nVcpus + p;
    let lastUnder = sentinel;
    let it = this.next[sentinel];
    while (it !== sentinel) {
      const nxt = this.next[it];
      if (this.pri[it] >= PRI_UNDER) {
        if (this.prev[it] !== lastUnder) {
          this.unlink(it);
          this.linkBefore(it, this.next[lastUnder]);
        }
        lastUnder = it;
      }
      it = nxt;
    }
  }

  private unlink(v: number): void {
    const a = this.prev[v];
    const b = this.next[v];
    this.next[a] = b;
    this.prev[b] = a;
  }

  private linkBefore(v: number, before: number): void {
    const a = this.prev[before];
    this.next[a] = v;
    this.prev[v] = a;
    this.next[v] = before;
    this.prev[before] = v;
  }
}
