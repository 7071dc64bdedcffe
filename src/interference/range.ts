import type { Host } from "../model/cluster.js";
import type { CalibratedRange } from "./model-data.js";
import type { VmProfile } from "./profile.js";

/**
 * Where a prediction leaves the range the interference model was fitted on. Every reason widens
 * the bound (predictor.ts) and is shown next to it; none stops a prediction.
 */

/** hostOutside: reasons from the host alone (core count, credit1 timeslice, a driver domain). */
export function hostOutside(host: Pick<Host, "scheduler" | "cores" | "driverDomain">, r: CalibratedRange): string[] {
  const out: string[] = [];
  if (host.cores < r.cores[0] || host.cores > r.cores[1]) out.push(`${host.cores} cores outside the calibrated ${r.cores[0]}-${r.cores[1]}`);
  if (host.scheduler.kind === "xen-credit" && !r.timesliceMs.includes(host.scheduler.timesliceMs))
    out.push(`credit1 timeslice ${host.scheduler.timesliceMs} ms not calibrated (${r.timesliceMs.join(", ")} ms are)`);
  if (host.driverDomain) out.push("driver domain: its hop and load are modelled, not calibrated");
  return out;
}

/** victimOutside: reasons from a latency-sensitive VM itself. */
export function victimOutside(p: VmProfile, r: CalibratedRange): string[] {
  const out: string[] = [];
  if (!p.io) return out;
  if (p.vcpus < r.victimVcpus[0] || p.vcpus > r.victimVcpus[1]) out.push(`${p.vcpus}-vCPU victim outside the calibrated ${r.victimVcpus[0]}-${r.victimVcpus[1]}`);
  if (p.io.requestsPerSec < r.requestsPerSec[0] || p.io.requestsPerSec > r.requestsPerSec[1])
    out.push(`${p.io.requestsPerSec} requests/s outside the calibrated ${r.requestsPerSec[0]}-${r.requestsPerSec[1]}`);
  if (p.io.serviceUs < r.serviceUs[0] || p.io.serviceUs > r.serviceUs[1]) out.push(`service ${p.io.serviceUs} us outside the calibrated ${r.serviceUs[0]}-${r.serviceUs[1]}`);
  return out;
}

/** Composition reasons a neighbour can bring; HostState counts VMs per reason (add/remove O(1)). */
export const NEIGHBOUR_REASONS = ["burst", "duty", "trace", "cap", "weight"] as const;
export const N_NEIGHBOUR_REASONS = NEIGHBOUR_REASONS.length;

/** neighbourFlags returns a bit per NEIGHBOUR_REASONS entry that this CPU-bound VM sets. */
export function neighbourFlags(p: VmProfile, r: CalibratedRange): number {
  if (!p.cpu && p.capPercent === 0) return 0;
  let f = 0;
  const burstMs = p.cpu ? p.cpu.burstUs / 1000 : 0;
  if (p.cpu && p.cpu.duty < 1 && (burstMs < r.burstMs[0] || burstMs > r.burstMs[1])) f |= 1;
  if (p.cpu && p.duty < r.duty[0]) f |= 2;
  if (p.kind === "trace") f |= 4;
  if (p.capPercent > 0) f |= 8;
  if (p.weight !== 256 || p.cpuWeight !== 100) f |= 16;
  return f;
}

/** neighbourReason says in words why a counted reason is outside the range. */
export function neighbourReason(i: number, r: CalibratedRange): string {
  switch (NEIGHBOUR_REASONS[i]) {
    case "burst":
      return `a CPU-bound neighbour's burst outside the calibrated ${r.burstMs[0]}-${r.burstMs[1]} ms`;
    case "duty":
      return `a CPU-bound neighbour's duty below the calibrated ${r.duty[0]}`;
    case "trace":
      return "a trace-driven neighbour (its duty varies; modelled at its 95th percentile)";
    case "cap":
      return "a capped VM (caps park vCPUs; not modelled)";
    case "weight":
      return "a VM with a non-default weight (not modelled)";
  }
}
