import { OVERSLEEP_EDGES_US, type OversleepSummary } from "../model/probe.js";

/**
 * OversleepRecorder counts a probe's oversleeps (how much longer than asked a sleep took) in the
 * report's fixed buckets, and exactly those at or above the threshold. The simulated probe and the
 * real one's worker thread both record into it, so their reports cannot differ in shape.
 */
export class OversleepRecorder {
  private readonly counts = new Array<number>(OVERSLEEP_EDGES_US.length + 1).fill(0);
  private readonly thresholdUs: number;
  private n = 0;
  private over = 0;
  private sumUs = 0;
  private maxUs = 0;

  constructor(readonly thresholdMs: number) {
    this.thresholdUs = thresholdMs * 1000;
  }

  get iterations(): number {
    return this.n;
  }

  get overThreshold(): number {
    return this.over;
  }

  /** record adds one oversleep; a clock that ran backwards (negative) counts as on time. */
  record(oversleepUs: number): void {
    const us = oversleepUs > 0 ? oversleepUs : 0;
    let i = 0;
    while (i < OVERSLEEP_EDGES_US.length && us >= OVERSLEEP_EDGES_US[i]) i++;
    this.counts[i]++;
    this.n++;
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
    if (us >= this.thresholdUs) this.over++;
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.over = 0;
    this.sumUs = 0;
    this.maxUs = 0;
  }

  summary(): OversleepSummary {
    return {
      iterations: this.n,
      overThreshold: this.over,
      thresholdMs: this.thresholdMs,
      counts: [...this.counts],
      meanUs: this.n > 0 ? this.sumUs / this.n : 0,
      maxUs: this.maxUs,
    };
  }
}
