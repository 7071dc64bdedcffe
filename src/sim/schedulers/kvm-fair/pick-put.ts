import { NO_TIMER, type SchedContext } from "../../cpu-scheduler.js";
import { findBusiest, pickMigrant } from "./balance.js";
import type { CfsHierarchy } from "./hierarchy.js";
import { tickDecay } from "./load.js";
import { LazyPolls } from "./lazy-poll.js";
import type { LazyTicks } from "./quiet-tick.js";
import { ENQ_MIGRATED, type FairCommon, type FairRules } from "./rules.js";
import { POLLING, QUEUED, RUNNING, type ThreadInit, type VcpuState } from "./state.js";
import { verifyHierarchy } from "./verify.js";

/*
 * The base of the fair class's scheduler: its state, and __schedule on one CPU (end a halt-poll,
 * charge, throttle, pick, newidle pull, put/set curr). Every event of the policy ends here, so it
 * is kept apart from the events themselves (halt-poll.ts, periodic.ts, scheduler.ts). The parts
 * are a chain of classes, not objects that call each other, so one instance of one hidden class
 * runs it all: no extra pointer hop or allocation per event. (Free functions over one class were
 * tried too: no faster on the 120 s Bobtail cell, warm or cold, and every field public.)
 */

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
  /** Keep a one-vCPU VM's thread-level vruntime, deadline and lag too (tests compare it with lone.ts). */
  keepLoneThreads?: boolean;
}

/** Busy CPUs balance sd->busy_factor times less often than idle ones (topology.c sd_init). */
const BUSY_FACTOR = 16;

/** FairPickPut holds the fair class's state and switches threads on a CPU (see scheduler.ts). */
export abstract class FairPickPut {
  protected ctx!: SchedContext;
  protected h!: CfsHierarchy;
  /** The pending halt-poll timer() id per CPU, NO_TIMER when none. */
  protected pollTimers = new Float64Array(0);
  protected readonly busyBalanceUs: number;
  protected readonly decay: number;
  protected ticks!: LazyTicks;
  /** Per CPU, whether the tick running now is done on it as an event (1) or owed (0). */
  protected ticking = new Uint8Array(0);
  /** Halt-poll windows kept without a timer while every CPU is quiet (lazy-poll.ts). */
  protected polls = new LazyPolls(0);
  /**
   * Whether windows may be kept lazily: not with quota (period timers read CPUs at instants of
   * their own), a driver domain billing guests (chargeFor timers of the expiry's instant) or
   * everyTick; there the expiries stay timers.
   */
  protected lazyPolls = false;
  /** FairOptions.verify, read at the end of every event. */
  protected readonly verifying: boolean;

  constructor(
    readonly kind: "kvm-cfs" | "kvm-eevdf",
    protected readonly rules: FairRules,
    protected readonly t: FairCommon,
    protected readonly nCpus: number,
    protected readonly init: ThreadInit,
    protected readonly options: FairOptions = {},
  ) {
    // sd->balance_interval starts at the domain's CPU count in ms.
    this.busyBalanceUs = BUSY_FACTOR * nCpus * 1000;
    this.verifying = options.verify === true;
    this.decay = tickDecay(t.tickUs);
  }

  /**
   * afterEnqueue reacts to a thread becoming runnable on CPU p: an idle CPU runs it, a halt-poller
   * stops polling (single_task_running() turned false), a busy CPU checks wakeup preemption.
   */
  protected afterEnqueue(p: number, v: number): void {
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
  protected schedule(p: number, preempt: boolean, now = this.ctx.now(), mayPull = true): void {
    const cpu = this.h.cpus[p];
    const prev = cpu.current;
    this.h.touch(p);
    let next = -2;
    if (prev >= 0 && this.h.vcpus[prev].state === POLLING) {
      // need_resched() ends the poll; the thread goes to sleep.
      this.cancelPoll(p);
      this.h.dequeueThread(prev, now, true);
      // It left for good and the CPU's root is empty (the halt-poll windows' common end): it was
      // charged up to now, an outgoing thread off its queue cannot throttle its group, and the
      // pick finds nothing, so those steps are left out.
      if (!this.h.vcpus[prev].se.onRq && cpu.root.nrRunning === 0 && cpu.root.curr === null) next = -1;
    }
    if (next === -2) {
      this.h.updateCurr(p, now);
      if (prev >= 0) this.checkThrottle(p, prev);
      next = this.pickNext(p);
    }
    cpu.needResched = false;
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
  protected switchTo(p: number, next: number, now: number): void {
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
      if (!th.lone) this.rules.becameCurr(g.rq, th.se);
      th.state = RUNNING;
      th.lastRanUs = now;
    }
    cpu.current = next;
    if (next >= 0) this.ctx.dispatch(p, next);
    else this.ctx.idle(p, now);
  }

  /** pullTo is newidle balance: an idle CPU takes a waiting thread from the busiest CPU. */
  protected pullTo(p: number, now: number): boolean {
    const from = findBusiest(this.h, p);
    if (from < 0 || this.h.cpus[from].hNr < 2) return false;
    const v = pickMigrant(this.h, from, p);
    if (v < 0) return false;
    this.moveThread(v, p, now);
    return true;
  }

  /** moveThread migrates a waiting thread to `to`, carrying its load between the CPUs' averages. */
  protected moveThread(v: number, to: number, now: number): void {
    const from = this.h.vcpus[v].cpu;
    this.h.debt.sync(from);
    this.h.debt.sync(to);
    this.h.cpus[from].load.move(-this.h.hLoad(v));
    this.h.dequeueThread(v, now, false);
    this.h.enqueueThread(v, to, now, ENQ_MIGRATED);
    this.h.cpus[to].load.move(this.h.hLoad(v));
  }

  /** cancelPoll ends CPU p's halt-poll window, timed or kept (lazy-poll.ts). */
  protected cancelPoll(p: number): void {
    // Most windows are kept, not timed (and the lazy expiry has already forgotten its own).
    if (this.pollTimers[p] !== NO_TIMER) {
      this.ctx.cancelTimer(this.pollTimers[p]);
      this.pollTimers[p] = NO_TIMER;
    }
    if (this.polls.endOf(p) !== Infinity) this.polls.remove(p);
  }

  protected verify(): void {
    if (!this.verifying) return;
    // No sync first: a CPU owed ticks holds the consistent state of its last tick done, and
    // checking it as it stands keeps verified runs as lazy as plain ones.
    verifyHierarchy(this.h, this.ctx);
    // The tracker's incremental answer must be the full scan's, or a tick was left out wrongly.
    this.ticks.check();
  }

  protected thread(v: number): VcpuState {
    const th = this.h.vcpus[v];
    return th ?? this.fail(`no vCPU ${v}`);
  }

  /** fail throws; error messages stay out of the hot methods so that they remain inlinable. */
  protected fail(message: string): never {
    throw new Error(`${this.kind}: ${message}`);
  }
}
