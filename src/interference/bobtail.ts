import type { SchedulerParams } from "../model/scheduler.js";

/** HostMix is the part of a host's composition the Bobtail rule reads. */
export interface HostMix {
  cores: number;
  scheduler: SchedulerParams;
  /** vCPUs of CPU-intensive VMs that sleep (duty < 1). */
  sleepyCpuVcpus: number;
  /** vCPUs of CPU-intensive VMs that never sleep (duty 1). */
  hogVcpus: number;
}

/** RiskLevel orders how likely the victim's tail is to blow up, from the mechanism alone. */
export type RiskLevel = "none" | "low" | "elevated" | "high";
export const RISK_ORDER: Record<RiskLevel, number> = { none: 0, low: 1, elevated: 2, high: 3 };

/** BobtailVerdict is the rule's answer for one latency-sensitive VM, with the numbers behind it. */
export interface BobtailVerdict {
  level: RiskLevel;
  /** Stable reason code: renderers turn it into a sentence. */
  reason:
    | "no-contention"
    | "bobtail"
    | "intra-vm-boost-failure"
    | "hogs-exact-accounting"
    | "sleepers-below-cores"
    | "cfs-gradual"
    | "credit2-bounded";
  scheduler: SchedulerParams["kind"];
  timesliceMs?: number;
  cores: number;
  sleepyCpuVcpus: number;
  hogVcpus: number;
  /** Condition 1: CPU-intensive vCPUs plus the victim's vCPU outnumber the cores. */
  outnumber: boolean;
  /** Condition 2: those CPU-intensive vCPUs sleep (so they wake boosted under credit1). */
  sleep: boolean;
}

/**
 * bobtailRule applies the two conditions of Bobtail (NSDI 2013) to one latency-sensitive VM.
 *
 * Under Xen credit1, a boosted IO vCPU waits long only when every pCPU runs BOOST/UNDER work it
 * may not preempt: sleepy CPU-bound vCPUs wake boosted and hold a core up to a whole timeslice.
 * The boundary (sim-fidelity.md errata 8) counts the victim's own vCPU: sleepy vCPUs + 1 > cores.
 * Hogs that never sleep are never boosted, so a boosted IO vCPU preempts them within the rate
 * limit; with exact accounting a light vCPU can still drift OVER now and then ("elevated").
 * A mixed victim never blocks for IO, is never boosted and waits a whole slice behind any
 * CPU-bound neighbour once the cores are full. CFS, EEVDF and credit2 have no cliff: waits are
 * bounded by a few ms (CFS/EEVDF slices) or the 10 ms credit2 timer, so they are "low" at most.
 */
export function bobtailRule(mix: HostMix, victim: { mixed: boolean; cpuVcpus: number }): BobtailVerdict {
  const others = mix.sleepyCpuVcpus + mix.hogVcpus - victim.cpuVcpus;
  const sleepersExclVictim = mix.sleepyCpuVcpus - (victim.mixed ? victim.cpuVcpus : 0);
  const base = {
    scheduler: mix.scheduler.kind,
    timesliceMs: mix.scheduler.kind === "xen-credit" ? mix.scheduler.timesliceMs : undefined,
    cores: mix.cores,
    sleepyCpuVcpus: mix.sleepyCpuVcpus,
    hogVcpus: mix.hogVcpus,
    outnumber: sleepersExclVictim + 1 > mix.cores,
    sleep: sleepersExclVictim > 0,
  };
  const full = others + 1 > mix.cores;
  if (mix.scheduler.kind !== "xen-credit") {
    const reason = mix.scheduler.kind === "xen-credit2" ? "credit2-bounded" : "cfs-gradual";
    return { ...base, level: full ? "low" : "none", reason: full ? reason : "no-contention" };
  }
  if (base.outnumber && base.sleep) return { ...base, level: "high", reason: "bobtail" };
  if (victim.mixed && full) return { ...base, level: "high", reason: "intra-vm-boost-failure" };
  if (mix.hogVcpus > 0 && full && mix.scheduler.accounting === "exact")
    return { ...base, level: "elevated", reason: "hogs-exact-accounting" };
  if (base.sleep && sleepersExclVictim + 1 === mix.cores) return { ...base, level: "low", reason: "sleepers-below-cores" };
  return { ...base, level: "none", reason: "no-contention" };
}
