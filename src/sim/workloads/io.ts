import type { IoPart } from "../../model/workload.js";
import type { DriverPath } from "../driver-path.js";
import type { HostSim } from "../host-sim.js";
import type { Rng } from "../rng.js";

/**
 * IoArrivals is one VM's request stream: Poisson (or fixed-interval) arrivals at requestsPerSec,
 * each needing serviceUs of CPU on one of the VM's vCPUs. Latency (measured by host-sim on
 * completion) includes queueing behind the VM's own earlier requests on that vCPU. On a host with
 * a driver domain a request reaches the driver first, which delivers it to the VM later; latency
 * still counts from the arrival at the host.
 */
export class IoArrivals {
  private readonly meanGapUs: number;
  // The next arrival, kept fractional so rounding to the µs grid does not bias the rate. In a
  // typed array: a fractional number in a plain field is re-boxed on every write (one allocation
  // per arrival in the profile).
  private readonly next = new Float64Array(1);
  private rrStart = 0;
  private readonly hasWork: (i: number) => boolean;
  private readonly queued: (i: number) => number;
  private readonly driver: DriverPath | null;
  private readonly vm: number;

  constructor(
    private readonly host: HostSim,
    private readonly vcpus: readonly number[],
    private readonly part: IoPart,
    private readonly rng: Rng,
  ) {
    this.meanGapUs = 1e6 / part.requestsPerSec;
    this.hasWork = (i) => host.hasWork(vcpus[i]);
    this.queued = (i) => host.queuedRequests(vcpus[i]);
    this.driver = host.driver;
    this.vm = host.vmOfVcpu(vcpus[0]);
    this.driver?.register(this.vm, this.deliver);
  }

  /** start schedules the first arrival; a fixed stream starts at a random phase of its period. */
  start(): void {
    this.next[0] = this.part.arrival === "fixed" ? this.rng.next() * this.meanGapUs : this.gapUs();
    this.host.scheduleWorkload(Math.round(this.next[0]), this.onArrival);
  }

  private gapUs(): number {
    return this.part.arrival === "fixed" ? this.meanGapUs : this.rng.exp(this.meanGapUs);
  }

  private readonly onArrival = (): void => {
    if (this.driver !== null) this.driver.receive(this.vm, this.host.now());
    else this.deliver(this.host.now());
    const nextUs = this.next[0] + this.gapUs();
    this.next[0] = nextUs;
    const atUs = Math.max(this.host.now(), Math.round(nextUs));
    this.host.scheduleWorkload(atUs, this.onArrival);
  };

  /** deliver hands a request that arrived at arrivalUs to one of the VM's vCPUs (now). */
  private readonly deliver = (arrivalUs: number): void => {
    const n = this.vcpus.length;
    const i = n === 1 ? 0 : chooseVcpu(n, this.rrStart, this.hasWork, this.queued);
    if (n > 1 && !this.hasWork(i)) this.rrStart = (i + 1) % n;
    this.host.submitRequest(this.vcpus[i], arrivalUs);
  };
}

/**
 * chooseVcpu picks the vCPU (0..n-1 within the VM) for a new request: the first vCPU without any
 * work, searching round-robin from startAt (so idle vCPUs share the load, like an interrupt
 * balancer); if all are busy, the one with the fewest queued requests, lowest index on ties.
 * A vCPU in a CPU burst counts as having work: the guest would run the request first, but that
 * vCPU may itself be waiting for a pCPU, so an idle sibling is preferred.
 */
export function chooseVcpu(
  n: number,
  startAt: number,
  hasWork: (i: number) => boolean,
  queued: (i: number) => number,
): number {
  for (let k = 0; k < n; k++) {
    const i = (startAt + k) % n;
    if (!hasWork(i)) return i;
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (queued(i) < queued(best)) best = i;
  return best;
}
