import { NO_TIMER, type CpuScheduler, type SchedContext } from "../../cpu-scheduler.js";
import {
  CACHE_NICE_TRIES,
  findBusiest,
  findLoadImbalance,
  fitsImbalance,
  needsActiveBalance,
  pickMigrant,
  selectIdleSibling,
} from "./balance.js";
import { chargeGroup } from "./driver-charge.js";
import { CfsHierarchy, DELAYED, POLLING, QUEUED, RUNNING, SLEEPING, type ThreadInit, type VcpuState } from "./hierarchy.js";
import { tickDecay } from "./load.js";
import { LazyPolls } from "./lazy-poll.js";
import { cpuQuiet, LazyTicks } from "./quiet-tick.js";
import { ENQ_MIGRATED, ENQ_WAKEUP, type FairCommon, type FairRules } from "./rules.js";
import { verifyHierarchy } from "./verify.js";

/** FairOptions are knobs no scenario field carries (tests use them). */
export interface FairOptions {
  /** Check the run-queue invariants after every event and throw on the first broken one (slow). */
  verify?: boolean;
  /**
   * Queue every tick as an event and do it on every CPU, quiet or not, and every halt-poll
   * expiry as a timer (tests compare this with the ticks owed to quiet CPUs and lazy expiries).
   */
  everyTick?: boolean;
  /** Queue every halt-poll expiry as a timer, ticks as usual (tests compare it with lazy-poll.ts). */
  timedPolls?: boolean;
}

/** Busy CPUs balance sd->busy_factor times less often than idle ones (topology.c sd_init). */
const BUSY_FACTOR = 16;

/**
 * FairScheduler runs each vCPU as a host thread in its VM's cgroup under Linux's fair class, with
 * the VM's cpu.weight as the group's shares and capPercent as its quota. The policy-specific parts
 * (CFS or EEVDF placement, picking, preemption) are its FairRules. Work the kernel defers (resched
 * IPIs, softirq balancing) happens synchronously here.
 *
 * Not modelled: next/last/skip buddies, HRTICK (slices end at ticks), adaptive halt_poll_ns
 * growth (the window is fixed), the bandwidth slack timer (returned slack waits for the refill).
 */
export class FairScheduler implements CpuScheduler {
  private ctx!: SchedContext;
  private h!: CfsHierarchy;
  /** The pending halt-poll timer() id per CPU, NO_TIMER when none. */
  private pollTimers = new Float64Array(0);
  private readonly busyBalanceUs: number;
  private readonly decay: number;
  private ticks!: LazyTicks;
  /** Per CPU, whether the tick running now is done on it as an event (1) or owed (0). */
  private ticking = new Uint8Array(0);
  /** Halt-poll windows kept without a timer while every CPU is quiet (lazy-poll.ts). */
  private polls = new LazyPolls(0);
  /**
   * Whether windows may be kept lazily: not with quota (period timers read CPUs at instants of
   * their own), a driver domain billing guests (chargeFor timers of the expiry's instant) or
   * everyTick; there the expiries stay timers.
   */
  private lazyPolls = false;

  constructor(
    readonly kind: "kvm-cfs" | "kvm-eevdf",
    private readonly rules: FairRules,
    private readonly t: FairCommon,
    private readonly nCpus: number,
    private readonly init: ThreadInit,
    private readonly options: FairOptions = {},
  ) {
    // sd->balance_interval starts at the domain's CPU count in ms.
    this.busyBalanceUs = BUSY_FACTOR * nCpus * 1000;
    this.decay = tickDecay(t.tickUs);
  }

  start(ctx: SchedContext): void {
    if (ctx.nCpus !== this.nCpus) throw new Error(`${this.kind}: built for ${this.nCpus} CPUs, host has ${ctx.nCpus}`);
    this.ctx = ctx;
    this.h = new CfsHierarchy(this.rules, this.t, this.nCpus, ctx.vcpus, this.init, this.busyBalanceUs);
    this.pollTimers = new Float64Array(this.nCpus).fill(NO_TIMER);
    this.ticking = new Uint8Array(this.nCpus);
    this.ticks = new LazyTicks(ctx, this.h, this.t.tickUs, this.onTick, this.options.everyTick === true);
    this.polls = new LazyPolls(this.nCpus);
    const timed = this.options.everyTick === true || this.options.timedPolls === true;
    this.lazyPolls = !timed && !ctx.chargesDriverWork && this.h.vms.every((vm) => vm.bw === null);
    this.h.vms.forEach((vm, i) => {
      if (vm.bw !== null) ctx.timer(this.t.cfsPeriodUs, this.onPeriod, i);
    });
  }

  private readonly onPeriod = (vm: number): void => {
    this.enter(this.t.cfsPeriodUs <= this.t.tickUs);
    this.refillQuota(vm);
    this.ctx.timer(this.ctx.now() + this.t.cfsPeriodUs, this.onPeriod, vm);
    this.leave();
  };

  /**
   * enter and leave bracket each of the policy's events (see LazyTicks): windows that ended
   * before this instant are closed first, and once some CPU is noisy the kept ones become timers.
   */
  private enter(tickFirst = false): void {
    if (this.polls.nextUs < this.ctx.now()) this.settle();
    this.ticks.enter(tickFirst);
  }

  private leave(): void {
    if (this.polls.count === 0) this.ticks.leave();
    else {
      // Kept windows become timers before a resumed tick is queued: they began first.
      const quiet = this.ticks.quietNow();
      if (!quiet || this.polls.pinned > 0) this.pollsToTimers();
      this.ticks.resume(!quiet);
    }
    this.verify();
  }

  /** settle (CpuScheduler): the kept halt-poll windows that ended before now expire, in order. */
  settle(): void {
    const now = this.ctx.now();
    for (let p = this.polls.first(); p >= 0 && this.polls.endOf(p) < now; p = this.polls.first()) {
      const endUs = this.polls.endOf(p);
      this.polls.remove(p);
      this.ticks.owe(endUs, this.t.haltPollUs < this.t.tickUs);
      // Every CPU has been quiet since the last event: no CPU has a thread to pull.
      if (this.options.verify === true && this.h.cpus.some((c) => c.hNr > 1)) this.fail(`late halt-poll expiry on CPU ${p} with a thread to pull`);
      this.schedule(p, false, endUs, false);
      if (this.h.cpus[p].current >= 0) this.fail(`late halt-poll expiry on CPU ${p} found a thread to run`);
    }
  }

  /** pollsToTimers queues the kept windows as timers, in the order they began (block order). */
  private pollsToTimers(): void {
    for (let p = this.polls.first(); p >= 0; p = this.polls.first()) {
      this.pollTimers[p] = this.ctx.timer(this.polls.endOf(p), this.endPollAt, p);
      this.polls.remove(p);
    }
  }

  wake(v: number): void {
    this.enter();
    const th = this.thread(v);
    // Its old queue is read below (lag, min_vruntime) before any updateCurr syncs that CPU.
    this.h.debt.sync(th.cpu);
    if (th.state === POLLING) {
      // Work arrived inside the halt-poll window: the thread never left the CPU.
      this.cancelPoll(th.cpu);
      th.state = RUNNING;
    } else if (th.state === DELAYED) {
      // Still on its queue (ttwu_runnable): it wakes where it is, no CPU selection.
      if (this.h.requeueDelayed(v)) this.afterEnqueue(th.cpu, v);
    } else {
      if (th.state !== SLEEPING) this.fail(`wake of vCPU ${v}, which is not asleep`);
      const target = selectIdleSibling(this.h, th.cpu);
      const migrated = target !== th.cpu;
      if (migrated) this.rules.leaveForWake(this.h.cpus[th.cpu].groups[th.vm].rq, th.se);
      this.h.enqueueThread(v, target, this.ctx.now(), ENQ_WAKEUP | (migrated ? ENQ_MIGRATED : 0));
      this.afterEnqueue(target, v);
    }
    this.leave();
  }

  block(v: number, p: number): void {
    this.enter();
    const th = this.thread(v);
    const cpu = this.h.cpus[p];
    if (cpu.current !== v || th.state !== RUNNING) this.fail(`block of vCPU ${v}, not running on CPU ${p}`);
    // kvm_vcpu_can_poll: poll only while this is the CPU's single task and no resched is pending.
    if (this.t.haltPollUs > 0 && cpu.hNr === 1 && !cpu.needResched) {
      th.state = POLLING;
      const endUs = this.ctx.now() + this.t.haltPollUs;
      // A VM spread over CPUs re-targets its group weights elsewhere when it sleeps (noise the
      // tick must see at its instant): its window is queued as a timer at leave, in block order.
      if (this.lazyPolls) this.polls.add(p, endUs, this.h.vms[th.vm].spread);
      else this.pollTimers[p] = this.ctx.timer(endUs, this.endPollAt, p);
    } else {
      this.h.dequeueThread(v, this.ctx.now(), true);
      this.schedule(p, false);
    }
    this.leave();
  }

  /** chargeFor (CpuScheduler): the VM's cgroup pays its vhost time in vruntime and quota. */
  chargeFor(vm: number, us: number): void {
    // The driver path bills from a timer set for the same microsecond, so a tick due then (queued
    // a tick ahead) runs first.
    this.enter(true);
    const p = chargeGroup(this.h, this.rules, vm, us);
    if (p >= 0) this.schedule(p, true);
    this.leave();
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
    else if (this.rules.wakeupPreempts(cpu, this.h.vcpus[cur], this.h.vcpus[v])) this.schedule(p, true);
  }

  /**
   * schedule is __schedule on CPU p: end a halt-poll, charge, throttle the outgoing group if its
   * run time is gone, pick (pulling from the busiest CPU when nothing is left), and switch.
   * `preempt` marks a tick or wakeup preemption, counted when another thread really takes over.
   * A late halt-poll expiry passes its own instant as `now`, and `mayPull` false: it is done
   * only where no CPU has a thread to pull.
   */
  private schedule(p: number, preempt: boolean, now = this.ctx.now(), mayPull = true): void {
    const cpu = this.h.cpus[p];
    const prev = cpu.current;
    this.h.touch(p);
    if (prev >= 0 && this.h.vcpus[prev].state === POLLING) {
      // need_resched() ends the poll; the thread goes to sleep.
      this.cancelPoll(p);
      this.h.dequeueThread(prev, now, true);
    }
    this.h.updateCurr(p, now);
    cpu.needResched = false;
    if (prev >= 0) this.checkThrottle(p, prev);
    let next = this.pickNext(p);
    if (next < 0 && mayPull && this.pullTo(p, now)) next = this.pickNext(p);
    const prevRuns = prev >= 0 && this.h.vcpus[prev].state === RUNNING && !cpu.groups[this.h.vcpus[prev].vm].throttled;
    this.switchTo(p, next, now);
    if (preempt && prevRuns && next !== prev) this.ctx.count("preemption", prev);
  }

  /** checkThrottle is check_cfs_rq_runtime at put_prev: out of run time, pool empty -> throttle. */
  private checkThrottle(p: number, prev: number): void {
    const th = this.h.vcpus[prev];
    const g = this.h.cpus[p].groups[th.vm];
    const bw = this.h.vms[th.vm].bw;
    if (bw === null || !th.se.onRq || g.throttled || g.runtimeUs > 0) return;
    if (!bw.assign(g)) this.h.throttle(th.vm, p);
  }

  /**
   * pickNext walks the hierarchy: the rules' pick among VM group entities, then among that
   * group's threads. A delayed thread that comes up is dequeued for good instead (pick_next_entity
   * finishing a delayed dequeue), and the walk starts again.
   */
  private pickNext(p: number): number {
    const cpu = this.h.cpus[p];
    for (;;) {
      const gse = this.rules.pick(cpu.root);
      if (gse === null) return -1;
      if (gse.delayed) {
        this.h.finishDelayedGroup(gse.owner, p);
        continue;
      }
      const se = this.rules.pick(cpu.groups[gse.owner].rq);
      if (se === null) throw new Error(`${this.kind}: VM ${gse.owner} is queued on CPU ${p} with no thread`);
      if (!se.delayed) return se.owner;
      this.h.finishDelayed(se.owner);
    }
  }

  /**
   * switchTo puts the previous thread back (and its group entity, when the VM changes) and makes
   * next curr at each level whose entity changes; a level that keeps its curr keeps its slice.
   */
  private switchTo(p: number, next: number, now: number): void {
    const cpu = this.h.cpus[p];
    const prev = cpu.current;
    if (prev === next) return;
    this.h.touch(p);
    const nextVm = next >= 0 ? this.h.vcpus[next].vm : -1;
    if (prev >= 0) {
      const th = this.h.vcpus[prev];
      const g = cpu.groups[th.vm];
      if (g.rq.curr === th.se) {
        g.rq.putCurr();
        if (th.state === RUNNING) th.state = QUEUED;
      }
      if (th.vm !== nextVm && cpu.root.curr === g.se) cpu.root.putCurr();
    }
    if (next >= 0) {
      const th = this.h.vcpus[next];
      const g = cpu.groups[th.vm];
      if (cpu.root.curr !== g.se) {
        cpu.root.setCurr(g.se, now);
        this.rules.becameCurr(cpu.root, g.se);
      }
      g.rq.setCurr(th.se, now);
      this.rules.becameCurr(g.rq, th.se);
      th.state = RUNNING;
      th.lastRanUs = now;
    }
    cpu.current = next;
    if (next >= 0) this.ctx.dispatch(p, next);
    else this.ctx.idle(p, now);
  }

  // ---- periodic work ---------------------------------------------------------------------------

  /**
   * onTick is scheduler_tick on every CPU (ticks are aligned across CPUs), then load balancing.
   * A CPU on which the tick is quiet (cpuQuiet, judged at its turn) is owed the tick instead
   * (tick-debt.ts), unless some busy CPU's periodic balance is due: that one reads every CPU's
   * load, so then every CPU ticks here.
   */
  private readonly onTick = (): void => {
    const now = this.ctx.now();
    this.ticks.beginTick(now);
    const debt = this.h.debt;
    const all = this.options.everyTick === true || this.balanceDue(now);
    for (let p = 0; p < this.nCpus; p++) {
      const ticks = all || !cpuQuiet(this.h, p);
      this.ticking[p] = ticks ? 1 : 0;
      if (!ticks) continue;
      debt.sync(p);
      debt.ran(p, now);
      this.tickCpu(p, now);
    }
    for (let p = 0; p < this.nCpus; p++) {
      const cpu = this.h.cpus[p];
      if (this.ticking[p] === 1) cpu.load.sample(cpu.root.loadWeight, this.decay);
    }
    debt.lastUs = now;
    for (let p = 0; p < this.nCpus; p++) this.balanceCpu(p, now);
    this.ticks.endTick(now);
    this.verify();
  };

  /** balanceDue: some busy CPU's periodic balance falls due at this tick (after its owed ticks). */
  private balanceDue(now: number): boolean {
    let due = false;
    for (let p = 0; p < this.nCpus; p++) {
      const cpu = this.h.cpus[p];
      if (cpu.current < 0 || now < cpu.nextBalanceUs) continue;
      this.h.debt.sync(p);
      if (now >= cpu.nextBalanceUs) due = true;
    }
    return due;
  }

  private tickCpu(p: number, now: number): void {
    const cpu = this.h.cpus[p];
    const v = cpu.current;
    if (v < 0) return;
    this.h.updateCurr(p, now);
    const th = this.h.vcpus[v];
    if (cpu.groups[th.vm].se.onRq) this.h.reweightGroup(th.vm, p);
    if (cpu.needResched || this.rules.tickPreempts(cpu, th)) this.schedule(p, true);
  }

  /**
   * balanceCpu: an idle CPU pulls at every tick (the nohz idle balancer is kicked whenever some
   * CPU has a waiter); a busy one every busy_factor x balance_interval compares averaged loads
   * and pulls a thread that fits the imbalance, or, after repeated failures, the busiest CPU's
   * running thread (active balance).
   */
  private balanceCpu(p: number, now: number): void {
    const cpu = this.h.cpus[p];
    if (cpu.current < 0) {
      if (this.pullTo(p, now)) this.schedule(p, false);
      return;
    }
    if (now < cpu.nextBalanceUs) return;
    cpu.nextBalanceUs = now + this.busyBalanceUs;
    const imb = findLoadImbalance(this.h, p);
    if (imb === null) {
      cpu.balanceFailures = 0;
      return;
    }
    const v = this.pickFitting(imb.from, p, imb.imbalance, cpu.balanceFailures);
    if (v >= 0) {
      cpu.balanceFailures = 0;
      this.moveThread(v, p, now);
      this.afterEnqueue(p, v); // attach_task -> check_preempt_curr; a halt-poller stops polling
      return;
    }
    cpu.balanceFailures++;
    if (needsActiveBalance(cpu.balanceFailures) && this.activeBalance(imb.from, p, now))
      cpu.balanceFailures = CACHE_NICE_TRIES + 1;
  }

  /** activeBalance is the stopper's push: the busiest CPU's running thread moves to `to`. */
  private activeBalance(from: number, to: number, now: number): boolean {
    const src = this.h.cpus[from];
    const v = src.current;
    if (v < 0 || this.h.vcpus[v].state !== RUNNING) return false;
    const vm = this.h.vcpus[v].vm;
    if (src.groups[vm].throttled || this.h.cpus[to].groups[vm].throttled) return false;
    this.h.updateCurr(from, now);
    this.switchTo(from, -1, now);
    this.moveThread(v, to, now);
    this.schedule(from, false);
    this.afterEnqueue(to, v);
    return true;
  }

  /**
   * pickFitting is pickMigrant for a thread that fits the imbalance. Its own method so that the
   * filter closure's captured variables live here: captured locals of balanceCpu made V8 allocate
   * a context on every call, every tick, on every CPU (a 600 s run allocated 270 MB that way).
   */
  private pickFitting(from: number, to: number, imbalance: number, failures: number): number {
    return pickMigrant(this.h, from, to, (u) => fitsImbalance(this.h.hLoad(u), imbalance, failures));
  }

  /** pullTo is newidle balance: an idle CPU takes a waiting thread from the busiest CPU. */
  private pullTo(p: number, now: number): boolean {
    const from = findBusiest(this.h, p);
    if (from < 0 || this.h.cpus[from].hNr < 2) return false;
    const v = pickMigrant(this.h, from, p);
    if (v < 0) return false;
    this.moveThread(v, p, now);
    return true;
  }

  /** moveThread migrates a waiting thread to `to`, carrying its load between the CPUs' averages. */
  private moveThread(v: number, to: number, now: number): void {
    const from = this.h.vcpus[v].cpu;
    this.h.debt.sync(from);
    this.h.debt.sync(to);
    this.h.cpus[from].load.move(-this.h.hLoad(v));
    this.h.dequeueThread(v, now, false);
    this.h.enqueueThread(v, to, now, ENQ_MIGRATED);
    this.h.cpus[to].load.move(this.h.hLoad(v));
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
  private readonly endPollAt = (p: number): void => {
    this.enter(this.t.haltPollUs < this.t.tickUs);
    this.pollTimers[p] = NO_TIMER;
    this.schedule(p, false);
    this.leave();
  };

  private cancelPoll(p: number): void {
    this.ctx.cancelTimer(this.pollTimers[p]);
    this.pollTimers[p] = NO_TIMER;
    this.polls.remove(p);
  }

  private verify(): void {
    if (this.options.verify !== true) return;
    // No sync first: a CPU owed ticks holds the consistent state of its last tick done, and
    // checking it as it stands keeps verified runs as lazy as plain ones.
    verifyHierarchy(this.h, this.ctx);
    // The tracker's incremental answer must be the full scan's, or a tick was left out wrongly.
    this.ticks.check();
  }

  private thread(v: number): VcpuState {
    const th = this.h.vcpus[v];
    return th ?? this.fail(`no vCPU ${v}`);
  }

  /** fail throws; error messages stay out of the hot methods so that they remain inlinable. */
  private fail(message: string): never {
    throw new Error(`${this.kind}: ${message}`);
  }
}
