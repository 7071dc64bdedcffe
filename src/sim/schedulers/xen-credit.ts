import type { XenCreditParams } from "../../model/scheduler.js";
import type { CpuScheduler, SchedContext } from "../cpu-scheduler.js";
import { PRI_BOOST, PRI_UNDER } from "./xen-credit/constants.js";
import { DeadlineTimers } from "./deadline-timers.js";
import { DriverDebit } from "./xen-credit/driver-debit.js";
import { CreditSwitch } from "./xen-credit/switch.js";
import { TickGrid } from "./xen-credit/tick-grid.js";

/** createXenCredit builds the Xen credit1 policy for one host (shared/reference/sim-fidelity.md 1). */
export function createXenCredit(params: XenCreditParams, nCpus: number): CpuScheduler {
  return new XenCredit(params, nCpus);
}

/**
 * XenCredit is credit1 as in xen/common/sched/credit.c (Xen >= 4.7 by default, older behaviour by
 * switch). Work that Xen defers to a scheduling softirq (a tickled pCPU rescheduling, a kicked or
 * parked vCPU leaving) runs synchronously here: the IPI latency is not modelled. Its state and
 * csched_schedule are in xen-credit/switch.ts; here are the entry points and the timers.
 *
 * Not modelled: affinity, SMT/socket topology (one flat socket of pCPUs), yield, tasklets,
 * context-switch cost. boostOnMigrate reproduces the pre-4.7 pair of bugs (a preempted vCPU
 * "kicked away" through a migration, and that migration's wake boosted) as for a vCPU pinned to
 * its pCPU: the kick lands back on the same pCPU.
 */
class XenCredit extends CreditSwitch implements CpuScheduler {
  readonly kind = "xen-credit" as const;
  /**
   * Exact accounting debits the running vCPU at each tick only where something reads its credit
   * between ticks (billing, DriverDebit); elsewhere accounting, the only other reader, debits
   * every running vCPU up to its instant instead: run time is whole microseconds and the meter
   * carries the remainder, so one debit over two ticks' run is the same credit as two.
   */
  private tickBurns = false;
  private readonly sortSeen: Int32Array;
  private sortEpoch = 0;
  private driverDebit: DriverDebit | null = null;

  constructor(params: XenCreditParams, nCpus: number) {
    super(params, nCpus);
    this.sortSeen = new Int32Array(nCpus);
  }

  start(ctx: SchedContext): void {
    this.setUp(ctx);
    this.tickBurns = this.exact && ctx.chargesDriverWork;
    this.ticker = new TickGrid(
      ctx,
      this.nCpus,
      this.timing.tickUs,
      (p, atUs) => this.onTick(p, atUs),
      () => this.queueTickIfMayMove(),
    );
    this.slices = new DeadlineTimers(ctx, this.nCpus, (p) => this.onSliceEnd(p), 2);
    ctx.timer(this.timing.tsliceUs, this.acctFn);
  }

  // Every call that reads or changes the state ticks change first runs the owed ticks (TickGrid):
  // wake and block come from workload events, which precede the ticks of their microsecond; the
  // policy's timers follow them. Calls that can leave a vCPU waiting beside an idle pCPU end with
  // queueTickIfMayMove.

  wake(v: number): void {
    this.ticker.catchUp(this.ctx.now(), false);
    if (this.curr[this.home[v]] === v || this.rq.queuedOn[v] >= 0) return;
    // A parked vCPU is paused: its wake-up happens when accounting unparks it.
    if (this.book.parked[v]) return;
    this.wakeUp(v, true);
    this.queueTickIfMayMove();
  }

  block(v: number, p: number): void {
    this.ticker.catchUp(this.ctx.now(), false);
    if (this.curr[p] !== v) throw new Error(`xen-credit: block of vCPU ${v} that is not running on pCPU ${p}`);
    this.schedule(p);
    this.queueTickIfMayMove();
  }

  /** chargeFor (CpuScheduler): the domain's credit pays its dom0 time (DriverDebit). */
  chargeFor(vm: number, us: number): void {
    this.ticker.catchUp(this.ctx.now(), true);
    this.driverDebit ??= new DriverDebit(this.ctx.vcpus, this.book.credit);
    this.driverDebit.debit(vm, us);
  }

  /**
   * queueTickIfMayMove: a tick moves its pCPU's running vCPU away when others wait behind it and
   * some pCPU idles (accountRunning). While that may happen the next ticks are events, on time;
   * otherwise they are owed (TickGrid). A superset of the condition: it holds at no tick on the
   * bench cell, where an idle pCPU steals a waiter at once.
   */
  private queueTickIfMayMove(): void {
    if (this.idleCount > 0 && this.rq.total > 0) this.ticker.ensureEvent();
  }

  // ---- Timers ----

  private onSliceEnd(p: number): void {
    this.ticker.catchUp(this.ctx.now(), true);
    if (this.curr[p] >= 0) this.schedule(p);
    this.queueTickIfMayMove();
  }

  /**
   * onTick is csched_tick at atUs (now, or an owed tick's instant: TickGrid): account the running
   * vCPU, re-sort after accounting, re-arm.
   */
  private onTick(p: number, atUs: number): boolean {
    const cur = this.curr[p];
    if (cur < 0) return false;
    // Xen would have armed this ticker one period later had p left idle at this very instant.
    if (this.busySinceUs[p] !== atUs) this.accountRunning(p, cur, atUs);
    if (this.sortSeen[p] !== this.sortEpoch) {
      this.sortSeen[p] = this.sortEpoch;
      this.rq.sort(p);
    }
    return true;
  }

  /**
   * accountRunning is csched_unit_acct: the only place BOOST ends. It debits (a flat tick's worth
   * under sampling; exactly, here only with billing: see tickBurns), re-activates an inactive
   * vCPU, or else moves it to an idle pCPU when others wait behind it here.
   */
  private accountRunning(p: number, cur: number, now: number): void {
    const book = this.book;
    if (book.pri[cur] === PRI_BOOST) book.pri[cur] = PRI_UNDER;
    if (!this.exact) book.credit[cur] -= this.timing.creditsPerTick;
    else if (this.tickBurns) this.meter.burn(cur, now);
    if (!book.active[cur]) book.activate(cur);
    else if (this.rq.length[p] > 0 && this.idleCount > 0) {
      if (now !== this.ctx.now()) owedTickMoves(p, now);
      this.moveAway(p, cur, this.balancer.nextIdle(p));
    }
  }

  /**
   * Accounting runs after the ticks of its instant: Xen 3.x ran csched_acct from the master's
   * tick after debiting the running vCPU. Under sampling the other order would let a vCPU parked
   * at this instant skip its last 100-credit debit (a 50% cap error at low caps); since 4.x the
   * timers race. The timer is queued before those ticks, so it used to defer everything to an
   * event queued now (acctNowFn), behind them and behind the billing timers (chargeFor) that
   * workload events queued at this instant. Owed ticks run first anyway (catchUp), and the events
   * in between read nothing accounting changes, so only what queues events keeps the deferral:
   * parking and unparking (they dispatch, and the timers they arm must be queued after those of
   * the events in between, for ties a slice later), a tick phase queued as an event here (it may
   * move vCPUs, the same), and billing.
   */
  private readonly acctFn = (): void => {
    const now = this.ctx.now();
    if (this.ctx.chargesDriverWork || this.ticker.queuedAt(now)) {
      this.ctx.timer(now, this.acctNowFn);
      return;
    }
    this.account(now);
    const book = this.book;
    if (book.parkedNowCount + book.unparkedNowCount > 0) this.ctx.timer(now, this.parkingFn);
    this.ctx.timer(now + this.timing.tsliceUs, this.acctFn);
  };

  private readonly acctNowFn = (): void => {
    const now = this.ctx.now();
    this.account(now);
    this.parkingFn();
    this.ctx.timer(now + this.timing.tsliceUs, this.acctFn);
  };

  private account(now: number): void {
    this.ticker.catchUp(now, true);
    if (this.exact && !this.tickBurns) this.burnToLastTick(now);
    this.book.account();
    this.sortEpoch++;
  }

  /**
   * burnToLastTick debits each running vCPU as its pCPU's last tick would have: up to the grid
   * instant at or before nowUs, where every pCPU busy then ticked. A vCPU put on its pCPU at or
   * after that instant owes nothing yet (burn ignores time before its start).
   */
  private burnToLastTick(nowUs: number): void {
    const atUs = nowUs - (nowUs % this.timing.tickUs);
    for (let p = 0; p < this.nCpus; p++) if (this.curr[p] >= 0) this.meter.burn(this.curr[p], atUs);
  }

  /** parkingFn pauses and resumes the vCPUs the last accounting parked and unparked. */
  private readonly parkingFn = (): void => {
    const book = this.book;
    for (let i = 0; i < book.parkedNowCount; i++) this.park(book.parkedNow[i]);
    for (let i = 0; i < book.unparkedNowCount; i++) this.unpark(book.unparkedNow[i]);
    this.queueTickIfMayMove();
  };

  /** park pauses a capped vCPU over its limit: off its pCPU or out of its queue at once. */
  private park(v: number): void {
    this.ctx.count("throttle", v);
    const p = this.home[v];
    if (this.curr[p] === v) this.schedule(p);
    else if (this.rq.queuedOn[v] >= 0) this.rq.remove(v);
  }

  /** unpark resumes a vCPU that has work; Xen clears PARKED only after the wake, so no BOOST. */
  private unpark(v: number): void {
    if (this.curr[this.home[v]] === v || this.rq.queuedOn[v] >= 0) return;
    if (this.ctx.hasWork(v)) this.wakeUp(v, false);
  }
}

/** owedTickMoves: queueTickIfMayMove let a tick that moves a vCPU be owed (a bug, never a result). */
function owedTickMoves(p: number, atUs: number): never {
  throw new Error(`xen-credit: the tick of pCPU ${p} at ${atUs} us moves a vCPU but was owed, not queued`);
}
