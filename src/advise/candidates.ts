import { chargingAdvice } from "../interference/driver-advice.js";
import { isLatencySensitive, profileVm } from "../interference/profile.js";
import type { Change, CostTier, OptionKind } from "../model/advice.js";
import type { Host, Vm } from "../model/cluster.js";
import { defaultScheduler, type SchedulerParams } from "../model/scheduler.js";
import { cpuDemandVcpus } from "../model/workload.js";

/**
 * Candidate is one what-if option before it is measured: the edits it makes and what it costs to
 * carry out. Candidates come in the order of how much they disturb: within a cost tier, the
 * recommendation prefers an earlier one when both meet every SLO without harming anyone.
 */
export interface Candidate {
  readonly id: string;
  readonly kind: OptionKind;
  readonly title: string;
  readonly tier: CostTier;
  readonly note: string;
  readonly changes: readonly Change[];
}

/** Credit1 timeslices tried, largest first: 5 ms is E5's point (p99.9 ~ min(slice, burst)), 1 ms Xen's floor. */
export const TIMESLICES_MS = [5, 2, 1] as const;
/** Victim weights: a Xen weight 4x the default share; a cpu.weight 10x (cgroup v2 allows 10000). */
const XEN_WEIGHT_FACTOR = 4;
const CPU_WEIGHT_FACTOR = 10;
/** Neighbour caps as a fraction of each neighbour's mean use: at its mean (clips only bursts), and tighter. */
export const CAP_FRACTIONS = [1, 0.75] as const;
const UPGRADE: Partial<Record<SchedulerParams["kind"], SchedulerParams["kind"]>> = { "xen-credit": "xen-credit2", "kvm-cfs": "kvm-eevdf" };
const NAMES: Record<SchedulerParams["kind"], string> = { "xen-credit": "Xen credit1", "xen-credit2": "Xen credit2", "kvm-cfs": "Linux CFS", "kvm-eevdf": "Linux EEVDF" };

const TUNE_NOTE = "a parameter changed live, no restart and no copy";

/** HostVms: a host and the VMs on it now. */
export interface HostVms {
  readonly host: Host;
  readonly vms: readonly Vm[];
}

/**
 * candidatesFor lists the options for one host that need no migration, by its scheduler: the
 * upgrade (credit1 -> credit2, CFS -> EEVDF), the scheduler's own knobs, the latency-sensitive
 * VMs' weight or slice, and caps on the CPU-bound neighbours. "current" comes first.
 */
export function candidatesFor({ host, vms }: HostVms): Candidate[] {
  const victims = vms.filter((v) => isLatencySensitive(profileVm(v)));
  const neighbours = vms.filter((v) => !victims.includes(v) && profileVm(v).cpuVcpus > 0);
  const s = host.scheduler;
  const out: Candidate[] = [{ id: "current", kind: "current", title: `keep ${host.id} as it is (${NAMES[s.kind]})`, tier: "none", note: "nothing to do", changes: [] }];
  out.push(...victimWeight(host, victims));
  if (s.kind === "kvm-eevdf") out.push(...victimSlice(victims, s.kind));
  if (s.kind === "xen-credit" || s.kind === "xen-credit2") out.push(...ratelimitOff(host));
  if (s.kind === "xen-credit") out.push(...timeslices(host, s.timesliceMs, s.ratelimitUs));
  out.push(...caps(neighbours, host.scheduler.kind));
  out.push(...driverCharging(host, vms));
  out.push(...upgrades(host, victims));
  return out;
}

function victimWeight(host: Host, victims: readonly Vm[]): Candidate[] {
  const xen = host.scheduler.kind.startsWith("xen");
  const param = xen ? "weight" : "cpuWeight";
  const changes: Change[] = victims.flatMap((v) => {
    const from = xen ? v.weight : v.cpuWeight;
    const to = xen ? Math.min(65535, from * XEN_WEIGHT_FACTOR) : Math.min(10000, from * CPU_WEIGHT_FACTOR);
    return to > from ? [{ kind: "vm-param", vmId: v.id, param, from, to }] : [];
  });
  if (changes.length === 0) return [];
  const to = changes.map((c) => (c.kind === "vm-param" ? c.to : 0));
  const what = xen ? `Xen weight ${XEN_WEIGHT_FACTOR}x` : `cgroup cpu.weight ${CPU_WEIGHT_FACTOR}x`;
  return [{ id: `victim-weight:${Math.max(...to)}`, kind: "victim-weight", title: `give the latency-sensitive VM(s) ${what} (${to.join(", ")})`, tier: "tune", note: TUNE_NOTE, changes }];
}

/**
 * victimSlice gives each latency-sensitive VM's vCPU threads a short EEVDF slice: the shortest
 * (100 µs, the kernel's floor) that still covers one request's CPU, rounded up to 100 µs, since a
 * request that outlasts its slice queues a second time.
 */
function victimSlice(victims: readonly Vm[], kind: SchedulerParams["kind"]): Candidate[] {
  const changes: Change[] = victims.flatMap((v) => {
    const io = profileVm(v).io;
    const to = Math.max(100, Math.ceil((io?.serviceUs ?? 100) / 100) * 100);
    return v.schedRuntimeUs !== undefined && v.schedRuntimeUs <= to ? [] : [{ kind: "vm-param", vmId: v.id, param: "schedRuntimeUs", from: v.schedRuntimeUs, to }];
  });
  if (changes.length === 0) return [];
  const to = Math.max(...changes.map((c) => (c.kind === "vm-param" ? c.to : 0)));
  return [{ id: `victim-slice:${to}`, kind: "victim-slice", title: `give the latency-sensitive VM(s) a ${to} µs EEVDF slice (sched_runtime)${kind === "kvm-eevdf" ? "" : " after the upgrade"}`, tier: "tune", note: TUNE_NOTE, changes }];
}

function ratelimitOff(host: Host): Candidate[] {
  const s = host.scheduler;
  if ((s.kind !== "xen-credit" && s.kind !== "xen-credit2") || s.ratelimitUs === 0) return [];
  const change: Change = { kind: "scheduler-param", hostId: host.id, param: "ratelimitUs", from: s.ratelimitUs, to: 0 };
  return [{ id: "ratelimit:0", kind: "ratelimit", title: `turn the scheduler rate limit off (sched_ratelimit_us ${s.ratelimitUs} -> 0)`, tier: "tune", note: TUNE_NOTE, changes: [change] }];
}

/** timeslices: shorter credit1 slices; Xen caps the rate limit at the slice, so it follows. */
function timeslices(host: Host, currentMs: number, ratelimitUs: number): Candidate[] {
  return TIMESLICES_MS.filter((t) => t < currentMs).map((t) => {
    const changes: Change[] = [{ kind: "scheduler-param", hostId: host.id, param: "timesliceMs", from: currentMs, to: t }];
    if (ratelimitUs > t * 1000) changes.push({ kind: "scheduler-param", hostId: host.id, param: "ratelimitUs", from: ratelimitUs, to: t * 1000 });
    return { id: `timeslice:${t}`, kind: "timeslice", title: `shorten the credit1 timeslice to ${t} ms (sched_credit_tslice_ms ${currentMs} -> ${t})`, tier: "tune", note: `${TUNE_NOTE}; more context switches`, changes };
  });
}

/** caps limits each CPU-bound neighbour to a fraction of its mean use, in 5% steps of one CPU. */
function caps(neighbours: readonly Vm[], kind: SchedulerParams["kind"]): Candidate[] {
  if (neighbours.length === 0) return [];
  const what = kind.startsWith("xen") ? "Xen cap" : "CFS quota (cpu.max)";
  return CAP_FRACTIONS.flatMap((f) => {
    const changes: Change[] = neighbours.flatMap((v) => {
      const to = Math.max(5, Math.ceil((cpuDemandVcpus(v.workload, v.vcpus) * f * 100) / 5) * 5);
      return v.capPercent > 0 && v.capPercent <= to ? [] : [{ kind: "vm-param", vmId: v.id, param: "capPercent", from: v.capPercent, to }];
    });
    if (changes.length === 0) return [];
    const label = f === 1 ? "at its mean use" : `at ${Math.round(f * 100)}% of its mean use`;
    return [{ id: `cap-neighbours:${Math.round(f * 100)}`, kind: "cap-neighbours", title: `put a ${what} on each of ${changes.length} CPU-bound neighbour(s), ${label}`, tier: "tune", note: `${TUNE_NOTE}; the neighbours' bursts are clipped`, changes }];
  });
}

/**
 * driverCharging bills the driver domain's CPU to the guests that cause it, on a host with a
 * driver domain that does not yet: it takes back what IO-heavy guests got beyond their share
 * (chargingAdvice says how much the predictor expects), which may also change their tails.
 */
function driverCharging(host: Host, vms: readonly Vm[]): Candidate[] {
  const d = host.driverDomain;
  const judged = chargingAdvice(host, vms);
  if (d === undefined || d.chargeDriverWork || judged === undefined) return [];
  const change: Change = { kind: "driver-param", hostId: host.id, param: "chargeDriverWork", from: false, to: true };
  const note = `${TUNE_NOTE}; ${judged.reason} (enforced ${judged.enforcement === "exact" ? "within 2%" : "in part"} by this scheduler)`;
  return [{ id: "driver-charging:on", kind: "driver-charging", title: `charge the driver domain's CPU to the guests that cause it on ${host.id}`, tier: "tune", note, changes: [change] }];
}

/** upgrades: the newer scheduler of the same hypervisor (the host's shared knobs carried over). */
function upgrades(host: Host, victims: readonly Vm[]): Candidate[] {
  const from = host.scheduler;
  const kind = UPGRADE[from.kind];
  if (kind === undefined) return [];
  const to = carryOver(from, kind);
  const change: Change = { kind: "scheduler", hostId: host.id, from, to };
  const what = from.kind === "xen-credit" ? "a hypervisor upgrade or a credit2 cpupool" : "a kernel upgrade to Linux 6.6 or later";
  const base: Candidate = { id: `scheduler:${kind}`, kind: "scheduler", title: `switch ${host.id} from ${NAMES[from.kind]} to ${NAMES[kind]}`, tier: "upgrade", note: `a maintenance event: ${what}`, changes: [change] };
  const slice = kind === "kvm-eevdf" ? victimSlice(victims, from.kind)[0] : undefined;
  if (slice === undefined) return [base];
  return [base, { ...base, id: `${base.id}+${slice.id}`, title: `${base.title}, and ${slice.title.replace(" after the upgrade", "")}`, changes: [change, ...slice.changes] }];
}

/** carryOver: the new kind's defaults with the knobs both kinds share kept at the host's values. */
function carryOver(from: SchedulerParams, kind: SchedulerParams["kind"]): SchedulerParams {
  const to = defaultScheduler(kind);
  if (from.kind === "xen-credit" && to.kind === "xen-credit2") return { ...to, ratelimitUs: from.ratelimitUs };
  if (from.kind === "kvm-cfs" && to.kind === "kvm-eevdf") {
    const { tickUs, tunableScaling, haltPollUs, cfsPeriodUs, bandwidthSliceUs } = from;
    return { ...to, tickUs, tunableScaling, haltPollUs, cfsPeriodUs, bandwidthSliceUs };
  }
  return to;
}
