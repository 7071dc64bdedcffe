import type { VcpuInfo } from "../../cpu-scheduler.js";
import { groupShares } from "../kvm-cfs/fair.js";
import { cgroupWeightToShares } from "../kvm-cfs/tunables.js";
import { Bandwidth, type CpuRuntime } from "./bandwidth.js";
import { PeltLoad } from "./load.js";
import type { FairCommon } from "./rules.js";
import { CfsRq, type Entity } from "./run-queue.js";

/*
 * The records the fair-class hierarchy is made of: a vCPU thread, a VM cgroup on one CPU, a CPU's
 * rq, a VM's cgroup, and their states. Separate from hierarchy.ts (the moves that keep them
 * consistent) because the policies' rules and the checks read them without moving anything.
 */

// Thread states. A polling thread is still on its run queue and on its CPU (KVM halt-polling); a
// delayed one sleeps but stays on its queue until it is eligible (EEVDF delayed dequeue).
export const SLEEPING = 0;
export const QUEUED = 1;
export const RUNNING = 2;
export const POLLING = 3;
export const DELAYED = 4;

/** VcpuState is a vCPU thread: its entity, its VM (cgroup) and the CPU whose queue it is on. */
export class VcpuState {
  state = SLEEPING;
  /** When it last ran: the load balancer moves the least recently run waiter (cfs_tasks' tail). */
  lastRanUs = -1;

  constructor(
    readonly se: Entity,
    readonly vm: number,
    public cpu: number,
    /**
     * Its VM has no other vCPU, so its group's queue on any CPU never holds a second thread:
     * nothing is ever compared with its thread-level vruntime, deadline or lag, and they are not
     * kept (see lone.ts). Its entity's queue membership, weight and exec start are.
     */
    readonly lone: boolean,
  ) {}
}

/** GroupOnCpu is a VM cgroup's presence on one CPU: its group entity and the cfs_rq it owns. */
export class GroupOnCpu implements CpuRuntime {
  readonly rq = new CfsRq();
  /** Bandwidth state of this cfs_rq (unused when the VM has no quota). */
  runtimeUs = 0;
  throttled = false;
  /** Delayed (sleeping but queued) threads: on the cfs_rq, not in h_nr_running. */
  nrDelayed = 0;

  constructor(readonly se: Entity) {}

  /** runnable is this group's part of h_nr_running when it is not throttled. */
  get runnable(): number {
    return this.rq.nrRunning - this.nrDelayed;
  }
}

/** CpuState is one CPU's rq: the root cfs_rq of group entities, and what runs there. */
export class CpuState {
  readonly root = new CfsRq();
  /** h_nr_running: threads runnable here, excluding those inside throttled groups. */
  hNr = 0;
  /** The vCPU dispatched here (running or halt-polling), -1 when idle. */
  current = -1;
  /** Charging asked for a reschedule (run time or slice gone): do it at the next chance. */
  needResched = false;
  nextBalanceUs = 0;
  /** sd->nr_balance_failed: periodic balance attempts that found an imbalance but moved nothing. */
  balanceFailures = 0;
  /** The root queue's runnable weight, averaged as PELT does: what load balancing compares. */
  readonly load = new PeltLoad();

  constructor(readonly groups: readonly GroupOnCpu[]) {}
}

/** VmState is a VM's cgroup: its shares, its load over all CPUs, and its quota if capped. */
export interface VmState {
  readonly shares: number;
  /** Sum of its queued threads' weights on all CPUs: tg->load_avg without the averaging. */
  loadWeight: number;
  readonly bw: Bandwidth | null;
  readonly firstVcpu: number;
  /** More than one vCPU: its threads can sit on several CPUs at once. */
  readonly spread: boolean;
}

/**
 * groupWeight is calc_group_shares for VM vm's group entity on one CPU. A VM with one vCPU has
 * all its load on that CPU (both loads are the same sum of its thread's integer weight, or 0), so
 * the formula gives its shares exactly ((s x L) / L in integers below 2^53, within the clamp):
 * the division is skipped for it (update_cfs_group runs at every enqueue, dequeue and tick).
 */
export function groupWeight(vm: VmState, g: GroupOnCpu): number {
  return vm.spread ? groupShares(vm.shares, g.rq.loadWeight, vm.loadWeight) : vm.shares;
}

/** ThreadInit gives a vCPU thread's weight and requested slice (0 = the policy's default). */
export type ThreadInit = (info: VcpuInfo) => { weight: number; sliceUs: number };

export function buildVms(t: FairCommon, infos: readonly VcpuInfo[]): VmState[] {
  const vms: VmState[] = [];
  for (const info of infos) {
    if (vms[info.vmIndex] !== undefined) continue;
    const capPercent = info.vm.capPercent;
    vms[info.vmIndex] = {
      shares: cgroupWeightToShares(info.vm.cpuWeight),
      loadWeight: 0,
      bw: capPercent > 0 ? new Bandwidth((capPercent / 100) * t.cfsPeriodUs, t.bandwidthSliceUs) : null,
      firstVcpu: info.index,
      spread: info.vm.vcpus > 1,
    };
  }
  return vms;
}
