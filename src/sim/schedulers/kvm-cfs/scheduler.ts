import type { KvmCfsParams } from "../../../model/scheduler.js";
import type { CpuScheduler, SchedContext, TimerHandle, VcpuInfo } from "../../cpu-scheduler.js";
import { findBusiest, movesAfterFailures, periodicImbalance, pickMigrant, selectIdleSibling } from "./balance.js";
import { CfsHierarchy, POLLING, QUEUED, RUNNING, SLEEPING, type VcpuState } from "./hierarchy.js";
import { tickExpires, wakeeWins } from "./preempt.js";
import { verifyHierarchy } from "./verify.js";
import { NICE_0_LOAD, niceToWeight, scaledTunables, type CfsTunables } from "./tunables.js";

/** KvmCfsOptions are knobs no scenario field carries yet (tests use them). */
export interface KvmCfsOptions {
  /** Nice value of each vCPU thread inside its VM's cgroup (default 0). */
  vcpuNice?: (info: VcpuInfo) => number;
  /** Check the run-queue invariants after every event and throw on the first broken one (slow). */
  verify?: boolean;
}

/** Busy CPUs balance sd->busy_factor times less often than idle ones (topology.c sd_init). */
const BUSY_FACTOR = 16;

/** createKvmCfs builds the KVM-on-CFS policy for one host (shared/reference/sim-fidelity.md 3). */
export function createKvmCfs(params: KvmCfsParams, nCpus: number, options: KvmCfsOptions = {}): CpuScheduler {
  return new KvmCfs(scaledTunables(params, nCpus), nCpus, options);
}

/**
 * KvmCfs runs each vCPU as a nice-0 host thread in its VM's cgroup under CFS (Linux <= 6.5), with
 * the VM's cpu.weight as the group's shares and capPercent as its quota. Work the kernel defers
 * (resched IPIs, softirq balancing) happens synchronously here.
 *
 * Not modelled: next/last/skip buddies (LAST_BUDDY only arms with >= nr_latency tasks, NEXT_BUDDY
 * is off), HRTICK (slices end at ticks), PELT (loads are instantaneous), adaptive halt_poll_ns
 * growth (the window is fixed), the bandwidth slack timer (returned slack waits for the refill).
 */
class KvmCfs implements CpuScheduler {
  readonly kind = "kvm-cfs" as const;
  private ctx!: SchedContext;
  private h!: CfsHierarchy;
  private pollTimers: (TimerHandle | null)[] = [];
  private pollExpired: (() => void)[] = [];
  private readonly busyBalanceUs: number;

  constructor(
    private readonly t: CfsTunables,
    private readonly nCpus: number,
    private readonly options: KvmCfsOptions,
  ) {
    // sd->balance_interval starts at the domain's CPU count in ms.
    this.busyBalanceUs = BUSY_FACTOR * nCpus * 1000;
  }

  start(ctx: SchedContext): void {
    if (ctx.nCpus !== this.nCpus) throw new Error(`kvm-cfs: built for ${this.nCpus} CPUs, host has ${ctx.nCpus}`);
    this.ctx = ctx;
    const nice = this.options.vcpuNice;
    this.h = new CfsHierarchy(this.t, this.nCpus, ctx.vcpus, (info) => (nice ? niceToWeight(nice(info)) : NICE_0_LOAD));
    this.pollTimers = new Array<TimerHandle | null>(this.nCpus).fill(null);
    this.pollExpired = Array.from({ length: this.nCpus }, (_, p) => () => this.endPollAt(p));
    ctx.at(this.t.tickUs, this.onTick);
    this.h.vms.forEach((vm, i) => {
      if (vm.bw === null) return;
      const onPeriod = (): void => {
        this.refillQuota(i);
        ctx.at(ctx.now() + this.t.cfsPeriodUs, onPeriod);
        this.verify();
      };
      ctx.at(this.t.cfsPeriodUs, onPeriod);
    });
  }

  wake(v: number): void {
    const th = this.thread(v);
    if (th.state === POLLING) {
      // Work arrived inside the halt-poll window: the thread never left the CPU.
      this.cancelPoll(th.cpu);
      th.state = RUNNING;
    } else {
      if (th.state !== SLEEPING) throw new Error(`kvm-cfs: wake of vCPU ${v}, which is not asleep`);
      const target = selectIdleSibling(this.h, th.cpu);
      const migrated = target !== th.cpu;
      // migrate_task_rq_fair: leave the old queue relative to its min_vruntime.
      if (migrated) th.se.vruntime -= this.h.cpus[th.cpu].groups[th.vm].rq.minVruntime;
      this.h.enqueueThread(v, target, this.ctx.now(), true, migrated);
      this.afterEnqueue(target, v);
    }
    this.verify();
  }

  block(v: number, p: number): void {
    const th = this.thread(v);
    const cpu = this.h.cpus[p];
    if (cpu.current !== v || th.state !== RUNNING) throw new Error(`kvm-cfs: block of vCPU ${v}, not running on CPU ${p}`);
    // kvm_vcpu_can_poll: poll only while this is the CPU's single task and no resched is pending.
    if (this.t.haltPollUs > 0 && cpu.hNr === 1 && !cpu.needResched) {
      th.state = POLLING;
      this.pollTimers[p] = this.ctx.at(this.ctx.now() + this.t.haltPollUs, this.pollExpired[p]);
    } else {
      this.h.dequeueThread(v, this.ctx.now(), true);
      this.schedule(p, false);
    }
    this.verify();
  }

  // ---- scheduling ------------------------------------------------------------------------------

  /**
   * afterEnqueue reacts to a thread becoming runnable on CPU p: an idle CPU runs it, a halt-poller
   * stops polling (single_task_running() turned false), a busy CPU checks wakeup preemption.
   */
  private afterEnqueue(p: number, v: number): void {
    const cpu = this.h.cpus[p];
    const cur = cpu.current;
    if (cur < 0 || cpu.needResched || this.h.vcpus[cur].state === POLLING) this.schedule(p, false);
    else if (wakeeWins(this.h.cpus[p], this.h.vcpus[cur], this.h.vcpus[v], this.t)) this.schedule(p, true);
  }

  /**
   * schedule is __schedule on CPU p: end a halt-poll, charge, throttle the outgoing group if its
   * run time is gone, pick (pulling from the busiest CPU when nothing is left), and switch.
   * `preempt` marks a tick or wakeup preemption, counted when another thread really takes over.
   */
  private schedule(p: number, preempt: boolean): void {
    const now = this.ctx.now();
    const cpu = this.h.cpus[p];
    const prev = cpu.current;
    if (prev >= 0 && this.h.vcpus[prev].state === POLLING) {
      // need_resched() ends the poll; the thread goes to sleep.
      this.cancelPoll(p);
      this.h.dequeueThread(prev, now, true);
    }
    this.h.updateCurr(p, now);
    cpu.needResched = false;
    if (prev >= 0) this.checkThrottle(p, prev);
    let next = this.pickNext(p);
    if (next < 0 && this.pullTo(p, now)) next = this.pickNext(p);
    const prevWaits = prev >= 0 && this.h.vcpus[prev].se.onRq;
    this.switchTo(p, next, now);
    if (preempt && prevWaits && next !== prev) this.ctx.count("preemption", prev);
  }

  /** checkThrottle is check_cfs_rq_runtime at put_prev: out of run time, pool empty -> throttle. */
  private checkThrottle(p: number, prev: number): void {
    const th = this.h.vcpus[prev];
    const g = this.h.cpus[p].groups[th.vm];
    const bw = this.h.vms[th.vm].bw;
    if (bw === null || !th.se.onRq || g.throttled || g.runtimeUs > 0) return;
    if (!bw.assign(g)) this.h.throttle(th.vm, p);
  }

  /** pickNext walks the hierarchy: the leftmost VM group entity, then its leftmost thread. */
  private pickNext(p: number): number {
    const cpu = this.h.cpus[p];
    const gse = cpu.root.pick();
    if (gse === null) return -1;
    const se = cpu.groups[gse.owner].rq.pick();
    if (se === null) throw new Error(`kvm-cfs: VM ${gse.owner} is queued on CPU ${p} with no thread`);
    return se.owner;
  }

  /**
   * switchTo puts the previous thread back (and its group entity, when the VM changes) and makes
   * next curr at each level whose entity changes; a level that keeps its curr keeps its slice.
   */
  private switchTo(p: number, next: number, now: number): void {
    const cpu = this.h.cpus[p];
    const prev = cpu.current;
    if (prev === next) return;
    const nextVm = next >= 0 ? this.h.vcpus[next].vm : -1;
    if (prev >= 0) {
      const th = this.h.vcpus[prev];
      const g = cpu.groups[th.vm];
      if (g.rq.curr === th.se) {
        g.rq.putCurr();
        th.state = QUEUED;
      }
      if (th.vm !== nextVm && cpu.root.curr === g.se) cpu.root.putCurr();
    }
    if (next >= 0) {
      const th = this.h.vcpus[next];
      const g = cpu.groups[th.vm];
      if (cpu.root.curr !== g.se) cpu.root.setCurr(g.se, now);
      g.rq.setCurr(th.se, now);
      th.state = RUNNING;
      th.lastRanUs = now;
    }
    cpu.current = next;
    this.ctx.dispatch(p, next >= 0 ? next : null);
  }

  // ---- periodic work ---------------------------------------------------------------------------

  /** onTick is scheduler_tick on every CPU (ticks are aligned across CPUs), then load balancing. */
  private readonly onTick = (): void => {
    const now = this.ctx.now();
    for (let p = 0; p < this.nCpus; p++) this.tickCpu(p, now);
    for (let p = 0; p < this.nCpus; p++) this.balanceCpu(p, now);
    this.ctx.at(now + this.t.tickUs, this.onTick);
    this.verify();
  };

  private tickCpu(p: number, now: number): void {
    const cpu = this.h.cpus[p];
    const v = cpu.current;
    if (v < 0) return;
    this.h.updateCurr(p, now);
    const th = this.h.vcpus[v];
    if (cpu.groups[th.vm].se.onRq) this.h.reweightGroup(th.vm, p);
    if (cpu.needResched) this.schedule(p, false);
    else if (tickExpires(cpu, th, this.t)) this.schedule(p, true);
  }

  /**
   * balanceCpu: an idle CPU pulls at every tick (the nohz idle balancer is kicked whenever some
   * CPU has a waiter); a busy one every busy_factor x balance_interval, moving a thread only if
   * that reduces the imbalance, or after a failed attempt when it would overshoot.
   */
  private balanceCpu(p: number, now: number): void {
    const cpu = this.h.cpus[p];
    if (cpu.current < 0) {
      if (this.pullTo(p, now)) this.schedule(p, false);
      return;
    }
    if (now < cpu.nextBalanceUs) return;
    cpu.nextBalanceUs = now + this.busyBalanceUs;
    const from = findBusiest(this.h, p);
    if (from < 0) return;
    const imbalance = periodicImbalance(this.h, from, p);
    if (imbalance === 0) return;
    const v = movesAfterFailures(imbalance, cpu.balanceFailures) ? this.migrate(from, p, now) : -1;
    if (v < 0) {
      cpu.balanceFailures++;
      return;
    }
    cpu.balanceFailures = 0;
    this.afterEnqueue(p, v); // attach_task -> check_preempt_curr; a halt-poller stops polling
  }

  /** pullTo is newidle balance: an idle CPU takes a waiting thread from the busiest CPU. */
  private pullTo(p: number, now: number): boolean {
    const from = findBusiest(this.h, p);
    return from >= 0 && this.h.cpus[from].hNr >= 2 && this.migrate(from, p, now) >= 0;
  }

  /** migrate moves the least recently run waiting thread of `from` to `to`; returns it or -1. */
  private migrate(from: number, to: number, now: number): number {
    const v = pickMigrant(this.h, from, to);
    if (v < 0) return -1;
    this.h.dequeueThread(v, now, false);
    this.h.enqueueThread(v, to, now, false, true);
    return v;
  }

  /** refillQuota is the period timer: count a throttled period, refill, pay debts, unthrottle. */
  private refillQuota(vm: number): void {
    const bw = this.h.vms[vm].bw;
    if (bw === null) return;
    const now = this.ctx.now();
    if (this.h.cpus.some((cpu) => cpu.groups[vm].throttled)) this.ctx.count("throttle", this.h.vms[vm].firstVcpu);
    bw.refill();
    for (let p = 0; p < this.nCpus; p++) {
      const cpu = this.h.cpus[p];
      const g = cpu.groups[vm];
      if (!g.throttled || !bw.payDebt(g)) continue;
      this.h.unthrottle(vm, p, now);
      // unthrottle_cfs_rq only kicks an idle CPU; a busy one meets the group at its next tick.
      const cur = cpu.current;
      if (cur < 0 || this.h.vcpus[cur].state === POLLING) this.schedule(p, false);
    }
  }

  // ---- halt-polling ----------------------------------------------------------------------------

  /** endPollAt: the halt-poll window on CPU p ran out without work; the thread sleeps. */
  private endPollAt(p: number): void {
    this.pollTimers[p] = null;
    this.schedule(p, false);
    this.verify();
  }

  private cancelPoll(p: number): void {
    const timer = this.pollTimers[p];
    if (timer !== null) timer.cancel();
    this.pollTimers[p] = null;
  }

  private verify(): void {
    if (this.options.verify === true) verifyHierarchy(this.h, this.ctx);
  }

  private thread(v: number): VcpuState {
    const th = this.h.vcpus[v];
    if (th === undefined) throw new RangeError(`kvm-cfs: no vCPU ${v}`);
    return th;
  }
}
