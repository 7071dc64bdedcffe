import type { KvmCfsParams } from "../../../model/scheduler.js";

/** NICE_0_LOAD is the weight of a nice-0 task and of a cgroup at cpu.weight 100 (core.c). */
export const NICE_0_LOAD = 1024;

/** MIN_SHARES is the floor calc_group_shares clamps a group entity's weight to (fair.c). */
export const MIN_SHARES = 2;

/**
 * SCHED_PRIO_TO_WEIGHT is kernel/sched/core.c `sched_prio_to_weight`, index nice + 20: each nice
 * step is about x1.25, so a task one level nicer gets about 10% less CPU than its peer.
 */
export const SCHED_PRIO_TO_WEIGHT: readonly number[] = [
  88761, 71755, 56483, 46273, 36291, // -20 .. -16
  29154, 23254, 18705, 14949, 11916, // -15 .. -11
  9548, 7620, 6100, 4904, 3906, // -10 .. -6
  3121, 2501, 1991, 1586, 1277, // -5 .. -1
  1024, 820, 655, 526, 423, // 0 .. 4
  335, 272, 215, 172, 137, // 5 .. 9
  110, 87, 70, 56, 45, // 10 .. 14
  36, 29, 23, 18, 15, // 15 .. 19
];

/** niceToWeight returns the load weight of a task at nice -20..19. */
export function niceToWeight(nice: number): number {
  if (!(Number.isInteger(nice) && nice >= -20 && nice <= 19)) throw new RangeError(`kvm-cfs: nice ${nice} is not in -20..19`);
  return SCHED_PRIO_TO_WEIGHT[nice + 20];
}

/**
 * cgroupWeightToShares maps cgroup v2 cpu.weight (1..10000, default 100) to the group's shares,
 * as sched_weight_from_cgroup does: round(weight x 1024 / 100). Hence cpu.weight cannot express
 * every nice weight exactly (80 -> 819, not 820).
 */
export function cgroupWeightToShares(cpuWeight: number): number {
  return Math.round((cpuWeight * NICE_0_LOAD) / 100);
}

/** tunableFactor is get_update_sysctl_factor(): how the base tunables grow with the CPU count. */
export function tunableFactor(scaling: KvmCfsParams["tunableScaling"], nCpus: number): number {
  const cpus = Math.min(Math.max(1, nCpus), 8);
  switch (scaling) {
    case "none":
      return 1;
    case "linear":
      return cpus;
    case "log":
      return 1 + Math.floor(Math.log2(cpus));
  }
}

/** CfsTunables are the effective (scaled) values the policy runs with, all in microseconds. */
export interface CfsTunables {
  readonly factor: number;
  readonly latencyUs: number;
  readonly minGranularityUs: number;
  readonly wakeupGranularityUs: number;
  /** sched_nr_latency: beyond this many runnable tasks the period stretches to nr x min_gran. */
  readonly nrLatency: number;
  /** place_entity's sleeper credit: latency, halved under GENTLE_FAIR_SLEEPERS. */
  readonly sleeperCreditUs: number;
  readonly tickUs: number;
  readonly haltPollUs: number;
  readonly cfsPeriodUs: number;
  readonly bandwidthSliceUs: number;
}

/** scaledTunables applies the scaling factor to the single-CPU base values of the params. */
export function scaledTunables(params: KvmCfsParams, nCpus: number): CfsTunables {
  const factor = tunableFactor(params.tunableScaling, nCpus);
  const latencyUs = params.latencyUs * factor;
  const minGranularityUs = params.minGranularityUs * factor;
  return {
    factor,
    latencyUs,
    minGranularityUs,
    wakeupGranularityUs: params.wakeupGranularityUs * factor,
    // DIV_ROUND_UP(latency, min_gran), recomputed by the kernel whenever either sysctl changes.
    nrLatency: Math.ceil(latencyUs / minGranularityUs),
    sleeperCreditUs: params.gentleFairSleepers ? latencyUs / 2 : latencyUs,
    tickUs: params.tickUs,
    haltPollUs: params.haltPollUs,
    cfsPeriodUs: params.cfsPeriodUs,
    bandwidthSliceUs: params.bandwidthSliceUs,
  };
}
