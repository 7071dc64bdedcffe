import type { XenCredit2Params } from "../../../model/scheduler.js";
import type { CpuScheduler, SchedContext } from "../../cpu-scheduler.js";
import { balanceLoad } from "./balance.js";
import { DomainBudget } from "./budget.js";
import { RunQueue, splitRunqueues } from "./run-queue.js";
import { DeadlineTimers } from "../deadline-timers.js";
import type { TimerClock } from "../own-timers.js";
import { RuntimeTimers, type Deadlines } from "./runtime-timers.js";
import { PcpuTimers } from "./pcpu-timers.js";
import { Credit2Units } from "./units.js";
import { verifyCredit2 } from "./verify.js";
import { cannotOutcredit, mostOutcredited, TICKLE_TOLERANCE_US } from "./tickle-scan.js";


/** Credit2Options are knobs no scenario field carries (tests use them). */
export interface Credit2Options {
  /** Check the run-queue invariants after every event and throw on the first broken one (slow). */
  verify?: boolean;
}

/** createXenCredit2 builds the Xen credit2 policy for one host (shared/reference/sim-fidelity.md 2). */
export function createXenCredit2(params: XenCredit2Params, nCpus: number, options: Credit2Options = {}): CpuScheduler {
  return new XenCredit2(params, nCpus, options);
}

/**
 * XenCredit2 is credit2 as in xen/common/sched/credit2.c (Xen >= 4.12). Work Xen defers to the
 * scheduling softirq of a tickled pCPU runs synchronously here, so no pCPU is ever "tickled but
 * not yet scheduled".
 *
 * Not modelled: affinity (hard and soft: every pCPU is allowed, so the soft-affinity bonus of
 * tickle_score is the same for every candidate and drops out), SMT, yield, tasklets; a running
 * vCPU that balancing would move is left alone (Xen marks it and moves it when it stops).
 */
class XenCredit2 implements CpuScheduler {
  readonly kind = "xen-credit2" as const;
  // The objects start() makes are declared, not defined: a field defined as undefined first would
  // widen V8's record of its type, and every load of it would check the object's map again.
  private declare ctx: SchedContext;
  /** Per-vCPU state (read by the invariant checks too). */
  declare u: Credit2Units;
  declare queues: RunQueue[];
  readonly rqOfCpu: Int32Array;
  /** Position of each pCPU in its run queue's cpus (cpumask_cycle starts after it). */
  private readonly posInRq: Int32Array;
  readonly curr: Int32Array;
  /** Idle pCPUs (curr -1) per run queue. */
  idleCount = new Int32Array(0);
  private declare timers: Deadlines;
  /** Where the policy's other timers go: with its runtime timers, so all are ordered together. */
  private declare clock: TimerClock;
  private declare budgets: (DomainBudget | null)[];
  /** A runner whose budget a credit reset used up, stopped by a timer of the same instant. */
  private readonly budgetStop: Int32Array;
  /** The vCPU being picked by the balance running now: it counts as running (see balance). */
  private picking = -1;
  /** vCPUs a balance moved onto another queue, to tickle when the switch is done. */
  private tickleLater = new Int32Array(0);
  private nTickleLater = 0;
  private tickleNext = 0;
  /** The parameters schedule() reads on every call, as fields: no load of params and its map check. */
  private readonly ratelimitUs: number;
  private readonly minTimerUs: number;
  private readonly maxTimerUs: number;
  private readonly resistUs: number;
  private readonly verifying: boolean;

  constructor(
    readonly params: XenCredit2Params,
    private readonly nCpus: number,
    private readonly options: Credit2Options,
  ) {
    this.rqOfCpu = new Int32Array(nCpus);
    this.posInRq = new Int32Array(nCpus);
    this.curr = new Int32Array(nCpus).fill(-1);
    this.budgetStop = new Int32Array(nCpus).fill(-1);
    this.ratelimitUs = params.ratelimitUs;
    this.minTimerUs = params.minTimerUs;
    this.maxTimerUs = params.maxTimerUs;
    this.resistUs = params.migrateResistUs;
    this.verifying = options.verify === true;
  }

  start(ctx: SchedContext): void {
    if (ctx.nCpus !== this.nCpus) throw new Error(`xen-credit2: built for ${this.nCpus} pCPUs, host has ${ctx.nCpus}`);
    this.ctx = ctx;
    const n = ctx.vcpus.length;
    // A balance moves at most two vCPUs, and the list drains at the end of each schedule().
    this.tickleLater = new Int32Array(2 * n + 2);
    const split = splitRunqueues(this.nCpus, this.params.maxCpusPerRunqueue);
    this.queues = split.map((cpus, i) => new RunQueue(i, cpus, n, split.length > 1));
    this.idleCount = Int32Array.from(this.queues, (rq) => rq.cpus.length);
    for (const rq of this.queues)
      rq.cpus.forEach((p, i) => {
        this.rqOfCpu[p] = rq.id;
        this.posInRq[p] = i;
      });
    this.u = new Credit2Units(ctx.vcpus, this.params.creditInitUs);
    this.startTimers(ctx);
    this.placeAtInsert(ctx);
    this.startBudgets(ctx);
    // Equal weights host-wide, not per queue: balancing brings a vCPU's credit along, and one
    // burnt at another rate is no integer (two burns of it may round differently from one).
    const u = this.u;
    const commute = !ctx.chargesDriverWork && u.weight.every((w, v) => w === u.weight[0] && u.budgetUs[v] === Infinity);
    for (const rq of this.queues) rq.burnsCommute = commute;
  }

  /**
   * placeAtInsert is csched2_unit_insert for every vCPU, in the scenario's order (a domain's
   * vCPUs are inserted one after another when it is created). Xen picks with csched2_res_pick: the
   * queue of least b_avgload (the first on a tie; a new unit has no queue yet, so none has its own
   * load taken off), then that queue's next pCPU after its pick_bias (cpumask_cycle), which becomes
   * the bias. runq_assign then adds the vCPU's starting average of 1/2 to the queue's b_avgload,
   * so the next vCPU sees it: a VM's consecutive vCPUs alternate between queues of equal load
   * instead of gathering in one block of consecutive pCPUs (docs/accuracy.md, session 23: that
   * gathering filled one queue of a packed 32-core host while the other had idle pCPUs, and
   * nothing on the wake path moves a vCPU to another queue).
   *
   * Xen starts a queue's pick_bias at its first pCPU, but dom0's vCPUs have moved it before any
   * guest is created; the simulator has no such history and starts each bias at the queue's last
   * pCPU, so the first pick is its first. On a host of one queue the pick is then pCPU v % nCpus,
   * the placement of every earlier simulator version.
   */
  private placeAtInsert(ctx: SchedContext): void {
    const queues = this.queues;
    const bias = Int32Array.from(queues, (rq) => rq.cpus.length - 1);
    ctx.vcpus.forEach((_info, v) => {
      let rq = queues[0];
      for (let q = 1; q < queues.length; q++) if (queues[q].balanceLoad.avg < rq.balanceLoad.avg) rq = queues[q];
      const i = bias[rq.id] + 1 === rq.cpus.length ? 0 : bias[rq.id] + 1;
      bias[rq.id] = i;
      this.u.processor[v] = rq.cpus[i];
      this.u.rq[v] = rq.id;
      rq.assign(v, this.u.weight[v], this.u.avgLoad[v].avg);
    });
  }

  /**
   * startTimers: the runtime timers and the budget timers go to the policy's own timer queue
   * (runtime-timers.ts), except beside a billing driver domain, whose charge flush is a timer of
   * the same priority that OwnTimers could not order against each of its own: there they stay in
   * host-sim's queue. Either way every timer runs at the same instant in the same order.
   */
  private startTimers(ctx: SchedContext): void {
    // Expiries take one hop on a capped host (deadline-timers.ts).
    const hops = ctx.vcpus.some((c) => c.vm.capPercent > 0) ? 1 : 0;
    if (ctx.chargesDriverWork) {
      this.clock = ctx;
      this.timers = new DeadlineTimers(ctx, this.nCpus, this.expireFn, hops);
    } else if (hops === 0) {
      // No cap: the runtime timers are the policy's only ones (budgets and budget stops need one).
      this.clock = NO_OTHER_TIMERS;
      this.timers = new PcpuTimers(ctx, this.nCpus, this.expireFn);
    } else {
      const own = new RuntimeTimers(ctx, this.nCpus, this.expireFn, hops);
      this.clock = own.clock;
      this.timers = own;
    }
  }

  private readonly expireFn = (p: number): void => {
    this.schedule(p, false);
    this.verify();
  };

  /** startBudgets gives each capped VM its pool and arms its replenishment timer. */
  private startBudgets(ctx: SchedContext): void {
    const periodUs = this.params.capPeriodMs * 1000;
    const nVms = ctx.vcpus.reduce((m, c) => Math.max(m, c.vmIndex + 1), 0);
    this.budgets = Array.from({ length: nVms }, () => null);
    for (const info of ctx.vcpus) {
      const cap = info.vm.capPercent;
      if (cap <= 0 || this.budgets[info.vmIndex] !== null) continue;
      this.budgets[info.vmIndex] = new DomainBudget((periodUs * cap) / 100, info.vm.vcpus, this.params.minTimerUs);
      this.clock.timer(periodUs, this.replenishFn, info.vmIndex);
    }
    ctx.vcpus.forEach((info, v) => (this.u.budgetUs[v] = this.budgets[info.vmIndex] === null ? Infinity : 0));
  }

  /** replenishFn is replenish_domain_budget for VM vm, re-armed one period later. */
  private readonly replenishFn = (vm: number): void => {
    const budget = this.budgets[vm];
    if (budget === null) return;
    if (budget.replenish()) this.unparkAll(budget);
    this.clock.timer(this.ctx.now() + this.params.capPeriodMs * 1000, this.replenishFn, vm);
    this.verify();
  };

  wake(v: number): void {
    const u = this.u;
    if (this.curr[u.processor[v]] === v || u.queued[v] || u.parked[v]) return;
    this.becomeRunnable(v);
    this.verify();
  }

  block(v: number, p: number): void {
    if (this.curr[p] !== v) badBlock(v, p);
    this.schedule(p, false);
    this.verify();
  }

  private verify(): void {
    if (this.verifying) verifyCredit2(this, this.ctx);
  }

  /**
   * chargeFor (CpuScheduler): a capped domain's pool pays the dom0 time (a debt carries into the
   * next periods, as a vCPU's overrun does), and its vCPU with the most credit burns it at its
   * own rate, as burn_credits would (re-sorted when queued, floored at CREDIT_MIN).
   */
  chargeFor(vm: number, us: number): void {
    const budget = this.budgets[vm];
    if (budget !== null) budget.poolUs -= us;
    const u = this.u;
    let v = -1;
    for (let x = 0; x < u.vmOf.length; x++) if (u.vmOf[x] === vm && (v < 0 || u.credit[x] > u.credit[v])) v = x;
    if (v < 0) return;
    const rq = this.queues[u.rq[v]];
    const queued = u.queued[v] === 1;
    if (queued) rq.remove(v);
    const c = u.credit[v] - (us * rq.maxWeight) / u.weight[v];
    u.credit[v] = c < -this.params.creditInitUs ? -this.params.creditInitUs : c;
    if (queued) rq.insert(v, u.credit);
  }

  /** becomeRunnable is csched2_unit_wake's second half: count the load, queue by credit, tickle. */
  private becomeRunnable(v: number): void {
    const now = this.ctx.now();
    const rq = this.queues[this.u.rq[v]];
    rq.changeLoad(1, now);
    if (rq.averaged) this.u.avgLoad[v].advance(0, now);
    this.enqueue(v, rq);
    this.tickle(v, now);
  }

  private enqueue(v: number, rq: RunQueue): void {
    rq.insert(v, this.u.credit);
    this.u.queued[v] = 1;
  }

  private dequeue(v: number, rq: RunQueue): void {
    rq.remove(v);
    this.u.queued[v] = 0;
  }

  private runnable(v: number): boolean {
    return this.ctx.hasWork(v) && !this.u.parked[v];
  }

  /**
   * tickle is runq_tickle: an idle pCPU of the queue (the vCPU's own first), else the busy pCPU
   * whose runner the waker out-credits most (by more than MIGRATE_RESIST when it is not the
   * waker's own pCPU), among runners past their rate limit; else nobody, and the waker waits.
   */
  private tickle(v: number, now: number): void {
    const own = this.u.processor[v];
    const rq = this.queues[this.u.rq[v]];
    const idle = this.firstIdle(own, rq);
    if (idle >= 0) return this.schedule(idle, false);
    // Every runner of the queue's pCPUs is assigned to it (verify.ts), so burns at its maxWeight.
    const maxWeight = rq.maxWeight;
    if (this.tickleScore(v, own, 0, now, maxWeight) > 0) return this.schedule(own, true);
    if (cannotOutcredit(rq, this.u.credit[v], this.resistUs, now)) return;
    const best = mostOutcredited(this, v, own, rq, now);
    if (best >= 0) this.schedule(best, true);
  }

  /** firstIdle is cpumask_test_or_cycle over the queue's idle pCPUs, starting at `from`. */
  private firstIdle(from: number, rq: RunQueue): number {
    if (this.curr[from] < 0) return from;
    // Most tickles find the queue busy: the count spares them the walk.
    if (this.idleCount[rq.id] === 0) return -1;
    // `from` is in the queue (a vCPU's processor is one of its queue's pCPUs).
    const cpus = rq.cpus;
    const len = cpus.length;
    let i = this.posInRq[from];
    for (let k = 1; k <= len; k++) {
      if (++i === len) i = 0;
      const p = cpus[i];
      if (this.curr[p] < 0) return p;
    }
    return -1;
  }

  /** tickleScore: how much the waker out-credits p's runner, less `resist`; <= 0 means leave p alone. */
  private tickleScore(v: number, p: number, resist: number, now: number, maxWeight: number): number {
    const cur = this.curr[p];
    if (cur < 0 || !this.preemptable(cur, now)) return -1;
    this.u.burn(cur, now, maxWeight);
    return this.u.credit[v] - this.u.credit[cur] - resist;
  }

  /** preemptable is is_preemptable: the runner used its rate limit, give or take 50 us. */
  private preemptable(cur: number, now: number): boolean {
    const limit = this.ratelimitUs;
    if (limit <= TICKLE_TOLERANCE_US) return true;
    return now - this.u.runStartUs[cur] > limit - TICKLE_TOLERANCE_US;
  }

  /** burn is burn_credits: weighted time since the last burn, plus budget for a capped vCPU. */
  private burn(v: number, now: number): void {
    this.u.burn(v, now, this.queues[this.u.rq[v]].maxWeight);
  }

  /**
   * schedule is csched2_schedule on pCPU p: charge the runner, pick the best of it and the queue,
   * reset credits when the best has none left, and arm the timer for its runtime. `preempt`
   * marks a tickle, counted when the runner really loses the pCPU.
   */
  private schedule(p: number, preempt: boolean): void {
    const now = this.ctx.now();
    const u = this.u;
    const scurr = this.curr[p];
    const rq = this.queues[this.rqOfCpu[p]];
    if (scurr >= 0) {
      // A runner is assigned to its pCPU's queue (verify.ts), so it burns at that queue's weight.
      u.burn(scurr, now, rq.maxWeight);
      if (u.budgetUs[scurr] <= 0) this.grabBudget(scurr);
    }
    const snext = this.candidate(p, scurr, rq, now);
    if (snext === scurr && snext >= 0) {
      // The runner keeps p (324k of the 120 s Bobtail cell's 666k calls, mostly runtime-timer
      // expiries): prepare() less what a keep cannot need. It is off the queue and its processor
      // is p already, and the burn above left burnFromUs at now.
      this.keep(p, snext, rq, now);
      return;
    }
    if (snext >= 0) this.prepare(p, snext, scurr, rq, now);
    if (snext !== scurr) {
      this.curr[p] = snext;
      if (scurr < 0) this.idleCount[rq.id]--;
      else if (snext < 0) this.idleCount[rq.id]++;
      this.ctx.dispatch(p, snext >= 0 ? snext : null);
      if (snext >= 0) {
        u.runStartUs[snext] = now;
        rq.runnersZeroAtUs = Math.min(rq.runnersZeroAtUs, u.credit[snext] + now);
      }
    }
    if (snext >= 0) this.timers.arm(p, now + this.runtime(snext, snext === scurr, rq, now));
    else this.timers.disarm(p);
    if (snext !== scurr && scurr >= 0) this.contextSaved(scurr, rq, preempt, now);
    if (this.nTickleLater > this.tickleNext) this.tickleDeferred(now);
  }

  /**
   * keep is the rest of schedule() when the runner cur keeps p: prepare()'s credit reset if due,
   * the timer for its runtime, then any tickles a balance asked for.
   */
  private keep(p: number, cur: number, rq: RunQueue, now: number): void {
    this.resetIfDue(p, cur, rq, now);
    this.timers.arm(p, now + this.runtime(cur, true, rq, now));
    if (this.nTickleLater > this.tickleNext) this.tickleDeferred(now);
  }

  /**
   * resetIfDue: the credit reset when v, about to run on p and off the queue, and the queue's head
   * (if any) have none left; with several queues, a balance after it.
   */
  private resetIfDue(p: number, v: number, rq: RunQueue, now: number): void {
    const u = this.u;
    const head = rq.head;
    if (u.credit[v] <= 0 && (head < 0 || u.credit[head] <= 0)) {
      this.resetCredit(rq, v, now);
      if (this.queues.length > 1) this.balance(p, v, now);
    }
  }

  /** prepare readies snext to run on p: off the queue, credit reset if due, moved to p. */
  private prepare(p: number, snext: number, scurr: number, rq: RunQueue, now: number): void {
    const u = this.u;
    if (snext !== scurr) this.dequeue(snext, rq);
    this.resetIfDue(p, snext, rq, now);
    u.burnFromUs[snext] = now;
    if (u.processor[snext] !== p) {
      u.credit[snext] += this.params.migrateCompensationUs;
      u.processor[snext] = p;
    }
  }

  /**
   * candidate is runq_candidate: the runner within its rate limit keeps the pCPU; otherwise the
   * first waiter allowed here (another pCPU's vCPU must lead by MIGRATE_RESIST) replaces the
   * runner if it has strictly more credit and, when capped, gets budget. -1 = idle.
   */
  private candidate(p: number, scurr: number, rq: RunQueue, now: number): number {
    const u = this.u;
    const currRuns = scurr >= 0 && this.runnable(scurr);
    const limit = this.ratelimitUs;
    if (currRuns && limit > 0 && now - u.runStartUs[scurr] < limit) return scurr;
    let snext = currRuns ? scurr : -1;
    const snextCredit = snext >= 0 ? u.credit[snext] : -Infinity;
    for (let v = rq.head; v >= 0; v = rq.nextWaiting(v)) {
      // Waiters come in credit order: from the first with no more credit than snext on, none can
      // be picked (each would be skipped or end the walk), so the walk ends there.
      if (u.credit[v] <= snextCredit) break;
      if (u.processor[v] !== p && snextCredit + this.resistUs > u.credit[v]) continue;
      // An uncapped vCPU's budget is Infinity: grabBudget's first test, without its call.
      if (u.budgetUs[v] > 0 || this.grabBudget(v)) snext = v;
      break;
    }
    return snext;
  }

  /**
   * runtime is csched2_runtime: until snext's credit falls to the first waiter's (or to 0), as
   * wall time at its burn rate, no more than its budget, within [MIN_TIMER or what is left of
   * the rate limit, MAX_TIMER].
   */
  private runtime(snext: number, continues: boolean, rq: RunQueue, now: number): number {
    const u = this.u;
    const limit = this.ratelimitUs;
    let minUs = this.minTimerUs;
    if (limit > 0) {
      const rl = continues ? u.runStartUs[snext] + limit - now : limit;
      if (rl > minUs) minUs = rl;
    }
    let credit = u.credit[snext];
    if (rq.head >= 0 && u.credit[rq.head] > 0) credit -= u.credit[rq.head];
    let timeUs = credit > 0 ? (credit * u.weight[snext]) / rq.maxWeight : 0;
    if (u.budgetUs[snext] < timeUs) timeUs = u.budgetUs[snext];
    if (timeUs < minUs) timeUs = minUs;
    else if (timeUs > this.maxTimerUs) timeUs = this.maxTimerUs;
    return Math.ceil(timeUs);
  }

  /**
   * contextSaved is csched2_context_saved for the vCPU p just stopped running: unused budget goes
   * back to the pool, a runnable vCPU is queued again and tickled, one that blocked leaves the load.
   */
  private contextSaved(prev: number, rq: RunQueue, preempt: boolean, now: number): void {
    const u = this.u;
    const budget = this.budgets[u.vmOf[prev]];
    let unpark = false;
    if (budget !== null && u.budgetUs[prev] > 0) {
      unpark = budget.giveBack(u.budgetUs[prev]);
      u.budgetUs[prev] = 0;
    }
    if (this.runnable(prev)) {
      if (preempt) this.ctx.count("preemption", prev);
      this.enqueue(prev, rq);
      this.tickle(prev, now);
    } else {
      // Blocked, or parked while running (a queued vCPU that parks leaves the load at once).
      rq.changeLoad(-1, now);
      if (rq.averaged) u.avgLoad[prev].advance(1, now);
    }
    if (unpark && budget !== null) this.unparkAll(budget);
  }

  /**
   * resetCredit is reset_credit: every member of the queue gets CREDIT_INIT more (twice that when
   * snext sits at the floor), clipped to CREDIT_INIT + CARRYOVER_MAX. The order is unchanged.
   */
  private resetCredit(rq: RunQueue, snext: number, now: number): void {
    const u = this.u;
    const init = this.params.creditInitUs;
    const add = u.credit[snext] <= -init ? 2 * init : init;
    const ceiling = init + this.params.carryOverUs;
    const members = rq.members;
    for (let i = 0; i < members.length; i++) {
      const v = members[i];
      const p = u.processor[v];
      if (this.curr[p] === v) {
        this.burn(v, now);
        // A runner whose budget ran out in this burn must stop: its pCPU reschedules now.
        if (u.budgetUs[v] <= 0) {
          this.budgetStop[p] = v;
          this.clock.timer(now, this.budgetStopFn, p);
        }
      }
      u.credit[v] = Math.min(u.credit[v] + add, ceiling);
      // The ceiling can take credit away (a migrated runner's compensation above it).
      if (this.curr[p] === v) rq.runnersZeroAtUs = Math.min(rq.runnersZeroAtUs, u.credit[v] + now);
    }
  }

  private readonly budgetStopFn = (p: number): void => {
    const v = this.budgetStop[p];
    this.budgetStop[p] = -1;
    if (v >= 0 && this.curr[p] === v) this.schedule(p, false);
    this.verify();
  };

  /** grabBudget is unit_grab_budget; a vCPU that gets none is parked (off the queue). */
  private grabBudget(v: number): boolean {
    const u = this.u;
    if (u.budgetUs[v] > 0) return true;
    const budget = this.budgets[u.vmOf[v]];
    if (budget === null) return true;
    u.budgetUs[v] = budget.grab(u.budgetUs[v]);
    if (u.budgetUs[v] > 0) return true;
    u.parked[v] = 1;
    budget.parked.push(v);
    this.ctx.count("throttle", v);
    if (u.queued[v]) {
      const rq = this.queues[u.rq[v]];
      this.dequeue(v, rq);
      rq.changeLoad(-1, this.ctx.now());
    }
    return false;
  }

  /** unparkAll is unpark_parked_units: parked vCPUs that still have work compete again. */
  private unparkAll(budget: DomainBudget): void {
    for (const v of budget.takeParked()) {
      this.u.parked[v] = 0;
      if (this.curr[this.u.processor[v]] === v || this.u.queued[v]) continue;
      if (this.ctx.hasWork(v)) this.becomeRunnable(v);
    }
  }

  /**
   * balance is balance_load from p's queue, moving only vCPUs that are not running. snext, just
   * picked to run on p, counts as running (Xen has set its CSFLAG_scheduled, so migrate() only
   * marks it): moving it would leave it running on p while assigned to another queue.
   */
  private balance(p: number, snext: number, now: number): void {
    this.picking = snext;
    const move = balanceLoad(this.queues, this.rqOfCpu[p], this.u, this.movable, now);
    this.picking = -1;
    for (const [v, to] of move) this.migrate(v, to, now);
  }

  private readonly movable = (v: number): boolean => v !== this.picking && this.curr[this.u.processor[v]] !== v;

  /** migrate is credit2's migrate() for a vCPU that is not running: it joins another queue. */
  private migrate(v: number, to: number, now: number): void {
    const u = this.u;
    const from = this.queues[u.rq[v]];
    const target = this.queues[to];
    const wasQueued = u.queued[v] === 1;
    if (wasQueued) {
      this.dequeue(v, from);
      from.changeLoad(-1, now);
    }
    // The balancer's expected new loads (b_avgload) move by v's own average, as _runq_deassign and
    // _runq_assign do, after the source's instantaneous load has lost v (update_load before).
    from.deassign(v, u.weight, u.avgLoad[v].avg);
    target.assign(v, u.weight[v], u.avgLoad[v].avg);
    u.rq[v] = to;
    u.processor[v] = target.cpus[0];
    if (wasQueued) {
      target.changeLoad(1, now);
      this.enqueue(v, target);
      // Xen's runq_tickle only raises a softirq; tickling here could reschedule the very pCPU
      // whose schedule() is running this balance, halfway through its switch.
      this.tickleLater[this.nTickleLater++] = v;
    }
  }

  /** tickleDeferred runs the tickles balancing asked for, once the switch that balanced is done. */
  private tickleDeferred(now: number): void {
    // A tickle may schedule, and so drain, again: both walk the one cursor, each entry once.
    while (this.tickleNext < this.nTickleLater) {
      const v = this.tickleLater[this.tickleNext++];
      if (this.u.queued[v]) this.tickle(v, now);
    }
    this.nTickleLater = 0;
    this.tickleNext = 0;
  }
}

/** The clock of an uncapped host, where credit2 sets no timer of its own but the runtime timers. */
const NO_OTHER_TIMERS: TimerClock = {
  now: () => noOtherTimers(),
  timer: () => noOtherTimers(),
  cancelTimer: () => noOtherTimers(),
};

function noOtherTimers(): never {
  throw new Error("xen-credit2: a timer other than a runtime timer on a host without caps");
}

function badBlock(v: number, p: number): never {
  throw new Error(`xen-credit2: block of vCPU ${v} that is not running on pCPU ${p}`);
}
