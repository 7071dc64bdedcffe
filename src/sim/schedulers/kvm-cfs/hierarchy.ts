import type { VcpuInfo } from "../../cpu-scheduler.js";
import { Bandwidth, type CpuRuntime } from "./bandwidth.js";
import { groupShares, placeWakeupVruntime } from "./fair.js";
import { CfsRq, Entity } from "./run-queue.js";
import { cgroupWeightToShares, type CfsTunables } from "./tunables.js";

// Thread states. A polling thread is still on its run queue and on its CPU (KVM halt-polling).
export const SLEEPING = 0;
export const QUEUED = 1;
export const RUNNING = 2;
export const POLLING = 3;

/** VcpuState is a vCPU thread: its entity, its VM (cgroup) and the CPU whose queue it is on. */
export class VcpuState {
  state = SLEEPING;
  /** When it last ran: the load balancer moves the least recently run waiter (cfs_tasks' tail). */
  lastRanUs = -1;

  constructor(
    readonly se: Entity,
    readonly vm: number,
    public cpu: number,
  ) {}
}

/** GroupOnCpu is a VM cgroup's presence on one CPU: its group entity and the cfs_rq it owns. */
export class GroupOnCpu implements CpuRuntime {
  readonly rq = new CfsRq();
  /** Bandwidth state of this cfs_rq (unused when the VM has no quota). */
  runtimeUs = 0;
  throttled = false;

  constructor(readonly se: Entity) {}
}

/** CpuState is one CPU's rq: the root cfs_rq of group entities, and what runs there. */
export class CpuState {
  readonly root = new CfsRq();
  /** h_nr_running: threads runnable here, excluding those inside throttled groups. */
  hNr = 0;
  /** The vCPU dispatched here (running or halt-polling), -1 when idle. */
  current = -1;
  /** A bandwidth refill failed while running: reschedule (and throttle) at the next chance. */
  needResched = false;
  nextBalanceUs = 0;
  /** sd->nr_balance_failed: periodic balance attempts that found an imbalance but moved nothing. */
  balanceFailures = 0;

  constructor(readonly groups: readonly GroupOnCpu[]) {}
}

/** VmState is a VM's cgroup: its shares, its load over all CPUs, and its quota if capped. */
export interface VmState {
  readonly shares: number;
  /** Sum of its runnable threads' weights on all CPUs: tg->load_avg without the averaging. */
  loadWeight: number;
  readonly bw: Bandwidth | null;
  readonly firstVcpu: number;
}

/**
 * CfsHierarchy holds the two-level CFS state of a host (root cfs_rq of VM group entities per CPU,
 * each group's cfs_rq of vCPU threads) and the moves that keep both levels consistent:
 * enqueue/dequeue across levels, run-time charging, group reweighting and throttling.
 * Which thread runs where is the policy's business (scheduler.ts).
 */
export class CfsHierarchy {
  readonly vcpus: readonly VcpuState[];
  readonly vms: readonly VmState[];
  readonly cpus: readonly CpuState[];

  constructor(
    private readonly t: CfsTunables,
    nCpus: number,
    infos: readonly VcpuInfo[],
    threadWeight: (info: VcpuInfo) => number,
  ) {
    this.vms = buildVms(t, infos);
    this.vcpus = infos.map((info) => new VcpuState(new Entity(info.index, threadWeight(info)), info.vmIndex, info.index % nCpus));
    this.cpus = Array.from(
      { length: nCpus },
      () => new CpuState(this.vms.map((vm, i) => new GroupOnCpu(new Entity(i, vm.shares)))),
    );
  }

  /** updateCurr charges the thread on CPU p (and its group entity) for the time since last charged. */
  updateCurr(p: number, nowUs: number): void {
    const cpu = this.cpus[p];
    const v = cpu.current;
    if (v < 0) return;
    const th = this.vcpus[v];
    const deltaUs = nowUs - th.se.execStartUs;
    if (deltaUs <= 0) return;
    const g = cpu.groups[th.vm];
    th.se.charge(deltaUs, nowUs);
    g.se.charge(deltaUs, nowUs);
    g.rq.updateMinVruntime();
    cpu.root.updateMinVruntime();
    th.lastRanUs = nowUs;
    const bw = this.vms[th.vm].bw;
    if (bw !== null && !bw.spend(g, deltaUs)) cpu.needResched = true;
  }

  /**
   * enqueueThread puts v on CPU p's queue. A wakeup gets the sleeper-credit placement; a migrated
   * thread arrives with a vruntime relative to its old queue and is rebased on the new one.
   */
  enqueueThread(v: number, p: number, nowUs: number, wakeup: boolean, migrated: boolean): void {
    const th = this.vcpus[v];
    const cpu = this.cpus[p];
    const g = cpu.groups[th.vm];
    this.updateCurr(p, nowUs);
    th.cpu = p;
    if (migrated) th.se.vruntime += g.rq.minVruntime;
    if (wakeup) th.se.vruntime = placeWakeupVruntime(th.se.vruntime, g.rq.minVruntime, this.t);
    g.rq.account(th.se, 1);
    g.rq.insert(th.se);
    th.state = QUEUED;
    const vm = this.vms[th.vm];
    vm.loadWeight += th.se.weight;
    if (g.throttled) return;
    cpu.hNr++;
    if (g.se.onRq) this.reweightGroup(th.vm, p);
    // check_enqueue_throttle: a group arriving with no run time left and none in the pool stays off.
    else if (vm.bw !== null && !vm.bw.spend(g, 0)) this.throttle(th.vm, p);
    else this.enqueueGroup(th.vm, p);
  }

  /** dequeueThread takes v off its queue: to sleep (absolute vruntime kept) or to migrate (made relative). */
  dequeueThread(v: number, nowUs: number, sleep: boolean): void {
    const th = this.vcpus[v];
    const p = th.cpu;
    const cpu = this.cpus[p];
    const g = cpu.groups[th.vm];
    this.updateCurr(p, nowUs);
    if (g.rq.curr === th.se) g.rq.curr = null;
    else g.rq.remove(th.se);
    g.rq.account(th.se, -1);
    g.rq.updateMinVruntime();
    if (!sleep) th.se.vruntime -= g.rq.minVruntime;
    th.state = SLEEPING;
    const vm = this.vms[th.vm];
    vm.loadWeight -= th.se.weight;
    if (g.throttled) return;
    cpu.hNr--;
    if (g.rq.nrRunning > 0) {
      this.reweightGroup(th.vm, p);
      return;
    }
    this.dequeueGroup(th.vm, p);
    if (vm.bw !== null) vm.bw.returnSlack(g);
  }

  /** reweightGroup is update_cfs_group: the group entity's weight follows where the VM's load is. */
  reweightGroup(vm: number, p: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    const v = this.vms[vm];
    cpu.root.reweight(g.se, groupShares(v.shares, g.rq.loadWeight, v.loadWeight));
  }

  /** throttle takes a group's threads off CPU p until its quota is refilled (throttle_cfs_rq). */
  throttle(vm: number, p: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    g.throttled = true;
    cpu.hNr -= g.rq.nrRunning;
    if (g.se.onRq) this.dequeueGroup(vm, p);
  }

  /** unthrottle puts a refilled group back on CPU p, placed like a wakeup (unthrottle_cfs_rq). */
  unthrottle(vm: number, p: number, nowUs: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    g.throttled = false;
    if (g.rq.nrRunning === 0) return;
    this.updateCurr(p, nowUs);
    cpu.hNr += g.rq.nrRunning;
    this.enqueueGroup(vm, p);
  }

  private enqueueGroup(vm: number, p: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    const v = this.vms[vm];
    g.se.weight = groupShares(v.shares, g.rq.loadWeight, v.loadWeight);
    // Parents are enqueued with ENQUEUE_WAKEUP whatever brought the thread: a group entity
    // returning to a CPU gets the sleeper credit too.
    g.se.vruntime = placeWakeupVruntime(g.se.vruntime, cpu.root.minVruntime, this.t);
    cpu.root.account(g.se, 1);
    cpu.root.insert(g.se);
  }

  private dequeueGroup(vm: number, p: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    if (cpu.root.curr === g.se) cpu.root.curr = null;
    else cpu.root.remove(g.se);
    cpu.root.account(g.se, -1);
    cpu.root.updateMinVruntime();
  }
}

function buildVms(t: CfsTunables, infos: readonly VcpuInfo[]): VmState[] {
  const vms: VmState[] = [];
  for (const info of infos) {
    if (vms[info.vmIndex] !== undefined) continue;
    const capPercent = info.vm.capPercent;
    vms[info.vmIndex] = {
      shares: cgroupWeightToShares(info.vm.cpuWeight),
      loadWeight: 0,
      bw: capPercent > 0 ? new Bandwidth((capPercent / 100) * t.cfsPeriodUs, t.bandwidthSliceUs) : null,
      firstVcpu: info.index,
    };
  }
  return vms;
}
