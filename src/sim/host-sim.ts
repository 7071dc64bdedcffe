import type { Vm } from "../model/cluster.js";
import type { DriverDomain } from "../model/driver-domain.js";
import { ioPartOf } from "../model/workload.js";
import type { CpuScheduler, SchedContext, SchedCounter, TimerHandle, VcpuInfo } from "./cpu-scheduler.js";
import { DriverPath } from "./driver-path.js";
import { GuestWork } from "./guest.js";
import type { HostObserver } from "./metrics.js";
import type { Rng } from "./rng.js";
import { type EventFn, type EventId, type Simulator, type TimerLane } from "./simulator.js";

// Event priorities at one microsecond: the warm-up boundary first (so everything at that instant
// is measured), then workload events (arrivals, burst starts, work completions), then policy
// timers, so a tick or slice end sees the work state of its own microsecond.
export const PRIO_MEASURE = 0;
export const PRIO_WORKLOAD = 1;
export const PRIO_POLICY = 2;

/** BurstSource is a vCPU's CPU-burst process (cpu, mixed and trace workloads). */
export interface BurstSource {
  /**
   * onBurstDone: the burst on v just finished. Return the length of a burst to start at once
   * without blocking (the vCPU keeps running), or 0 to sleep; then the source schedules its own
   * wake-up and calls submitBurst.
   */
  onBurstDone(v: number): number;
}

const NO_BURSTS: BurstSource = {
  onBurstDone(v) {
    throw new Error(`host-sim: vCPU ${v} finished a burst but has no burst source`);
  },
};

/**
 * HostSim is one host's machinery: pCPUs, vCPUs and their work progress. It implements the
 * SchedContext a policy drives, owns work-completion events (one keyed event per pCPU, re-timed
 * in place at each preemption rather than cancelled and queued again), turns guest work changes into
 * wake()/block() calls, and reports to an observer. It knows nothing of any policy's internals.
 */
export class HostSim implements SchedContext {
  readonly nCpus: number;
  readonly vcpus: readonly VcpuInfo[];
  private readonly nVcpus: number;
  private readonly guest: GuestWork;
  private readonly vmOf: Int32Array;
  private readonly onCpuOf: Int32Array; // vCPU -> pCPU or -1
  private readonly runningOn: Int32Array; // pCPU -> vCPU or -1
  private readonly lastOn: Int32Array; // pCPU -> last vCPU that ran there, for context switches
  private readonly occupiedFromUs: Float64Array;
  private readonly progressFromUs: Float64Array; // -1 unless on a pCPU with work
  private readonly wokeAtUs: Float64Array; // -1 unless woken and not yet running its work
  private readonly bursts: BurstSource[];
  private scheduler: CpuScheduler | null = null;
  /** The driver domain's packet work, null on a host without one. */
  readonly driver: DriverPath | null;
  /** vCPUs from here on are the driver domain's (nVcpus when there is none: no vCPU qualifies). */
  private readonly firstDriverVcpu: number;
  readonly chargesDriverWork: boolean;
  /** A policy's timers run in the simulator's lane (timerLane): no other policy timer may be set. */
  private laned = false;

  constructor(
    private readonly sim: Simulator,
    nCpus: number,
    vms: readonly Vm[],
    private readonly observer: HostObserver,
    private readonly policyRng: Rng,
    /** With a driver domain, `vms` ends with its VM (driverVm) and this gives its parameters. */
    driver?: DriverDomain,
  ) {
    this.nCpus = nCpus;
    const vcpus: VcpuInfo[] = [];
    vms.forEach((vm, vmIndex) => {
      for (let k = 0; k < vm.vcpus; k++) vcpus.push({ index: vcpus.length, vmIndex, vcpuInVm: k, vm });
    });
    this.vcpus = vcpus;
    const n = vcpus.length;
    this.nVcpus = n;
    this.firstDriverVcpu = driver ? n - driver.vcpus : n;
    this.driver = driver ? new DriverPath(driver, vms.length - 1, this.firstDriverVcpu, this, observer) : null;
    this.chargesDriverWork = this.driver !== null && this.driver.chargesGuests();
    // A driver vCPU's requests are packets.
    this.guest = new GuestWork(
      this.vcpus.map((c) => (c.index >= this.firstDriverVcpu ? (driver?.usPerPacket ?? 1) : (ioPartOf(c.vm.workload)?.serviceUs ?? 1))),
    );
    this.vmOf = Int32Array.from(this.vcpus, (c) => c.vmIndex);
    this.onCpuOf = new Int32Array(n).fill(-1);
    this.runningOn = new Int32Array(nCpus).fill(-1);
    this.lastOn = new Int32Array(nCpus).fill(-1);
    this.occupiedFromUs = new Float64Array(nCpus);
    this.progressFromUs = new Float64Array(n).fill(-1);
    // A pCPU's work completion is a keyed event: a preemption re-times it (simulator.ts).
    sim.keyedEvents(nCpus, this.onCompleteOn);
    this.wokeAtUs = new Float64Array(n).fill(-1);
    this.bursts = new Array<BurstSource>(n).fill(NO_BURSTS);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** start hands the host to its policy; call at time 0, before running the simulator. */
  start(scheduler: CpuScheduler): void {
    if (this.scheduler) throw new Error("host-sim: started twice");
    this.scheduler = scheduler;
    scheduler.start(this);
    if (this.chargesDriverWork && this.driver !== null) {
      const sink = scheduler.chargeFor?.bind(scheduler);
      if (sink === undefined) throw new Error(`host-sim: ${scheduler.kind} cannot charge driver work to guests`);
      this.driver.chargeTo(sink);
    }
  }

  /** measureFrom makes the observer forget everything before atUs (the end of warm-up). */
  measureFrom(atUs: number): void {
    this.sim.scheduleAt(atUs, PRIO_MEASURE, () => {
      this.chargeAll();
      this.observer.reset();
    });
  }

  /** finish charges the CPU time of work still running; call once after the run. */
  finish(): void {
    this.chargeAll();
  }

  // ---- what workloads call ---------------------------------------------------------------------

  /** scheduleWorkload runs a workload event at atUs, before policy timers of that microsecond. */
  scheduleWorkload(atUs: number, fn: EventFn, arg = 0): EventId {
    return this.sim.scheduleAt(atUs, PRIO_WORKLOAD, fn, arg);
  }

  /** vcpusOfVm lists the host-wide indices of a VM's vCPUs (VMs are laid out in order). */
  vcpusOfVm(vmIndex: number): number[] {
    return this.vcpus.filter((c) => c.vmIndex === vmIndex).map((c) => c.index);
  }

  /** setBurstSource registers the burst process of vCPU v. */
  setBurstSource(v: number, source: BurstSource): void {
    this.bursts[v] = source;
  }

  /** queuedRequests counts v's requests in the guest (waiting or in service). */
  queuedRequests(v: number): number {
    return this.guest.queuedRequests(v);
  }

  /** vmOfVcpu is the VM index of host-wide vCPU v. */
  vmOfVcpu(v: number): number {
    return this.vmOf[this.checkVcpu(v)];
  }

  /**
   * submitRequest: an IO request is queued on v now; its latency counts from arrivalUs (earlier
   * when a driver domain received it first).
   */
  submitRequest(v: number, arrivalUs = this.sim.now()): void {
    const hadWork = this.guest.hasWork(v);
    this.chargeProgress(v);
    const headChanged = this.guest.addRequest(v, arrivalUs);
    this.afterSubmit(v, hadWork, headChanged);
  }

  /** submitBurst: a CPU burst of us microseconds starts now on v (it was sleeping). */
  submitBurst(v: number, us: number): void {
    const hadWork = this.guest.hasWork(v);
    this.chargeProgress(v);
    const headChanged = this.guest.addBurst(v, us);
    this.afterSubmit(v, hadWork, headChanged);
  }

  /**
   * dropBurst: the guest on v gives up the rest of its CPU burst now (a clock-watching loop whose
   * window closed). Running, it completes the burst at once; waiting for a pCPU, it completes it
   * as soon as it is dispatched, using no CPU.
   */
  dropBurst(v: number): void {
    this.chargeProgress(v);
    if (this.guest.dropBurst(v) && this.progressFromUs[v] >= 0) this.scheduleCompletion(v);
  }

  /** probeSample: the probe on v woke oversleepUs later than it asked (see workloads/probe.ts). */
  probeSample(v: number, oversleepUs: number): void {
    this.observer.probe(this.vmOf[v], oversleepUs);
  }

  // ---- SchedContext ----------------------------------------------------------------------------

  now(): number {
    return this.sim.now();
  }

  at(atUs: number, fn: () => void): TimerHandle {
    return new PolicyTimer(this.sim, this.timer(atUs, fn));
  }

  timer(atUs: number, fn: EventFn, arg = 0): number {
    if (this.laned) lanedTimer();
    return this.sim.scheduleAt(atUs, PRIO_POLICY, fn, arg);
  }

  timerLane(lane: TimerLane): boolean {
    // The lane's timers rank after every queue event of their microsecond: right only while no
    // other event has their priority. A billing driver domain's flush is one (driver-path.ts).
    if (this.chargesDriverWork) return false;
    this.sim.setLane(lane);
    this.laned = true;
    return true;
  }

  cancelTimer(id: number): void {
    this.sim.cancel(id);
  }

  advance(atUs: number): boolean {
    return this.sim.advance(atUs);
  }

  dispatch(p: number, v: number | null): void {
    this.checkCpu(p);
    const next = v ?? -1;
    // Only null runs nothing: a policy's -1 or NaN would otherwise idle the pCPU silently.
    if (!(next >= 0) && v !== null) noSuch("vCPU", v);
    const prev = this.runningOn[p];
    if (prev === next) return;
    if (next >= 0 && this.onCpuOf[this.checkVcpu(next)] >= 0) doubleDispatch(next, p, this.onCpuOf[next]);
    if (prev >= 0) this.takeOff(p, prev);
    if (next >= 0) this.putOn(p, next);
    // A vCPU put on with work re-timed p's completion in place (most switches are preemptions);
    // otherwise none is left on p.
    if (!(next >= 0 && this.progressFromUs[next] >= 0)) this.sim.clearKeyed(p);
  }

  idle(p: number, atUs: number): void {
    this.checkCpu(p);
    const v = this.runningOn[p];
    if (v < 0) return;
    const now = this.sim.now();
    // Late only for a vCPU making no progress (a halt-poller; work just added has not started).
    if (atUs !== now && !(atUs < now && this.progressFromUs[v] < 0)) lateIdle(p, atUs, now);
    // takeOff books now - occupiedFromUs: moved by now - atUs, it books up to atUs (integers, exact).
    this.occupiedFromUs[p] += now - atUs;
    this.takeOff(p, v);
    this.sim.clearKeyed(p);
  }

  running(p: number): number | null {
    const v = this.runningOn[this.checkCpu(p)];
    return v >= 0 ? v : null;
  }

  onCpu(v: number): number {
    return this.onCpuOf[this.checkVcpu(v)];
  }

  hasWork(v: number): boolean {
    return this.guest.hasWork(v);
  }

  count(counter: SchedCounter, v: number): void {
    this.observer.counter(counter, this.vmOf[this.checkVcpu(v)]);
  }

  random(): number {
    return this.policyRng.next();
  }

  // ---- machinery -------------------------------------------------------------------------------

  private afterSubmit(v: number, hadWork: boolean, headChanged: boolean): void {
    if (!hadWork) this.wake(v);
    else if (headChanged && this.progressFromUs[v] >= 0) {
      // The guest switched items under a running vCPU (an IO request preempting its burst).
      this.scheduleCompletion(v);
    }
  }

  /** wake: v had no work and now has some. A halt-polling vCPU continues on its pCPU at once. */
  private wake(v: number): void {
    this.wokeAtUs[v] = this.sim.now();
    if (this.onCpuOf[v] >= 0) this.wakeOnCpu(v);
    this.policy().wake(v);
  }

  /**
   * wakeOnCpu: v, woken, is on a pCPU: a halt-poller. Its window may have ended before now with
   * the policy yet to say so (settle); else it continues there at once. Kept out of wake, which
   * every policy's hot path runs (with no halt-polling, this never does).
   */
  private wakeOnCpu(v: number): void {
    this.scheduler?.settle?.();
    if (this.onCpuOf[v] >= 0) this.beginWork(v);
  }

  private putOn(p: number, v: number): void {
    this.runningOn[p] = v;
    this.onCpuOf[v] = p;
    this.occupiedFromUs[p] = this.sim.now();
    if (this.lastOn[p] !== v) {
      this.lastOn[p] = v;
      this.observer.contextSwitch();
    }
    if (this.guest.hasWork(v)) this.beginWork(v);
  }

  /** takeOff: v leaves p. Its completion stays keyed on p: the caller re-times or clears it. */
  private takeOff(p: number, v: number): void {
    this.chargeProgress(v);
    this.progressFromUs[v] = -1;
    this.observer.occupied(this.sim.now() - this.occupiedFromUs[p]);
    this.onCpuOf[v] = -1;
    this.runningOn[p] = -1;
  }

  /** beginWork: v is on a pCPU with work; progress starts and a pending wake is served. */
  private beginWork(v: number): void {
    const now = this.sim.now();
    this.progressFromUs[v] = now;
    this.scheduleCompletion(v);
    if (this.wokeAtUs[v] >= 0) {
      this.observer.wakeToRun(this.vmOf[v], now - this.wokeAtUs[v]);
      this.wokeAtUs[v] = -1;
    }
  }

  /** scheduleCompletion (re)times the completion of v's item in progress, on v's pCPU. */
  private scheduleCompletion(v: number): void {
    this.sim.setKeyed(this.onCpuOf[v], this.sim.now() + this.guest.headRemainingUs(v), PRIO_WORKLOAD);
  }

  /** onCompleteOn: the item in progress on p's vCPU is done; continue, or block when nothing is left. */
  private readonly onCompleteOn = (p: number): void => {
    const v = this.runningOn[p];
    this.chargeProgress(v);
    const arrivalUs = this.guest.completeHead(v);
    let driverTag = -1;
    if (arrivalUs >= 0) {
      if (v >= this.firstDriverVcpu) driverTag = (this.driver as DriverPath).popTag(v);
      else this.observer.request(this.vmOf[v], this.sim.now() - arrivalUs);
    } else {
      const nextUs = this.bursts[v].onBurstDone(v);
      if (nextUs > 0) this.guest.addBurst(v, nextUs);
    }
    if (this.guest.hasWork(v)) this.scheduleCompletion(v);
    else {
      this.progressFromUs[v] = -1;
      this.policy().block(v, this.onCpuOf[v]);
    }
    // Driver hand-offs come last, once v's own continuation is settled: they wake other vCPUs.
    if (this.driver === null) return;
    if (driverTag >= 0) this.driver.finished(driverTag, arrivalUs);
    else if (arrivalUs >= 0) this.driver.transmit(this.vmOf[v]);
  };

  /** chargeProgress books v's progress up to now (work done, CPU time) without moving events. */
  private chargeProgress(v: number): void {
    const from = this.progressFromUs[v];
    if (from < 0) return;
    const now = this.sim.now();
    if (now > from) {
      this.guest.consume(v, now - from);
      this.observer.ran(this.vmOf[v], now - from);
      if (v >= this.firstDriverVcpu) (this.driver as DriverPath).ran(v, now - from);
      this.progressFromUs[v] = now;
    }
  }

  private chargeAll(): void {
    this.scheduler?.settle?.();
    const now = this.sim.now();
    for (let v = 0; v < this.vcpus.length; v++) this.chargeProgress(v);
    for (let p = 0; p < this.nCpus; p++) {
      if (this.runningOn[p] < 0) continue;
      this.observer.occupied(now - this.occupiedFromUs[p]);
      this.occupiedFromUs[p] = now;
    }
  }

  private policy(): CpuScheduler {
    return this.scheduler ?? notStarted();
  }

  // The checks run on every dispatch; `i >>> 0 === i` is "an integer in 0..2^32-1" in one
  // operation, which keeps them small enough to leave V8 room to inline the rest of a policy's
  // switch (its inlining budget per compiled function is bytecode size).
  private checkCpu(p: number): number {
    if (!(p >>> 0 === p && p < this.nCpus)) noSuch("pCPU", p);
    return p;
  }

  private checkVcpu(v: number): number {
    if (!(v >>> 0 === v && v < this.nVcpus)) noSuch("vCPU", v);
    return v;
  }
}

/** PolicyTimer is a TimerHandle over a simulator event (one small object, no closure). */
class PolicyTimer implements TimerHandle {
  constructor(
    private readonly sim: Simulator,
    private readonly id: EventId,
  ) {}

  cancel(): void {
    this.sim.cancel(this.id);
  }
}

// Cold throw helpers: message building out of the hot methods keeps them small enough to inline.
function doubleDispatch(v: number, p: number, on: number): never {
  throw new Error(`host-sim: vCPU ${v} dispatched on pCPU ${p} while running on pCPU ${on}`);
}

function lateIdle(p: number, atUs: number, nowUs: number): never {
  throw new Error(`host-sim: pCPU ${p} idled as of ${atUs} us at ${nowUs} us (only a vCPU making no progress may go idle late)`);
}

function lanedTimer(): never {
  throw new Error("host-sim: a policy timer beside a timer lane (the lane ranks after every queue event)");
}

function notStarted(): never {
  throw new Error("host-sim: work arrived before start()");
}

function noSuch(what: "pCPU" | "vCPU", i: number): never {
  throw new RangeError(`host-sim: no ${what} ${i}`);
}
