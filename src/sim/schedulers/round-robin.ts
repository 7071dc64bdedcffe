import type { CpuScheduler, SchedContext, TimerHandle } from "../cpu-scheduler.js";

/** ROUND_ROBIN_QUANTUM_US is the default slice: long enough to be cheap, short enough to share. */
export const ROUND_ROBIN_QUANTUM_US = 10_000;

/**
 * createRoundRobin is the reference policy the simulator core is tested with, so host-sim's tests
 * do not depend on the Xen or CFS policies: one global FIFO of runnable vCPUs, a fixed quantum,
 * an idle pCPU (lowest index) taken at once on wake, and no halt-polling. It is work-conserving and
 * fair in the long run, and has no priorities: a woken vCPU waits behind every queued one.
 */
export function createRoundRobin(nCpus: number, quantumUs = ROUND_ROBIN_QUANTUM_US): CpuScheduler {
  return new RoundRobin(nCpus, quantumUs);
}

class RoundRobin implements CpuScheduler {
  readonly kind = "round-robin" as const;
  private ctx: SchedContext | null = null;
  private readonly queue: number[] = [];
  private queueHead = 0;
  private readonly timers: (TimerHandle | null)[];
  private readonly expireOn: (() => void)[]; // one bound handler per pCPU, not one per quantum

  constructor(
    nCpus: number,
    private readonly quantumUs: number,
  ) {
    if (!(quantumUs >= 1 && Number.isInteger(quantumUs))) throw new RangeError(`round-robin: quantum ${quantumUs} us`);
    this.timers = new Array<TimerHandle | null>(nCpus).fill(null);
    this.expireOn = Array.from({ length: nCpus }, (_, p) => () => this.expire(p));
  }

  start(ctx: SchedContext): void {
    this.ctx = ctx;
  }

  wake(v: number): void {
    const ctx = this.context();
    if (ctx.onCpu(v) >= 0) return;
    for (let p = 0; p < ctx.nCpus; p++) {
      if (ctx.running(p) === null) return this.run(p, v);
    }
    this.queue.push(v);
  }

  block(_v: number, p: number): void {
    this.runNext(p);
  }

  private runNext(p: number): void {
    const next = this.dequeue();
    if (next === undefined) {
      this.timers[p]?.cancel();
      this.timers[p] = null;
      this.context().dispatch(p, null);
    } else this.run(p, next);
  }

  private run(p: number, v: number): void {
    const ctx = this.context();
    this.timers[p]?.cancel();
    ctx.dispatch(p, v);
    this.timers[p] = ctx.at(ctx.now() + this.quantumUs, this.expireOn[p]);
  }

  /** expire: the quantum on p ended; rotate if anyone waits, else grant another quantum. */
  private expire(p: number): void {
    const ctx = this.context();
    this.timers[p] = null;
    const cur = ctx.running(p);
    if (cur === null) return;
    if (this.queueHead < this.queue.length) this.queue.push(cur);
    const next = this.dequeue() ?? cur;
    this.run(p, next);
  }

  private dequeue(): number | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const v = this.queue[this.queueHead++];
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return v;
  }

  private context(): SchedContext {
    if (!this.ctx) throw new Error("round-robin: used before start()");
    return this.ctx;
  }
}
