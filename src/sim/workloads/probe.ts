import type { ProbeWorkload } from "../../model/workload.js";
import type { BurstSource, HostSim } from "../host-sim.js";
import type { Rng } from "../rng.js";

/**
 * ProbeLoop is the Bobtail probe as a guest thread on one vCPU: sleep sleepUs, wake, run serviceUs
 * (the timer interrupt and the clock reads), and report how late it got to run. It is a closed
 * loop, as the real one is: the next sleep starts when the iteration's work is done.
 *
 * The wake is a CPU burst on the vCPU, so the guest orders it behind the VM's queued io requests
 * (GuestWork runs requests first), which is what a real probe thread beside a server sees; the
 * oversleep is the time from the timer's expiry to the end of the iteration, less its own work.
 */
export class ProbeLoop implements BurstSource {
  private wokeAtUs = 0;

  constructor(
    private readonly host: HostSim,
    private readonly vcpu: number,
    private readonly w: ProbeWorkload,
  ) {}

  /** start registers the loop and schedules its first wake at a random phase of one sleep. */
  start(rng: Rng): void {
    this.host.setBurstSource(this.vcpu, this);
    this.host.scheduleWorkload(Math.floor(rng.next() * this.w.sleepUs), this.onWake);
  }

  onBurstDone(v: number): number {
    const now = this.host.now();
    this.host.probeSample(v, now - this.wokeAtUs - this.w.serviceUs);
    this.host.scheduleWorkload(now + this.w.sleepUs, this.onWake);
    return 0;
  }

  private readonly onWake = (): void => {
    this.wokeAtUs = this.host.now();
    this.host.submitBurst(this.vcpu, this.w.serviceUs);
  };
}
