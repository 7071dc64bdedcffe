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

/**
 * RunQueue is one credit2 run queue (csched2_runqueue_data): the pCPUs that share it, every vCPU
 * assigned to it (rqd->svc, runnable or not), the waiting ones sorted by credit, highest first,
 * and its load. The waiting list is a small array: a queue holds at most a few dozen vCPUs.
 */
export class RunQueue {
  /** Waiting vCPUs, credit descending; equal credits keep arrival order (runq_insert). */
  readonly waiting: number[] = [];
  /** Every vCPU assigned here; a credit reset touches them all. */
  readonly members: number[] = [];
  /** Largest weight among the members: the highest-weight vCPU burns credit 1:1. */
  maxWeight = 1;
  /** Runnable vCPUs (waiting or running): the instantaneous load. */
  load = 0;
  readonly avgLoad = new LoadAverage(0);

  constructor(
    readonly id: number,
    readonly cpus: readonly number[],
  ) {}

  /** insert queues v after every waiter of greater or equal credit. */
  insert(v: number, credit: Float64Array): void {
    const c = credit[v];
    const w = this.waiting;
    let i = 0;
    while (i < w.length && credit[w[i]] >= c) i++;
    w.splice(i, 0, v);
  }

  remove(v: number): void {
    const i = this.waiting.indexOf(v);
    if (i < 0) throw new Error(`xen-credit2: vCPU ${v} is not queued on run queue ${this.id}`);
    this.waiting.splice(i, 1);
  }

  isQueued(v: number): boolean {
    return this.waiting.includes(v);
  }

  /** changeLoad is update_runq_load: average the old load up to now, then apply the change. */
  changeLoad(change: number, nowUs: number): void {
    this.avgLoad.advance(this.load, nowUs);
    this.load += change;
  }

  /** assign makes v a member (runq_assign), keeping max_weight. */
  assign(v: number, weight: number): void {
    this.members.push(v);
    if (weight > this.maxWeight) this.maxWeight = weight;
  }

  /** deassign removes v and recomputes max_weight from the members left. */
  deassign(v: number, weightOf: (v: number) => number): void {
    const i = this.members.indexOf(v);
    if (i >= 0) this.members.splice(i, 1);
    let max = 1;
    for (const u of this.members) max = Math.max(max, weightOf(u));
    this.maxWeight = max;
  }
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
