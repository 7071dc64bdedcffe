import type { Vm } from "../model/cluster.js";
import type { DriverDomainResult, DriverGuest } from "../model/driver-domain.js";
import type { HostSimResult, VmSimResult } from "../model/scenario.js";
import type { SchedCounter } from "./cpu-scheduler.js";
import { LatencyHistogram } from "./histogram.js";
import { OversleepRecorder } from "./oversleep.js";

/**
 * HostObserver is the tap host-sim reports to. Measurement lives here, never in host-sim's control
 * flow or in a policy, so a new metric does not touch scheduling code.
 */
export interface HostObserver {
  /** request: one IO request of VM vm finished, latencyUs after it arrived. */
  request(vm: number, latencyUs: number): void;
  /** wakeToRun: a vCPU of VM vm that got work while blocked is now on a pCPU with that work. */
  wakeToRun(vm: number, delayUs: number): void;
  /** ran: a vCPU of VM vm made progress on its work for us microseconds. */
  ran(vm: number, us: number): void;
  /** occupied: a pCPU held some vCPU (working or halt-polling) for us microseconds. */
  occupied(us: number): void;
  /** contextSwitch: a different vCPU than the last one started on a pCPU. */
  contextSwitch(): void;
  /** probe: the Bobtail probe in VM vm woke oversleepUs late. */
  probe(vm: number, oversleepUs: number): void;
  /** counter: a policy event (boost, preemption, throttle) for a vCPU of VM vm. */
  counter(name: SchedCounter, vm: number): void;
  /** driverWork: the driver domain spent us on packets of guest VM vm. */
  driverWork(vm: number, us: number): void;
  /** driverPacket: the driver domain finished one packet of guest VM vm. */
  driverPacket(vm: number): void;
  /** reset forgets everything so far: the end of warm-up. */
  reset(): void;
}

/** NULL_OBSERVER measures nothing (for benchmarks of the bare machinery and for tests). */
export const NULL_OBSERVER: HostObserver = {
  request() {},
  wakeToRun() {},
  ran() {},
  occupied() {},
  contextSwitch() {},
  probe() {},
  counter() {},
  driverWork() {},
  driverPacket() {},
  reset() {},
};

/** Requests at or above this latency are the "large delays" Bobtail's probe counts. */
export const SLOW_REQUEST_US = 10_000;

/** RunFacts is what the host run knows that the observer does not. */
export interface RunFacts {
  hostId: string;
  scheduler: string;
  cores: number;
  measuredUs: number;
  eventsProcessed: number;
  seed: number;
  /** Report each VM's request-latency tail too. */
  requestTail?: boolean;
}

/** DriverFacts name the driver domain of a host run; its VM is the last of the run's VMs. */
export interface DriverFacts {
  name: string;
  chargeDriverWork: boolean;
}

/**
 * HostMetrics collects one host run's measurements and renders them as a HostSimResult. With a
 * driver domain, the last of `vms` is its synthetic VM: reported apart, never among the VMs.
 */
export class HostMetrics implements HostObserver {
  private readonly latency: LatencyHistogram[];
  private readonly wake: LatencyHistogram[];
  private readonly cpuUs: Float64Array;
  private readonly slow: Float64Array;
  private readonly counts: Record<SchedCounter, Float64Array>;
  private readonly probes: (OversleepRecorder | undefined)[];
  private occupiedUs = 0;
  private switches = 0;
  private readonly driverUs: Float64Array;
  private readonly driverPackets: Float64Array;

  constructor(
    private readonly vms: readonly Vm[],
    private readonly driver?: DriverFacts,
  ) {
    const n = vms.length;
    this.driverUs = new Float64Array(driver ? n : 0);
    this.driverPackets = new Float64Array(driver ? n : 0);
    this.latency = Array.from({ length: n }, () => new LatencyHistogram());
    this.wake = Array.from({ length: n }, () => new LatencyHistogram());
    this.cpuUs = new Float64Array(n);
    this.slow = new Float64Array(n);
    this.counts = { boost: new Float64Array(n), preemption: new Float64Array(n), throttle: new Float64Array(n) };
    this.probes = vms.map((vm) => (vm.workload.kind === "probe" ? new OversleepRecorder(vm.workload.thresholdMs) : undefined));
  }

  request(vm: number, latencyUs: number): void {
    this.latency[vm].record(latencyUs);
    // Branch-free: see "Deopts" in xen-credit/credit-book.ts's grant.
    this.slow[vm] += latencyUs >= SLOW_REQUEST_US ? 1 : 0;
  }

  wakeToRun(vm: number, delayUs: number): void {
    this.wake[vm].record(delayUs);
  }

  ran(vm: number, us: number): void {
    this.cpuUs[vm] += us;
  }

  occupied(us: number): void {
    this.occupiedUs += us;
  }

  contextSwitch(): void {
    this.switches++;
  }

  probe(vm: number, oversleepUs: number): void {
    this.probes[vm]?.record(oversleepUs);
  }

  counter(name: SchedCounter, vm: number): void {
    // A switch on the name, not counts[name]: a keyed load by a string runs once per boost.
    switch (name) {
      case "boost":
        this.counts.boost[vm]++;
        return;
      case "preemption":
        this.counts.preemption[vm]++;
        return;
      case "throttle":
        this.counts.throttle[vm]++;
    }
  }

  driverWork(vm: number, us: number): void {
    this.driverUs[vm] += us;
  }

  driverPacket(vm: number): void {
    this.driverPackets[vm]++;
  }

  reset(): void {
    this.driverUs.fill(0);
    this.driverPackets.fill(0);
    for (const h of this.latency) h.reset();
    for (const h of this.wake) h.reset();
    this.cpuUs.fill(0);
    this.slow.fill(0);
    for (const c of Object.values(this.counts)) c.fill(0);
    for (const p of this.probes) p?.reset();
    this.occupiedUs = 0;
    this.switches = 0;
  }

  /** result renders the measurements; VMs keep the scenario's order. */
  result(f: RunFacts): HostSimResult {
    const measuredSec = f.measuredUs / 1e6;
    return {
      hostId: f.hostId,
      scheduler: f.scheduler,
      cores: f.cores,
      measuredUs: f.measuredUs,
      utilisation: f.measuredUs > 0 ? this.occupiedUs / (f.cores * f.measuredUs) : 0,
      contextSwitches: this.switches,
      contextSwitchesPerSec: measuredSec > 0 ? this.switches / measuredSec : 0,
      eventsProcessed: f.eventsProcessed,
      seed: f.seed,
      vms: this.guests().map((vm, i) => this.vmResult(vm, i, f.measuredUs, f.requestTail === true)),
      ...(this.driver ? { driverDomain: this.driverResult(this.driver, f.measuredUs) } : {}),
    };
  }

  private guests(): readonly Vm[] {
    return this.driver ? this.vms.slice(0, -1) : this.vms;
  }

  private driverResult(d: DriverFacts, measuredUs: number): DriverDomainResult {
    const i = this.vms.length - 1;
    const wake = this.wake[i].percentiles();
    return {
      name: d.name,
      vcpus: this.vms[i].vcpus,
      chargeDriverWork: d.chargeDriverWork,
      cpuUs: this.cpuUs[i],
      cpuShare: measuredUs > 0 ? this.cpuUs[i] / measuredUs : 0,
      wakeToRunP99Us: wake.p99Us,
      wakeToRunP999Us: wake.p999Us,
      packets: this.driverPackets.reduce((a, b) => a + b, 0),
    };
  }

  private driverGuest(i: number, measuredUs: number): DriverGuest {
    const share = (us: number): number => (measuredUs > 0 ? us / measuredUs : 0);
    return {
      packets: this.driverPackets[i],
      cpuUs: this.driverUs[i],
      cpuShare: share(this.driverUs[i]),
      aggregateCpuShare: share(this.cpuUs[i] + this.driverUs[i]),
    };
  }

  private vmResult(vm: Vm, i: number, measuredUs: number, tail: boolean): VmSimResult {
    return {
      id: vm.id,
      requestLatency: this.latency[i].percentiles(),
      ...(tail && this.latency[i].count > 0 ? { requestTail: this.latency[i].tail() } : {}),
      wakeToRun: this.wake[i].percentiles(),
      cpuUs: this.cpuUs[i],
      cpuShare: measuredUs > 0 ? this.cpuUs[i] / measuredUs : 0,
      boosts: this.counts.boost[i],
      preemptions: this.counts.preemption[i],
      throttledPeriods: this.counts.throttle[i],
      requestsOver10ms: this.slow[i],
      ...(this.probes[i] ? { probe: this.probes[i].summary() } : {}),
      ...(this.driver ? { driver: this.driverGuest(i, measuredUs) } : {}),
    };
  }
}
