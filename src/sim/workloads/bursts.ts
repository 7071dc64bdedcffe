import type { BurstSource, HostSim } from "../host-sim.js";
import type { Rng } from "../rng.js";

/** A burst that never ends within any simulation (2^50 µs ≈ 35 years): duty cycle 1. */
export const FOREVER_US = 2 ** 50;

/** DutyCycle gives the fraction of time a vCPU wants to run, possibly changing over time. */
export interface DutyCycle {
  /** at is the duty in [0, 1] at time tUs. */
  at(tUs: number): number;
  /** nextChangeUs is the first time after tUs at which the duty may change (Infinity if never). */
  nextChangeUs(tUs: number): number;
}

/** constantDuty is the `cpu` workload's fixed duty cycle. */
export function constantDuty(d: number): DutyCycle {
  return { at: () => d, nextChangeUs: () => Infinity };
}

export interface BurstShape {
  burstMs: number;
  /** exponential: lengths drawn from exponentials of their means; jitter: mean ±20% uniform. */
  distribution: "exponential" | "jitter";
}

/**
 * BurstProcess drives the CPU bursts of a VM's vCPUs: each vCPU independently runs a burst of mean
 * burstMs, then sleeps a mean of burstMs·(1−d)/d, with d the duty at the moment the sleep starts,
 * so the long-run busy fraction is d. d = 1 runs one endless burst (never blocks, so it is never
 * "woken"); a trace interval at 100% chains bursts without blocking; d = 0 sleeps until the duty
 * changes. Every vCPU starts at a random phase of its cycle so that vCPUs are not synchronised.
 */
export class BurstProcess implements BurstSource {
  private readonly meanBurstUs: number;
  private readonly exponential: boolean;

  constructor(
    private readonly host: HostSim,
    private readonly duty: DutyCycle,
    private readonly shape: BurstShape,
    private readonly rngOf: (v: number) => Rng,
  ) {
    this.meanBurstUs = shape.burstMs * 1000;
    this.exponential = shape.distribution === "exponential";
  }

  /** start registers the process for vCPU v and schedules its first burst or wake-up. */
  start(v: number): void {
    this.host.setBurstSource(v, this);
    const rng = this.rngOf(v);
    const d = this.duty.at(0);
    if (d >= 1) this.host.scheduleWorkload(0, this.onWake, v);
    else if (d <= 0) this.sleepUntilChange(v);
    else if (rng.next() < d) {
      // In a burst at time 0: start with the unfinished part of one.
      const firstUs = wholeUs(rng.next() * this.draw(rng, this.meanBurstUs));
      this.host.scheduleWorkload(0, () => this.host.submitBurst(v, firstUs));
    } else {
      const sleepUs = wholeUs(rng.next() * this.draw(rng, this.meanSleepUs(d)));
      this.host.scheduleWorkload(sleepUs, this.onWake, v);
    }
  }

  onBurstDone(v: number): number {
    const now = this.host.now();
    const d = this.duty.at(now);
    const rng = this.rngOf(v);
    if (d >= 1) return wholeUs(this.draw(rng, this.meanBurstUs));
    if (d <= 0) this.sleepUntilChange(v);
    else this.host.scheduleWorkload(now + wholeUs(this.draw(rng, this.meanSleepUs(d))), this.onWake, v);
    return 0;
  }

  private readonly onWake = (v: number): void => {
    const d = this.duty.at(this.host.now());
    if (d <= 0) return this.sleepUntilChange(v);
    const us = d >= 1 && this.duty.nextChangeUs(this.host.now()) === Infinity ? FOREVER_US : this.burstUs(v);
    this.host.submitBurst(v, us);
  };

  private sleepUntilChange(v: number): void {
    const t = this.duty.nextChangeUs(this.host.now());
    if (t !== Infinity) this.host.scheduleWorkload(t, this.onWake, v);
  }

  private burstUs(v: number): number {
    return wholeUs(this.draw(this.rngOf(v), this.meanBurstUs));
  }

  private meanSleepUs(d: number): number {
    return (this.meanBurstUs * (1 - d)) / d;
  }

  private draw(rng: Rng, meanUs: number): number {
    return this.exponential ? rng.exp(meanUs) : meanUs * rng.uniform(0.8, 1.2);
  }
}

/** wholeUs rounds a drawn length to the µs grid, at least 1 µs (a zero-length burst or sleep
 * would be an event with no effect). */
function wholeUs(x: number): number {
  return Math.max(1, Math.round(x));
}
