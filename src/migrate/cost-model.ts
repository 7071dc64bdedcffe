import type { Host, Vm } from "../model/cluster.js";
import type { MigrationPolicy } from "../model/fleet-policy.js";
import { cpuDemandVcpus } from "../model/workload.js";

/**
 * The pre-copy live-migration model (Clark et al., "Live Migration of Virtual Machines", NSDI
 * 2005; the analytic form of Akoush et al., "Predicting the Performance of Virtual Machine
 * Migration", MASCOTS 2010, and Liu et al., "Performance and Energy Modeling for Live Migration
 * of Virtual Machines", HPDC 2011). Round 0 copies all memory M over bandwidth R; each next round
 * copies what the VM dirtied (rate D) during the one before: V(i) = min(M, D·V(i-1)/R). When the
 * rest copies within the downtime target the VM pauses and the rest is copied (stop-and-copy);
 * after maxRounds rounds, or when a round no longer shrinks (D ≥ R), the stop-and-copy is forced
 * and the pause is as long as copying what is left. Pure arithmetic: O(rounds).
 */
export interface MigrationEstimate {
  /** From the first page copied to the VM running on the destination, s. */
  readonly durationSec: number;
  /** The pause: stop-and-copy of the last dirty pages plus the switch-over, ms. */
  readonly downtimeMs: number;
  /** Pre-copy rounds before the stop-and-copy. */
  readonly rounds: number;
  /** False when pre-copy could not shrink the dirty set below the target (forced stop-and-copy). */
  readonly converged: boolean;
  /** Memory sent over the link in all, MiB (rounds re-send dirtied pages). */
  readonly copiedMiB: number;
}

/** MiB/s a link of this many Mbit/s carries. */
export function mibPerSec(mbps: number): number {
  return (mbps * 1e6) / 8 / 1048576;
}

/** estimateMigration: duration and downtime of one pre-copy migration at bandwidth `mbps`. */
export function estimateMigration(memoryMiB: number, dirtyMiBps: number, mbps: number, policy: MigrationPolicy): MigrationEstimate {
  const r = mibPerSec(mbps);
  const target = policy.maxDowntimeMs / 1000;
  let left = memoryMiB;
  let copied = 0;
  let elapsed = 0;
  let rounds = 0;
  let converged = true;
  while (left / r > target) {
    if (rounds >= policy.maxRounds) {
      converged = false;
      break;
    }
    const t = left / r;
    elapsed += t;
    copied += left;
    rounds++;
    const next = Math.min(memoryMiB, dirtyMiBps * t);
    if (next >= left) {
      // The VM dirties pages as fast as the link copies them: more rounds cannot help.
      left = next;
      converged = false;
      break;
    }
    left = next;
  }
  const downtimeSec = left / r + policy.switchoverMs / 1000;
  return { durationSec: elapsed + downtimeSec, downtimeMs: downtimeSec * 1000, rounds, converged, copiedMiB: copied + left };
}

/** dirtyRateOf: the VM's own rate, else its mean CPU demand times the policy's rate per busy vCPU. */
export function dirtyRateOf(vm: Vm, policy: MigrationPolicy): number {
  return vm.dirtyRateMiBps ?? cpuDemandVcpus(vm.workload, vm.vcpus) * policy.dirtyMiBpsPerCpu;
}

/** linkMbps: what a host's link gives live migration. */
export function linkMbps(host: Host, policy: MigrationPolicy): number {
  return host.migrationBandwidthMbps ?? policy.bandwidthMbps;
}

/**
 * planningMbps: the bandwidth a move is costed at before it has a wave: its share of the slower
 * link when both hosts run as many migrations as the policy allows (the waves may give more).
 */
export function planningMbps(from: Host, to: Host, policy: MigrationPolicy): number {
  return Math.min(linkMbps(from, policy), linkMbps(to, policy)) / policy.concurrentPerHost;
}

/**
 * migrationCpuCores: the copy thread's CPU on a host whose link is busy with migrations. The link
 * is never oversubscribed and a wave keeps it full, so the host moves its whole link's worth.
 */
export function migrationCpuCores(host: Host, policy: MigrationPolicy): number {
  return (linkMbps(host, policy) / 1000) * policy.cpuCoresPerGbps;
}
