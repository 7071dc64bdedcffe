import type { TickDodgeWorkload } from "../../model/workload.js";
import type { BurstSource, HostSim } from "../host-sim.js";

/**
 * TickDodger is the tick-dodging attacker (fidelity E3, Xen commit 78c9b2a64b) on each of a VM's
 * vCPUs: in every period of its tick grid (aligned to time 0, as credit1's ticker is) it wants
 * the CPU from wakeAfterUs to runUntilUs past the grid point, then blocks until wakeAfterUs past
 * the next one. It watches the clock, not its CPU use: at the end of the window it drops the rest
 * of its burst whether or not it got to run, and a burst that completes inside a window (it was
 * dispatched late, after waiting out a whole period) is followed at once by the rest of that window.
 */
export class TickDodger implements BurstSource {
  private readonly tickUs: number;
  private readonly runUntilUs: number;
  private readonly wakeAfterUs: number;
  private readonly dodgeFromUs: number;
  /** The end of each vCPU's current run window (its burst's deadline), -1 when asleep. */
  private readonly windowEndUs = new Map<number, number>();

  constructor(
    private readonly host: HostSim,
    w: TickDodgeWorkload,
  ) {
    this.tickUs = Math.round(w.tickMs * 1000);
    this.runUntilUs = Math.round(w.runUntilMs * 1000);
    this.wakeAfterUs = w.wakeAfterUs;
    this.dodgeFromUs = Math.round(w.dodgeFromMs * 1000);
  }

  /**
   * start registers vCPU v: flat out until dodgeFromUs (one window from 0), or dodging from the
   * start with a first wake just after the tick at time 0.
   */
  start(v: number): void {
    this.host.setBurstSource(v, this);
    this.windowEndUs.set(v, -1);
    if (this.dodgeFromUs === 0) this.host.scheduleWorkload(this.wakeAfterUs, this.onWake, v);
    else this.host.scheduleWorkload(0, this.onStart, v);
  }

  private readonly onStart = (v: number): void => {
    this.windowEndUs.set(v, this.dodgeFromUs);
    this.host.scheduleWorkload(this.dodgeFromUs, this.onWindowEnd, v);
    this.host.submitBurst(v, this.dodgeFromUs);
  };

  onBurstDone(v: number): number {
    const now = this.host.now();
    const phase = now % this.tickUs;
    if (phase >= this.wakeAfterUs && phase < this.runUntilUs) return this.openWindow(v, now - phase);
    this.windowEndUs.set(v, -1);
    const nextTick = phase < this.wakeAfterUs ? now - phase : now - phase + this.tickUs;
    this.host.scheduleWorkload(nextTick + this.wakeAfterUs, this.onWake, v);
    return 0;
  }

  private readonly onWake = (v: number): void => {
    const now = this.host.now();
    this.host.submitBurst(v, this.openWindow(v, now - (now % this.tickUs)));
  };

  /** openWindow starts the run window of the period at gridUs; returns the burst to run. */
  private openWindow(v: number, gridUs: number): number {
    const endUs = gridUs + this.runUntilUs;
    this.windowEndUs.set(v, endUs);
    this.host.scheduleWorkload(endUs, this.onWindowEnd, v);
    return endUs - this.host.now();
  }

  /** onWindowEnd: the attacker reads the clock and stops wanting the CPU (if still in that window). */
  private readonly onWindowEnd = (v: number): void => {
    if (this.windowEndUs.get(v) === this.host.now()) this.host.dropBurst(v);
  };
}
