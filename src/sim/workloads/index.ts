import type { Vm } from "../../model/cluster.js";
import type { IoPart } from "../../model/workload.js";
import type { HostSim } from "../host-sim.js";
import { createRng, type Rng } from "../rng.js";
import { BurstProcess, constantDuty, type BurstShape, type DutyCycle } from "./bursts.js";
import { IoArrivals } from "./io.js";
import { ProbeLoop } from "./probe.js";
import { TickDodger } from "./tick-dodge.js";
import { traceDuty } from "./trace.js";

export interface WorkloadOptions {
  seed: number;
  /** Where in a trace series simulated time 0 sits (seconds of trace time). */
  traceStartSec?: number;
}

/**
 * installWorkload creates the VM's workload processes on its vCPUs (host-wide indices) and
 * schedules their first events. Random streams are named by VM id, so adding or reordering VMs
 * leaves every other VM's draws unchanged.
 *
 * mixed and trace+io: the io part and the burst part share the VM's vCPUs; see GuestWork for how
 * the guest orders them inside a vCPU.
 */
export function installWorkload(host: HostSim, vm: Vm, vcpus: readonly number[], opts: WorkloadOptions): void {
  const w = vm.workload;
  const rng = (part: string): Rng => createRng(opts.seed, `vm:${vm.id}:${part}`);
  const startIo = (part: IoPart): void =>
    new IoArrivals(host, vcpus, part, rng("io")).start();
  switch (w.kind) {
    case "idle":
      return;
    case "io":
      return startIo(w);
    case "cpu":
      return startBursts(host, vcpus, constantDuty(w.dutyCycle), shapeOf(w), rng);
    case "mixed":
      startIo(w.io);
      return startBursts(host, vcpus, constantDuty(w.cpu.dutyCycle), shapeOf(w.cpu), rng);
    case "trace":
      if (w.io) startIo(w.io);
      return startBursts(host, vcpus, traceDuty(w, opts.traceStartSec), traceShape(w.burstMs), rng);
    case "probe":
      if (w.io) startIo(w.io);
      return new ProbeLoop(host, vcpus[0], w).start(rng("probe"));
    case "tick-dodge": {
      const dodger = new TickDodger(host, w);
      for (const v of vcpus) dodger.start(v);
      return;
    }
  }
}

/** Trace series carry no burst distribution: exponential, the default of the cpu workload. */
function traceShape(burstMs: number): BurstShape {
  return { burstMs, distribution: "exponential" };
}

function shapeOf(p: { burstMs: number; burstDistribution: BurstShape["distribution"] }): BurstShape {
  return { burstMs: p.burstMs, distribution: p.burstDistribution };
}

/** startBursts gives every vCPU of the VM its own burst stream (`cpu:<k>`, k = vCPU within VM). */
function startBursts(
  host: HostSim,
  vcpus: readonly number[],
  duty: DutyCycle,
  shape: BurstShape,
  rng: (part: string) => Rng,
): void {
  // A VM's vCPUs are numbered consecutively; an array lookup, not a Map, runs once per burst.
  const first = vcpus[0] ?? 0;
  const streams = vcpus.map((v, k) => {
    if (v !== first + k) throw new Error(`workloads: vCPUs of a VM must be consecutive, got ${vcpus.join(",")}`);
    return rng(`cpu:${k}`);
  });
  const process = new BurstProcess(host, duty, shape, (v) => streams[v - first]);
  for (const v of vcpus) process.start(v);
}
