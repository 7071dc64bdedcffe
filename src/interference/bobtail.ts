import type { SchedulerParams } from "../model/scheduler.js";

/** HostMix is the part of a host's composition the Bobtail rule reads. */
export interface BobtailMix {
  cores: number;
  scheduler: SchedulerParams;
  /** vCPUs of CPU-intensive VMs that sleep (duty < 1). */
  sleepyCpuVcpus: number;
  /** vCPUs of CPU-intensive VMs that never sleep (duty 1). */
  hogVcpus: number;
}

/** BobtailReason: a stable code for the mechanism behind a victim's predicted harm; renderers word it. */
export type BobtailReason =
  | "no-contention"
  | "bobtail"
  | "intra-vm-boost-failure"
  | "hogs-exact-accounting"
  | "sleepers-below-cores"
  | "cfs-fresh-sleeper"
  | "credit2-bounded"
  | "eevdf-bounded";

/** BobtailVerdict is the rule's reason for one latency-sensitive VM, with the numbers behind it. */
export interface BobtailVerdict {
  reason: BobtailReason;
  scheduler: SchedulerParams["kind"];
  timesliceMs?: number;
  cores: number;
  sleepyCpuVcpus: number;
  hogVcpus: number;
  /** Condition 1: sleepy CPU-intensive vCPUs plus the victim's vCPU outnumber the cores. */
  outnumber: boolean;
  /** Condition 2: those CPU-intensive vCPUs sleep (so they wake boosted under credit1). */
  sleep: boolean;
}

/**
 * bobtailRule names the mechanism a latency-sensitive VM is exposed to, from counts alone (Bobtail,
 * NSDI 2013, with the victim's own vCPU counted: sim-fidelity errata 8). It explains; it does not
 * judge: how much harm follows is the predictor's estimate against the SLO (score.ts).
 *
 * Under credit1 a boosted IO vCPU waits long when every core runs BOOST work it may not preempt:
 * sleepy CPU-bound vCPUs wake boosted ("bobtail"); hogs are preempted, but exact accounting lets a
 * light vCPU drift OVER now and then ("hogs-exact-accounting"); a mixed victim's own CPU work keeps
 * it from blocking, so its IO is not boosted ("intra-vm-boost-failure"). Under CFS a freshly woken
 * CPU-bound thread sits on the same vruntime floor as the victim and cannot be preempted for up to
 * a slice ("cfs-fresh-sleeper", errata E7). credit2 and EEVDF bound waits by their timers and slices.
 */
export function bobtailRule(mix: BobtailMix, victim: { mixed: boolean; cpuVcpus: number }): BobtailVerdict {
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
  switch (mix.scheduler.kind) {
    case "kvm-cfs":
      return { ...base, reason: full && sleepersExclVictim > 0 ? "cfs-fresh-sleeper" : "no-contention" };
    case "xen-credit2":
      return { ...base, reason: full ? "credit2-bounded" : "no-contention" };
    case "kvm-eevdf":
      return { ...base, reason: full ? "eevdf-bounded" : "no-contention" };
    case "xen-credit":
      break;
  }
  if (base.outnumber && base.sleep) return { ...base, reason: "bobtail" };
  if (victim.mixed && full) return { ...base, reason: "intra-vm-boost-failure" };
  if (mix.hogVcpus > 0 && full && mix.scheduler.kind === "xen-credit" && mix.scheduler.accounting === "exact") return { ...base, reason: "hogs-exact-accounting" };
  if (base.sleep && sleepersExclVictim + 1 === mix.cores) return { ...base, reason: "sleepers-below-cores" };
  return { ...base, reason: "no-contention" };
}
