import type { Vm } from "../model/cluster.js";
import type { DriverDomain } from "../model/driver-domain.js";
import { ArrivalFifo } from "./guest.js";

/** DRIVER_VM_ID names the synthetic VM that stands for the driver domain inside one host run. */
export const DRIVER_VM_ID = "driver-domain";

/** driverVm is the driver domain as the schedulers see it: one more VM with its weight and cap. */
export function driverVm(d: DriverDomain): Vm {
  return {
    id: DRIVER_VM_ID,
    vcpus: d.vcpus,
    memoryMiB: 1,
    weight: d.weight,
    capPercent: d.capPercent,
    cpuWeight: d.cpuWeight,
    workload: { kind: "idle" },
    labels: {},
  };
}

/** DriverHost is what the driver path needs of host-sim. */
export interface DriverHost {
  now(): number;
  /** submitRequest queues one packet's work on driver vCPU v; arrivalUs rides along with it. */
  submitRequest(v: number, arrivalUs: number): void;
  /** timer runs fn at atUs after the workload events of that microsecond (a policy timer). */
  timer(atUs: number, fn: () => void): number;
}

/** DriverTap is what the driver path reports to the host's observer. */
export interface DriverTap {
  driverWork(vm: number, us: number): void;
  driverPacket(vm: number): void;
}

/** ChargeSink bills a guest VM for driver CPU it caused (the policy's chargeFor). */
export type ChargeSink = (vm: number, us: number) => void;

/**
 * DriverPath is the packet work of a host's driver domain (netback in dom0, vhost under KVM).
 * A guest's request first costs rxPacketsPerRequest packets of driver CPU; only when the last of
 * them is processed is the request delivered to the guest (netback copies the packet into the
 * guest's ring and then raises its event channel), so driver queueing and the driver vCPU's own
 * wake-up delay are part of the request's latency. When the guest has served the request, its
 * transmit packets cost the rest, off the request's latency path. Each guest's packets go to one
 * driver vCPU (guest index mod vCPUs), the way a vif's queue is served by one netback thread, so
 * a guest's packets are processed in order.
 *
 * Packets are requests of usPerPacket on the driver's vCPUs in host-sim's guest work; a tag per
 * packet (guest VM x 2 + 1 when it delivers) names whom the work is for, so every microsecond the
 * driver runs is attributed to one guest, and, with chargeDriverWork, billed to it. Bills are
 * handed to the policy from a policy timer at the same microsecond, never from inside a dispatch
 * (run time is booked while a policy is switching vCPUs, when its state must not move).
 */
export class DriverPath {
  private readonly tags: ArrivalFifo[];
  private readonly deliverTo: ((arrivalUs: number) => void)[];
  private readonly pendingUs: Float64Array;
  private flushPending = false;
  private charge: ChargeSink | null = null;
  private readonly txPackets: number;

  constructor(
    private readonly params: DriverDomain,
    nGuestVms: number,
    /** Host-wide index of the driver domain's first vCPU (its vCPUs come after every guest's). */
    readonly firstVcpu: number,
    private readonly host: DriverHost,
    private readonly tap: DriverTap,
  ) {
    this.tags = Array.from({ length: params.vcpus }, () => new ArrivalFifo());
    this.deliverTo = new Array<(arrivalUs: number) => void>(nGuestVms).fill(noIo);
    this.pendingUs = new Float64Array(nGuestVms);
    this.txPackets = params.packetsPerRequest - params.rxPacketsPerRequest;
  }

  /** The driver domain's VM index in the host run: right after the guests. */
  get vmIndex(): number {
    return this.deliverTo.length;
  }

  /** chargesGuests says whether the driver's time is billed to guests (chargeDriverWork). */
  chargesGuests(): boolean {
    return this.params.chargeDriverWork;
  }

  /** chargeTo turns billing on: the policy's chargeFor receives each guest's driver time. */
  chargeTo(sink: ChargeSink): void {
    this.charge = sink;
  }

  /** register names how a guest's io stream takes a request once the driver has received it. */
  register(vm: number, deliver: (arrivalUs: number) => void): void {
    this.deliverTo[vm] = deliver;
  }

  /** receive: a request for guest vm reached the host at arrivalUs (now). */
  receive(vm: number, arrivalUs: number): void {
    const rx = this.params.rxPacketsPerRequest;
    if (rx === 0) return this.deliverTo[vm](arrivalUs);
    for (let k = 1; k <= rx; k++) this.push(vm, k === rx ? 1 : 0, arrivalUs);
  }

  /** transmit: guest vm served a request; its reply packets now cost driver CPU. */
  transmit(vm: number): void {
    const now = this.host.now();
    for (let k = 0; k < this.txPackets; k++) this.push(vm, 0, now);
  }

  /** ran: driver vCPU v spent us on its head packet. */
  ran(v: number, us: number): void {
    const vm = this.tags[v - this.firstVcpu].peek() >> 1;
    this.tap.driverWork(vm, us);
    if (this.charge === null) return;
    this.pendingUs[vm] += us;
    if (!this.flushPending) {
      this.flushPending = true;
      this.host.timer(this.host.now(), this.flush);
    }
  }

  /** popTag takes the tag of the packet driver vCPU v just finished. */
  popTag(v: number): number {
    return this.tags[v - this.firstVcpu].shift();
  }

  /** finished acts on a finished packet's tag: count it, and deliver the request if it was the last rx one. */
  finished(tag: number, arrivalUs: number): void {
    const vm = tag >> 1;
    this.tap.driverPacket(vm);
    if (tag & 1) this.deliverTo[vm](arrivalUs);
  }

  private push(vm: number, deliver: 0 | 1, arrivalUs: number): void {
    const i = vm % this.params.vcpus;
    this.tags[i].push(vm * 2 + deliver);
    this.host.submitRequest(this.firstVcpu + i, arrivalUs);
  }

  private readonly flush = (): void => {
    this.flushPending = false;
    const sink = this.charge;
    if (sink === null) return;
    for (let vm = 0; vm < this.pendingUs.length; vm++) {
      const us = this.pendingUs[vm];
      if (us <= 0) continue;
      this.pendingUs[vm] = 0;
      sink(vm, us);
    }
  };
}

function noIo(): void {
  throw new Error("driver-path: a request for a guest without an io stream");
}
