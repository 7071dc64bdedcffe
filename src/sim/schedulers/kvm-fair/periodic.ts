import { CACHE_NICE_TRIES, findLoadImbalance, fitsImbalance, needsActiveBalance, pickMigrant } from "./balance.js";
import { FairHaltPoll } from "./halt-poll.js";
import { POLLING, RUNNING } from "./state.js";

/*
 * The fair class's timed work: the tick on every CPU (scheduler_tick, with quiet CPUs owed their
 * ticks, tick-debt.ts), periodic and active load balancing, and the bandwidth period's refill.
 * Separate from the event-driven paths (scheduler.ts) because it runs from timers of its own and
 * reads every CPU at once.
 */
export abstract class FairPeriodic extends FairHaltPoll {
  protected readonly onPeriod = (vm: number): void => {
    this.enter(this.t.cfsPeriodUs <= this.t.tickUs);
    this.refillQuota(vm);
    this.ctx.timer(this.ctx.now() + this.t.cfsPeriodUs, this.onPeriod, vm);
    this.leave();
  };

  /**
   * onTick is scheduler_tick on every CPU (ticks are aligned across CPUs), then load balancing.
   * A CPU on which the tick is quiet (cpuQuiet, judged at its turn) is owed the tick instead
   * (tick-debt.ts), unless some busy CPU's periodic balance is due: that one reads every CPU's
   * load, so then every CPU ticks here.
   */
  protected readonly onTick = (): void => {
    const now = this.ctx.now();
    this.ticks.beginTick(now);
    const debt = this.h.debt;
    const all = this.options.everyTick === true || this.balanceDue(now);
    for (let p = 0; p < this.nCpus; p++) {
      // The tick's own quiet() has just looked at every CPU: only one changed since is examined again.
      const ticks = all || !this.ticks.cpuQuiet(p);
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
    // Every pull and load move takes from a CPU running two or more: with none (nor can one
    // appear without a move), each CPU only re-arms its interval, and the scans are left out.
    const overloaded = this.h.cpus.some((cpu) => cpu.hNr >= 2);
    for (let p = 0; p < this.nCpus; p++) this.balanceCpu(p, now, overloaded);
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
  private balanceCpu(p: number, now: number, overloaded: boolean): void {
    const cpu = this.h.cpus[p];
    if (cpu.current < 0) {
      if (overloaded && this.pullTo(p, now)) this.schedule(p, false);
      return;
    }
    if (now < cpu.nextBalanceUs) return;
    cpu.nextBalanceUs = now + this.busyBalanceUs;
    const imb = overloaded ? findLoadImbalance(this.h, p) : null;
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
}
