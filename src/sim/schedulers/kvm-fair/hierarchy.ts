import type { VcpuInfo } from "../../cpu-scheduler.js";
import { placeThread } from "./lone.js";
import { ENQ_WAKEUP, type FairCommon, type FairRules } from "./rules.js";
import { Entity, minSlice } from "./run-queue.js";
import { buildVms, CpuState, groupWeight, DELAYED, GroupOnCpu, QUEUED, RUNNING, SLEEPING, VcpuState, type ThreadInit, type VmState } from "./state.js";
import { TickDebt } from "./tick-debt.js";

/**
 * CfsHierarchy holds the two-level fair-class state of a host (root cfs_rq of VM group entities
 * per CPU, each group's cfs_rq of vCPU threads) and the moves that keep both levels consistent:
 * enqueue/dequeue across levels, run-time charging, group reweighting and throttling. Placement
 * and what charging triggers are the policy's rules; which thread runs where is the scheduler's.
 */
export class CfsHierarchy {
  readonly vcpus: readonly VcpuState[];
  readonly vms: readonly VmState[];
  readonly cpus: readonly CpuState[];
  /**
   * CPUs whose state changed since the scheduler last looked (see quiet-tick.ts): every move here
   * marks its CPU, and a multi-vCPU VM's load change marks them all (its group weights follow it).
   */
  readonly touched: Uint8Array;
  readonly touchedList: Int32Array;
  nTouched = 0;
  allTouched = true;
  /** Quiet ticks owed to CPUs (tick-debt.ts): updateCurr does them first. */
  readonly debt: TickDebt;

  constructor(
    readonly rules: FairRules,
    t: FairCommon,
    nCpus: number,
    infos: readonly VcpuInfo[],
    init: ThreadInit,
    busyBalanceUs: number,
    /** Keep every thread's thread-level values, a lone one's too (FairOptions.keepLoneThreads). */
    keepLone = false,
  ) {
    this.vms = buildVms(t, infos);
    this.vcpus = infos.map((info) => {
      const { weight, sliceUs } = init(info);
      const se = new Entity(info.index, weight);
      se.sliceUs = sliceUs;
      return new VcpuState(se, info.vmIndex, info.index % nCpus, !keepLone && info.vm.vcpus === 1);
    });
    this.cpus = Array.from(
      { length: nCpus },
      () => new CpuState(this.vms.map((vm, i) => new GroupOnCpu(new Entity(i, vm.shares)))),
    );
    this.touched = new Uint8Array(nCpus);
    this.touchedList = new Int32Array(nCpus);
    this.debt = new TickDebt(this, t.tickUs, busyBalanceUs);
  }

  /** touch marks CPU p as changed. */
  touch(p: number): void {
    if (this.touched[p] === 0) {
      this.touched[p] = 1;
      this.touchedList[this.nTouched++] = p;
    }
  }

  /** clearTouched forgets the marks once the scheduler has looked. */
  clearTouched(): void {
    for (let i = 0; i < this.nTouched; i++) this.touched[this.touchedList[i]] = 0;
    this.nTouched = 0;
    this.allTouched = false;
  }

  /** vmLoadChanged: a VM spread over CPUs changes every one of its group weights' targets. */
  private vmLoadChanged(vm: VmState): void {
    if (vm.spread) this.allTouched = true;
  }

  /** updateCurr charges the thread on CPU p (and its group entity) for the time since last charged. */
  updateCurr(p: number, nowUs: number): void {
    this.debt.sync(p);
    const cpu = this.cpus[p];
    const v = cpu.current;
    if (v < 0) return;
    const th = this.vcpus[v];
    const deltaUs = nowUs - th.se.execStartUs;
    if (deltaUs <= 0) return;
    const g = cpu.groups[th.vm];
    let inner = false;
    if (th.lone) {
      th.se.sumExecUs += deltaUs;
      th.se.execStartUs = nowUs;
    } else {
      th.se.charge(deltaUs, nowUs);
      inner = this.rules.charged(g.rq, th.se);
    }
    g.se.charge(deltaUs, nowUs);
    if (this.rules.charged(cpu.root, g.se) || inner) this.resched(cpu, p);
    th.lastRanUs = nowUs;
    const bw = this.vms[th.vm].bw;
    if (bw !== null && !bw.spend(g, deltaUs)) this.resched(cpu, p);
  }

  private resched(cpu: CpuState, p: number): void {
    cpu.needResched = true;
    this.touch(p);
  }

  /** enqueueThread puts v on CPU p's queue, placed by the rules (flags: ENQ_* bits). */
  enqueueThread(v: number, p: number, nowUs: number, flags: number): void {
    const th = this.vcpus[v];
    const cpu = this.cpus[p];
    const g = cpu.groups[th.vm];
    this.updateCurr(p, nowUs);
    this.touch(p);
    th.cpu = p;
    if (!th.lone) placeThread(this.rules, g.rq, th.se, flags);
    g.rq.account(th.se, 1);
    g.rq.insert(th.se);
    th.state = QUEUED;
    const vm = this.vms[th.vm];
    vm.loadWeight += th.se.weight;
    this.vmLoadChanged(vm);
    if (g.throttled) return;
    cpu.hNr++;
    if (g.se.onRq) {
      if (g.se.delayed) {
        // A delayed group entity wakes where it stands (requeue_delayed_entity).
        g.se.delayed = false;
        this.rules.requeueDelayed(cpu.root, g.se);
      }
      this.reweightGroup(th.vm, p);
      g.se.sliceUs = minSlice(g.rq);
    }
    // check_enqueue_throttle: a group arriving with no run time left and none in the pool stays off.
    else if (vm.bw !== null && !vm.bw.spend(g, 0)) this.throttle(th.vm, p);
    else this.enqueueGroup(th.vm, p);
  }

  /**
   * dequeueThread takes v off its queue, to sleep or to move to another CPU. A sleeper the rules
   * delay stays queued (DELAYED) until finishDelayed or a wake-up.
   */
  dequeueThread(v: number, nowUs: number, sleep: boolean): void {
    const th = this.vcpus[v];
    const cpu = this.cpus[th.cpu];
    const g = cpu.groups[th.vm];
    this.updateCurr(th.cpu, nowUs);
    this.touch(th.cpu);
    // A lone thread is never delayed: it is eligible on its own queue (lone.ts).
    if (!th.lone && this.rules.dequeueDelays(g.rq, th.se, sleep)) {
      th.state = DELAYED;
      th.se.delayed = true;
      g.nrDelayed++;
      if (!g.throttled) cpu.hNr--;
      return;
    }
    this.removeThread(th, sleep, true);
    if (!g.throttled) cpu.hNr--;
  }

  /** finishDelayed is the dequeue a delayed thread was spared: it leaves its queue for good. */
  finishDelayed(v: number): void {
    const th = this.vcpus[v];
    const g = this.cpus[th.cpu].groups[th.vm];
    g.nrDelayed--;
    // The rules see it still delayed while it leaves (DELAY_ZERO clips its lag then).
    this.removeThread(th, true, false);
    th.se.delayed = false;
  }

  /** requeueDelayed wakes a delayed thread where it is; true when it waits (is not curr). */
  requeueDelayed(v: number): boolean {
    const th = this.vcpus[v];
    const cpu = this.cpus[th.cpu];
    const g = cpu.groups[th.vm];
    this.touch(th.cpu);
    th.se.delayed = false;
    g.nrDelayed--;
    this.rules.requeueDelayed(g.rq, th.se);
    th.state = th.se === g.rq.curr ? RUNNING : QUEUED;
    if (!g.throttled) cpu.hNr++;
    return th.state === QUEUED;
  }

  /** removeThread: th leaves its queue; `lagKept` when dequeueDelays did beforeDequeue's part. */
  private removeThread(th: VcpuState, sleep: boolean, lagKept: boolean): void {
    const p = th.cpu;
    const g = this.cpus[p].groups[th.vm];
    this.touch(p);
    if (!lagKept) this.rules.beforeDequeue(g.rq, th.se);
    if (g.rq.curr === th.se) g.rq.curr = null;
    else g.rq.remove(th.se);
    g.rq.account(th.se, -1);
    if (!th.lone) {
      g.rq.updateMinVruntime();
      this.rules.afterDequeue(g.rq, th.se, sleep);
    }
    th.state = SLEEPING;
    const vm = this.vms[th.vm];
    vm.loadWeight -= th.se.weight;
    this.vmLoadChanged(vm);
    if (g.throttled) return;
    if (g.rq.nrRunning > 0) {
      this.reweightGroup(th.vm, p);
      g.se.sliceUs = minSlice(g.rq);
      return;
    }
    const cpu = this.cpus[p];
    // Group entities are delayed too (6.12): an ineligible one stays on the root queue, empty.
    if (this.rules.dequeueDelays(cpu.root, g.se, sleep)) g.se.delayed = true;
    else this.dequeueGroup(th.vm, p, true);
    if (vm.bw !== null) vm.bw.returnSlack(g);
  }

  /** finishDelayedGroup dequeues an empty group entity that was kept delayed on CPU p's root. */
  finishDelayedGroup(vm: number, p: number): void {
    this.touch(p);
    this.dequeueGroup(vm, p, false);
    this.cpus[p].groups[vm].se.delayed = false;
  }

  /** reweightGroup is update_cfs_group: the group entity's weight follows where the VM's load is. */
  reweightGroup(vm: number, p: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    const v = this.vms[vm];
    this.touch(p);
    this.rules.reweight(cpu.root, g.se, groupWeight(v, g));
  }

  /** throttle takes a group's threads off CPU p until its quota is refilled (throttle_cfs_rq). */
  throttle(vm: number, p: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    this.touch(p);
    g.throttled = true;
    cpu.hNr -= g.runnable;
    if (g.se.onRq) this.dequeueGroup(vm, p, false);
    g.se.delayed = false;
  }

  /** unthrottle puts a refilled group back on CPU p, placed like a wakeup (unthrottle_cfs_rq). */
  unthrottle(vm: number, p: number, nowUs: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    this.touch(p);
    g.throttled = false;
    if (g.rq.nrRunning === 0) return;
    this.updateCurr(p, nowUs);
    cpu.hNr += g.runnable;
    this.enqueueGroup(vm, p);
  }

  /** hLoad is task_h_load without the averaging: v's weight as its CPU's root queue sees it. */
  hLoad(v: number): number {
    const th = this.vcpus[v];
    const g = this.cpus[th.cpu].groups[th.vm];
    return g.rq.loadWeight > 0 ? (g.se.weight * th.se.weight) / g.rq.loadWeight : 0;
  }

  private enqueueGroup(vm: number, p: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    this.placeGroup(vm, p, minSlice(g.rq));
    cpu.root.insert(g.se);
  }

  /** placeGroup: VM vm's group entity joins CPU p's root (not its timeline yet) with that slice. */
  placeGroup(vm: number, p: number, sliceUs: number): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    g.se.weight = groupWeight(this.vms[vm], g);
    g.se.sliceUs = sliceUs;
    // Parents are enqueued with ENQUEUE_WAKEUP whatever brought the thread.
    this.rules.place(cpu.root, g.se, ENQ_WAKEUP);
    cpu.root.account(g.se, 1);
  }

  private dequeueGroup(vm: number, p: number, lagKept: boolean): void {
    const cpu = this.cpus[p];
    const g = cpu.groups[vm];
    if (!lagKept) this.rules.beforeDequeue(cpu.root, g.se);
    if (cpu.root.curr === g.se) cpu.root.curr = null;
    else cpu.root.remove(g.se);
    cpu.root.account(g.se, -1);
    cpu.root.updateMinVruntime();
    this.rules.afterDequeue(cpu.root, g.se, true);
  }
}
