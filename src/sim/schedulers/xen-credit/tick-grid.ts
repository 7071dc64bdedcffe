import type { SchedContext } from "../../cpu-scheduler.js";

/**
 * TickGrid: credit1's per-pCPU ticker. It runs only while its pCPU is busy and restarts on the
 * next multiple of the tick period, so every pCPU ticks on one global grid. Stopping is lazy: the
 * pending event fires, finds the pCPU idle (onTick returns false) and is not re-armed.
 */
export class TickGrid {
  private readonly pending: Uint8Array;

  constructor(
    private readonly ctx: SchedContext,
    nCpus: number,
    private readonly tickUs: number,
    /** onTick handles a tick of p and says whether p is still busy (so the ticker goes on). */
    private readonly onTick: (p: number) => boolean,
  ) {
    this.pending = new Uint8Array(nCpus);
  }

  /** start (re)starts p's ticker as p leaves idle at nowUs. */
  start(p: number, nowUs: number): void {
    if (this.pending[p]) return;
    this.pending[p] = 1;
    this.ctx.timer(nowUs + this.tickUs - (nowUs % this.tickUs), this.fire, p);
  }

  private readonly fire = (p: number): void => {
    this.pending[p] = 0;
    if (!this.onTick(p)) return;
    this.pending[p] = 1;
    this.ctx.timer(this.ctx.now() + this.tickUs, this.fire, p);
  };
}
