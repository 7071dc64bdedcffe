/** PELT_HALFLIFE_US: PELT's y is chosen so that y^32 = 1/2 over 1024 us periods: ~32 ms. */
export const PELT_HALFLIFE_US = 32 * 1024;

/**
 * PeltLoad is a PELT-like average of a run queue's runnable weight: sampled once per scheduler
 * tick and decayed with PELT's 32 ms half-life, so a brief sleep barely moves it while a thread
 * that stays gone fades out over ~100 ms. A migration by the balancer moves the mover's load at
 * once, as detach/attach_entity_load_avg do, so the next balance sees the move.
 */
export class PeltLoad {
  avg = 0;

  /** sample folds in `weight`, held for the last tick of tickUs. */
  sample(weight: number, decay: number): void {
    this.avg = this.avg * decay + weight * (1 - decay);
  }

  /** move adds (or with a negative value removes) a migrating thread's load. */
  move(load: number): void {
    this.avg = Math.max(0, this.avg + load);
  }
}

/** tickDecay is the factor one tick of tickUs applies to the average (y^(tick / 1024 us)). */
export function tickDecay(tickUs: number): number {
  return 0.5 ** (tickUs / PELT_HALFLIFE_US);
}
