import type { DriverDomain } from "../model/driver-domain.js";
import type { CpuPart, LightPart, MutablePart } from "./core/cpu-part.js";
import type { HostMix } from "./core/host-mix.js";
import { driverCpusFor } from "./driver-load.js";
import type { Predictor, Victim } from "./predictor.js";
import type { VmProfile } from "./profile.js";

/**
 * DriverState is a host's driver domain (dom0 netback, vhost) as HostState's predictions see it,
 * the simulator's mechanism (src/sim/driver-path.ts) in the predictor's own terms:
 *
 * - neighbour: its vCPUs wake for every request's receive and transmit packets and hold a core
 *   only for that work, so they enter the host's mix as light runners, like io-only guests;
 * - hop: a request first waits for a driver vCPU to wake and run, then queues behind the other
 *   guests' packets, before its guest is woken. That is the latency of an io VM whose requests
 *   are the packets, so the predictor's own core gives it (driver()); a guest's estimate is its
 *   own plus the hop's, the same percentile of each (an upper bound on the percentile of the sum).
 *
 * Neither is in the calibration sweep, so such hosts carry an outside-range reason (range.ts)
 * and their bounds are widened. The hop's request takes all of its packets' service, the transmit
 * part too (which a request does not wait for): slightly pessimistic.
 */
export class DriverState {
  /** Driver CPU for the host's VMs' packets, in CPUs. */
  cpus = 0;
  private rate = 0;
  private readonly part: MutablePart = { vcpus: 0, duty: 0, burstUs: 1 };
  private readonly whatIf: MutablePart = { vcpus: 0, duty: 0, burstUs: 1 };
  private applied: CpuPart | undefined;
  private victim: Victim | undefined;

  constructor(
    private readonly d: DriverDomain,
    private readonly mix: HostMix,
    private readonly predictor: Predictor,
  ) {}

  /** apply: a VM with `rate` requests/s joins (1) or leaves (-1) the host. Allocates (the driver's victim terms). */
  apply(rate: number, sign: 1 | -1): void {
    if (rate === 0) return;
    this.rate = Math.max(0, this.rate + sign * rate);
    this.cpus = driverCpusFor(this.d, this.rate);
    this.set(this.rate, this.part);
    this.victim = this.victimAt(this.rate);
  }

  /**
   * begin puts the driver in the mix as it would be with `extraRate` more requests/s and returns
   * its victim terms then (undefined: no requests cross it); end(extraRate) undoes it. A what-if
   * with requests allocates the driver's terms at the new rate.
   */
  begin(extraRate: number): Victim | undefined {
    if (extraRate === 0) return this.victim;
    this.set(this.rate + extraRate, this.whatIf);
    return this.victimAt(this.rate + extraRate);
  }

  end(extraRate: number): void {
    if (extraRate !== 0) this.set(this.rate, this.part);
  }

  /** cpusWith: driver CPU with `extraRate` more requests/s. */
  cpusWith(extraRate: number): number {
    return driverCpusFor(this.d, this.rate + extraRate);
  }

  private set(rate: number, into: MutablePart): void {
    if (this.applied) this.mix.apply(this.applied, -1);
    this.applied = undefined;
    if (rate <= 0) return;
    this.applied = this.mix.light(this.light(rate), into);
    this.mix.apply(this.applied, 1);
  }

  /** light: the driver's vCPUs as light runners: one wake per direction with packets, sharing its work. */
  private light(rate: number): LightPart {
    const d = this.d;
    const wakes = (d.rxPacketsPerRequest > 0 ? 1 : 0) + (d.packetsPerRequest > d.rxPacketsPerRequest ? 1 : 0);
    return { vcpus: d.vcpus, requestsPerSecPerVcpu: (rate * wakes) / d.vcpus, serviceUs: (d.packetsPerRequest * d.usPerPacket) / wakes };
  }

  private victimAt(rate: number): Victim | undefined {
    if (rate <= 0) return undefined;
    const d = this.d;
    const p: VmProfile = {
      id: "driver-domain",
      vcpus: d.vcpus,
      cpuVcpus: 0,
      duty: 0,
      burstMs: 0,
      sleepy: false,
      io: { requestsPerSec: rate, serviceUs: d.packetsPerRequest * d.usPerPacket },
      mixed: false,
      demandCpus: driverCpusFor(d, rate),
      kind: "io",
      weight: d.weight,
      cpuWeight: d.cpuWeight,
      capPercent: d.capPercent,
    };
    return this.predictor.victim(p);
  }
}
