import type { Host } from "../model/cluster.js";
import { driverCpusFor, driverRho, driverRxUs } from "./driver-load.js";
import { Metric, type Composition, type FamilyRef, type Predictor } from "./predictor.js";
import type { VmProfile } from "./profile.js";

/** VictimTerms are a latency-sensitive VM's SLO minus its own (alone) percentile, in µs. */
export interface VictimTerms {
  /** SLO p99.9 minus baseline p99.9 (Infinity when the VM has no p99.9 SLO). */
  slack999Us: number;
  slack99Us: number;
}

/** victimTerms precomputes what the hot path compares a host's delay with. */
export function victimTerms(p: VmProfile, predictor: Predictor): VictimTerms | undefined {
  if (!p.io) return undefined;
  const rho = (p.io.requestsPerSec * p.io.serviceUs) / 1e6 / p.vcpus;
  const b999 = predictor.baselineUs(p.io.serviceUs, rho, Metric.RequestP999);
  const b99 = predictor.baselineUs(p.io.serviceUs, rho, Metric.RequestP99);
  return {
    slack999Us: p.sloP999Us !== undefined ? p.sloP999Us - b999 : Infinity,
    slack99Us: p.sloP99Us !== undefined ? p.sloP99Us - b99 : Infinity,
  };
}

/**
 * HostState keeps one host's aggregates so that adding or removing a VM, and asking whether any
 * latency-sensitive VM would breach its SLO, cost O(1) (O(log n) to keep the victims' slacks
 * sorted) and allocate nothing. Every latency-sensitive VM on a host sees the same neighbour
 * composition up to its own share, so the host keeps one composition and the smallest slack.
 */
export class HostState {
  readonly ref: FamilyRef;
  vcpus = 0;
  /** Mean CPU demand of the VMs plus what their IO costs the driver domain. */
  demandCpus = 0;
  /** CPU the host's driver domain spends on the VMs' packets (0 without a driver domain). */
  driverCpus = 0;
  vms = 0;
  private sleepers = 0;
  private dutyW = 0;
  /** Σ vCPUs / burst: the composition's burst is the harmonic mean (see composition()). */
  private invBurstW = 0;
  private hogs = 0;
  private readonly slack999: number[] = [];
  private readonly slack99: number[] = [];
  private readonly scratch: Composition = { sleepers: 0, duty: 0, burstMs: 0, hogs: 0 };

  constructor(
    readonly host: Host,
    private readonly predictor: Predictor,
  ) {
    this.ref = predictor.resolve(host.scheduler, host.cores);
  }

  add(p: VmProfile, t: VictimTerms | undefined): void {
    this.apply(p, 1);
    if (t) {
      insertSorted(this.slack999, t.slack999Us);
      insertSorted(this.slack99, t.slack99Us);
    }
  }

  remove(p: VmProfile, t: VictimTerms | undefined): void {
    this.apply(p, -1);
    if (t) {
      removeSorted(this.slack999, t.slack999Us);
      removeSorted(this.slack99, t.slack99Us);
    }
  }

  private apply(p: VmProfile, sign: 1 | -1): void {
    this.vms += sign;
    this.vcpus += sign * p.vcpus;
    this.demandCpus += sign * p.demandCpus;
    const d = this.host.driverDomain;
    if (d !== undefined && p.io !== undefined) {
      const c = sign * driverCpusFor(d, p.io.requestsPerSec);
      this.driverCpus += c;
      this.demandCpus += c;
    }
    if (p.cpuVcpus === 0) return;
    if (p.sleepy) {
      this.sleepers += sign * p.cpuVcpus;
      this.dutyW += sign * p.cpuVcpus * p.duty;
      this.invBurstW += sign * (p.cpuVcpus / p.burstMs);
    } else this.hogs += sign * p.cpuVcpus;
  }

  /**
   * composition returns the host's neighbour mix, optionally with one more VM (no allocation).
   * Duty is the vCPU-weighted mean. Burst is the vCPU-weighted harmonic mean: a woken IO vCPU
   * that finds every core held waits for the first holder to release it, and the first of several
   * exponential residuals ends at the sum of their rates, so short-burst neighbours shorten the
   * wait far more than an arithmetic mean says (5 VMs of 1 ms and 5 of 30 ms bursts on 8 cores:
   * the simulator gives 1.6 ms, the arithmetic mean 15.5 ms predicted 8.6 ms, the harmonic 1.9 ms).
   */
  composition(extra?: VmProfile): Composition {
    const c = this.scratch;
    let s = this.sleepers;
    let dw = this.dutyW;
    let ib = this.invBurstW;
    let h = this.hogs;
    if (extra && extra.cpuVcpus > 0) {
      if (extra.sleepy) {
        s += extra.cpuVcpus;
        dw += extra.cpuVcpus * extra.duty;
        ib += extra.cpuVcpus / extra.burstMs;
      } else h += extra.cpuVcpus;
    }
    c.sleepers = s;
    c.duty = s > 0 ? dw / s : 0;
    c.burstMs = s > 0 ? s / ib : 0;
    // The driver domain fills cores for driverCpus of the time (driver-load.ts).
    c.hogs = h + this.driverCpusWith(extra);
    return c;
  }

  private driverCpusWith(extra?: VmProfile): number {
    const d = this.host.driverDomain;
    if (d === undefined) return 0;
    return this.driverCpus + (extra?.io ? driverCpusFor(d, extra.io.requestsPerSec) : 0);
  }

  /**
   * driverHopUs is the wait and service a request spends in the driver domain before its guest
   * sees it, at the last located composition: the driver vCPU's own wake-up delay on this host
   * (the wake-to-run p99.9 of the host), plus the queueing of rx work at the driver's utilisation.
   * 0 without a driver domain. Call after locate() (delayUs and worstSlackUs do).
   */
  driverHopUs(metric: Metric.RequestP99 | Metric.RequestP999, extra?: VmProfile): number {
    const d = this.host.driverDomain;
    if (d === undefined) return 0;
    const rho = driverRho(d, this.driverCpusWith(extra));
    return this.predictor.locatedDelayUs(Metric.WakeP999) + this.predictor.baselineUs(driverRxUs(d), rho, metric);
  }

  /** delayUs is the predicted interference delay of this host's composition (plus `extra`). */
  delayUs(metric: Metric, extra?: VmProfile): number {
    return this.predictor.delayUs(this.ref, this.composition(extra), metric);
  }

  /**
   * worstSlackUs is the smallest SLO margin among the host's latency-sensitive VMs (and `extra`)
   * after the predicted delay: negative means a predicted breach. Infinity when nobody has an SLO.
   */
  worstSlackUs(extra?: VmProfile, extraTerms?: VictimTerms): number {
    let s999 = this.slack999.length > 0 ? this.slack999[0] : Infinity;
    let s99 = this.slack99.length > 0 ? this.slack99[0] : Infinity;
    if (extraTerms) {
      s999 = Math.min(s999, extraTerms.slack999Us);
      s99 = Math.min(s99, extraTerms.slack99Us);
    }
    if (s999 === Infinity && s99 === Infinity) return Infinity;
    this.predictor.locate(this.ref, this.composition(extra));
    const a = s999 === Infinity ? Infinity : s999 - this.predictor.locatedDelayUs(Metric.RequestP999) - this.driverHopUs(Metric.RequestP999, extra);
    const b = s99 === Infinity ? Infinity : s99 - this.predictor.locatedDelayUs(Metric.RequestP99) - this.driverHopUs(Metric.RequestP99, extra);
    return a < b ? a : b;
  }
}

// Sorted arrays of slacks: a host carries a few dozen VMs, so splice beats a heap here.
function lowerIndex(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(xs: number[], x: number): void {
  xs.splice(lowerIndex(xs, x), 0, x);
}

function removeSorted(xs: number[], x: number): void {
  const i = lowerIndex(xs, x);
  if (xs[i] !== x) throw new Error("HostState.remove: VM was not on this host");
  xs.splice(i, 1);
}
