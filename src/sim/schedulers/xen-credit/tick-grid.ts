import type { SchedContext } from "../../cpu-scheduler.js";

/**
 * TickGrid: credit1's per-pCPU ticker. It runs only while its pCPU is busy and restarts on the
 * next multiple of the tick period, so every pCPU ticks on one global grid. Stopping is lazy: the
 * pending event fires, finds the pCPU idle (onTick returns false) and is not re-armed.
 */
export class TickGrid {
  private readonly pending: Uint8Array;
  private readonly fns: (() => void)[];

  constructor(
    private readonly ctx: SchedContext,
    nCpus: number,
    private readonly tickUs: number,
    /** onTick handles a tick of p and says whether p is still busy (so the ticker goes on). */
    onTick: (p: number) => boolean,
  ) {
    this.pending = new Uint8Array(nCpus);
    this.fns = Array.from({ length: nCpus }, (_, p) => () => this.fire(p, onTick));
  }

  /** start (re)starts p's ticker as p leaves idle at nowUs. */
  start(p: number, nowUs: number): void {
    if (this.pending[p]) return;
    this.pending[p] = 1;
    this.ctx.at(nowUs + this.tickUs - (nowUs % this.tickUs), this.fns[p]);
  }

  private fire(p: number, onTick: (p: number) => boolean): void {
    this.pending[p] = 0;
    if (!onTick(p)) return;
    this.pending[p] = 1;
    this.ctx.at(this.ctx.now() + this.tickUs, this.fns[p]);
  }
}
