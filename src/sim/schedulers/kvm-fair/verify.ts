import type { SchedContext } from "../../cpu-scheduler.js";
import type { CfsHierarchy } from "./hierarchy.js";
import { DELAYED, POLLING, RUNNING, SLEEPING, type CpuState } from "./state.js";
import type { CfsRq } from "./run-queue.js";

/**
 * verifyHierarchy checks the invariants that tie the two fair-class levels, the per-CPU counts and
 * host-sim's view together, and throws on the first broken one. It costs O(vCPUs x CPUs) per call,
 * so the policy runs it only when asked (FairOptions.verify, used by the stress tests).
 */
export function verifyHierarchy(h: CfsHierarchy, ctx: SchedContext): void {
  h.cpus.forEach((cpu, p) => {
    verifyCpu(h, cpu, p);
    const shown = ctx.running(p);
    if (shown !== (cpu.current >= 0 ? cpu.current : null))
      fail(`CPU ${p} runs vCPU ${cpu.current} but host-sim shows ${shown}`);
  });
  h.vcpus.forEach((th, v) => {
    if ((th.state === SLEEPING) === th.se.onRq) fail(`vCPU ${v} in state ${th.state} with on_rq ${th.se.onRq}`);
    if ((th.state === DELAYED) !== th.se.delayed) fail(`vCPU ${v} in state ${th.state} with delayed ${th.se.delayed}`);
  });
  h.vms.forEach((vm, i) => {
    let load = 0;
    for (const th of h.vcpus) if (th.vm === i && th.se.onRq) load += th.se.weight;
    if (Math.abs(load - vm.loadWeight) > 1e-6) fail(`VM ${i} load ${vm.loadWeight}, threads say ${load}`);
  });
}

function verifyCpu(h: CfsHierarchy, cpu: CpuState, p: number): void {
  let hNr = 0;
  cpu.groups.forEach((g, vm) => {
    let nr = 0;
    let delayed = 0;
    for (const th of h.vcpus)
      if (th.cpu === p && th.vm === vm && th.se.onRq) {
        nr++;
        if (th.state === DELAYED) delayed++;
      }
    verifyRq(g.rq, nr, `CPU ${p} VM ${vm}`);
    if (delayed !== g.nrDelayed) fail(`CPU ${p} VM ${vm}: ${g.nrDelayed} delayed counted, ${delayed} found`);
    const shouldQueue = g.rq.nrRunning > 0 && !g.throttled;
    if (g.se.delayed && (g.rq.nrRunning > 0 || !g.se.onRq)) fail(`CPU ${p} VM ${vm}: delayed group entity with threads`);
    if (g.se.onRq !== (shouldQueue || g.se.delayed)) fail(`CPU ${p} VM ${vm}: group on_rq ${g.se.onRq}, expected ${shouldQueue}`);
    if (!g.throttled) hNr += g.runnable;
  });
  let groups = 0;
  for (const g of cpu.groups) if (g.se.onRq) groups++;
  verifyRq(cpu.root, groups, `CPU ${p} root`);
  if (hNr !== cpu.hNr) fail(`CPU ${p}: h_nr_running ${cpu.hNr}, queues hold ${hNr}`);
  const v = cpu.current;
  if (v < 0) {
    if (cpu.root.curr !== null || cpu.hNr !== 0) fail(`CPU ${p} idle with ${cpu.hNr} runnable`);
    return;
  }
  const th = h.vcpus[v];
  const g = cpu.groups[th.vm];
  if (th.cpu !== p || (th.state !== RUNNING && th.state !== POLLING)) fail(`vCPU ${v} on CPU ${p} in state ${th.state}`);
  if (g.rq.curr !== th.se || cpu.root.curr !== g.se) fail(`CPU ${p}: curr entities do not match vCPU ${v}`);
}

function verifyRq(rq: CfsRq, expectedNr: number, where: string): void {
  if (rq.nrRunning !== expectedNr) fail(`${where}: nr_running ${rq.nrRunning}, expected ${expectedNr}`);
  let load = rq.curr?.weight ?? 0;
  let left = rq.queue[0] ?? null;
  rq.queue.forEach((se, i) => {
    if (!se.onRq || se.qIndex !== i || se === rq.curr) fail(`${where}: queue slot ${i} is inconsistent`);
    load += se.weight;
    if (left !== null && (se.vruntime < left.vruntime || (se.vruntime === left.vruntime && se.seq < left.seq))) left = se;
  });
  if (rq.curr !== null && !rq.curr.onRq) fail(`${where}: curr is off the queue`);
  if (rq.queue.length + (rq.curr ? 1 : 0) !== rq.nrRunning) fail(`${where}: queue and curr do not add up`);
  if (Math.abs(load - rq.loadWeight) > 1e-6) fail(`${where}: load ${rq.loadWeight}, entities weigh ${load}`);
  if (left !== rq.leftmost) fail(`${where}: cached leftmost is stale`);
  let sum = 0;
  let avgLoad = 0;
  for (const se of rq.queue) {
    sum += se.weight * (se.vruntime - rq.minVruntime);
    avgLoad += se.weight;
  }
  // The running sums drift from a fresh scan by rounding only (relative 1e-9 of the terms' size).
  const scale = Math.max(1, avgLoad) * Math.max(1, Math.abs(sum) / Math.max(1, avgLoad));
  if (Math.abs(avgLoad - rq.avgLoad) > 1e-6 || Math.abs(sum - rq.avgSum) > 1e-9 * scale)
    fail(`${where}: avg_vruntime sums ${rq.avgSum}/${rq.avgLoad}, entities give ${sum}/${avgLoad}`);
}

function fail(message: string): never {
  throw new Error(`kvm-fair invariant: ${message}`);
}
