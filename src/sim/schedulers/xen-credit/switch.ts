import type { XenCreditParams } from "../../../model/scheduler.js";
import type { SchedContext } from "../../cpu-scheduler.js";
import type { DeadlineTimers } from "../deadline-timers.js";
import { Balancer } from "./balancer.js";
import { creditTiming, MIN_TIMER_US, PRI_BOOST, PRI_IDLE, PRI_OVER, PRI_UNDER, type CreditTiming } from "./constants.js";
import { bookForHost, type CreditBook } from "./credit-book.js";
import { CreditMeter } from "./credit-meter.js";
import { RunQueues } from "./run-queues.js";
import type { TickGrid } from "./tick-grid.js";

/*
 * The base of credit1 (xen-credit.ts): its state, waking a vCPU and csched_schedule on one pCPU.
 * The policy's entry points and timers (ticks, accounting, slice ends) extend it there. A chain
 * of classes, as the fair class has it (kvm-fair/pick-put.ts): one instance of one hidden class.
 */

/** CreditSwitch holds credit1's state and switches vCPUs on a pCPU (see xen-credit.ts). */
export abstract class CreditSwitch {
  protected readonly timing: CreditTiming;
  protected readonly exact: boolean;
  protected ctx!: SchedContext;
  protected book!: CreditBook;
  protected rq!: RunQueues;
  protected meter!: CreditMeter;

  // Per vCPU.
  /** The pCPU whose run queue the vCPU belongs to (sched_unit_master). */
  protected home!: Int32Array;
  /** When the vCPU was last put on a pCPU: the rate limit measures from here. */
  private runStartUs!: Float64Array;
  /** Last time a schedule decision saw it on a pCPU: the cache-hot window measures from here. */
  private lastSchedUs!: Float64Array;
  /** Being moved off its pCPU (the _VPF_migrating pause flag): not runnable meanwhile. */
  private leaving!: Uint8Array;

  // Per pCPU.
  protected readonly curr: Int32Array;
  protected idleCount: number;
  protected readonly busySinceUs: Float64Array;
  /** Slice end or rate-limit expiry (set up by the policy, which handles the expiries). */
  protected slices!: DeadlineTimers;
  /** A waker asked this pCPU to preempt its vCPU; counted when the switch really happens. */
  private readonly preemptPending: Uint8Array;
  protected ticker!: TickGrid;
  protected balancer!: Balancer;

  constructor(
    protected readonly params: XenCreditParams,
    protected readonly nCpus: number,
  ) {
    this.timing = creditTiming(params);
    this.exact = params.accounting === "exact";
    this.curr = new Int32Array(nCpus).fill(-1);
    this.idleCount = nCpus;
    this.busySinceUs = new Float64Array(nCpus);
    this.preemptPending = new Uint8Array(nCpus);
  }

  /** setUp builds the per-vCPU state for the host's vCPUs (CpuScheduler.start). */
  protected setUp(ctx: SchedContext): void {
    if (ctx.nCpus !== this.nCpus) throw new Error(`xen-credit: built for ${this.nCpus} pCPUs, host has ${ctx.nCpus}`);
    this.ctx = ctx;
    const n = ctx.vcpus.length;
    this.book = bookForHost(ctx.vcpus, this.nCpus, this.timing.creditsPerTslice, this.params);
    this.meter = new CreditMeter(n, this.book.credit);
    this.rq = new RunQueues(n, this.nCpus, this.book.pri);
    // Initial placement spreads vCPUs round robin, as csched_res_pick over idle pCPUs would.
    this.home = Int32Array.from({ length: n }, (_, v) => v % this.nCpus);
    this.runStartUs = new Float64Array(n);
    this.lastSchedUs = new Float64Array(n).fill(-Infinity);
    this.balancer = new Balancer(this.nCpus, this.curr, this.rq, this.lastSchedUs, this.params.migrationDelayUs);
    this.leaving = new Uint8Array(n);
  }

  /**
   * wakeUp is csched_unit_wake: BOOST an UNDER vCPU (never an OVER, parked or, since 4.7,
   * migrating one), queue it on its pCPU and tickle.
   */
  protected wakeUp(v: number, mayBoost: boolean): void {
    const book = this.book;
    if (mayBoost && book.pri[v] === PRI_UNDER && !book.parked[v]) {
      book.pri[v] = PRI_BOOST;
      this.ctx.count("boost", v);
    }
    const p = this.home[v];
    this.rq.insert(v, p);
    this.tickle(v, p);
  }

  /**
   * tickle is __runq_tickle: an idle home pCPU runs the waker; otherwise one idle pCPU (round
   * robin) is woken to steal it; only when no pCPU idles does a strictly higher-priority waker
   * preempt the running vCPU. Equal priorities (BOOST vs BOOST) never preempt.
   */
  private tickle(v: number, p: number): void {
    const cur = this.curr[p];
    if (cur < 0) {
      this.schedule(p);
    } else if (this.idleCount > 0) {
      this.schedule(this.balancer.idleToTickle());
    } else if (this.book.pri[v] > this.book.pri[cur]) {
      if (this.params.boostOnMigrate) {
        // Before 4.7 the preempted vCPU was "kicked away" through a migration even when it could
        // only land back here (pinned), and that migration's wake boosted it. Being paused, it
        // leaves at once, rate limit or not.
        this.ctx.count("preemption", cur);
        this.moveAway(p, cur, p);
      } else {
        this.preemptPending[p] = 1;
        this.schedule(p);
      }
    }
  }

  private runnable(v: number): boolean {
    return this.ctx.hasWork(v) && !this.book.parked[v] && !this.leaving[v];
  }

  /**
   * schedule is csched_schedule on pCPU p: charge the running vCPU, honour the rate limit, else
   * requeue it and run the best of the local head and what can be stolen.
   */
  protected schedule(p: number): void {
    const now = this.ctx.now();
    const cur = this.curr[p];
    let curRunnable = false;
    if (cur >= 0) {
      this.burn(cur, now);
      this.lastSchedUs[cur] = now;
      curRunnable = this.runnable(cur);
      if (curRunnable && this.rateLimited(p, cur, now)) return;
      if (curRunnable) this.rq.insert(cur, p);
    }
    const next = this.pickNext(p, now);
    if (next !== cur) {
      if (curRunnable && this.preemptPending[p]) this.ctx.count("preemption", cur);
      this.ctx.dispatch(p, next < 0 ? null : next);
      this.curr[p] = next;
      if (next >= 0) {
        this.home[next] = p;
        this.runStartUs[next] = now;
        this.meter.start(next, now);
      }
    }
    this.preemptPending[p] = 0;
    this.afterSwitch(p, cur, next, now);
  }

  /** afterSwitch keeps the idle count, the slice timer and the ticker in step with p's state. */
  private afterSwitch(p: number, cur: number, next: number, now: number): void {
    if (next < 0) {
      if (cur >= 0) this.idleCount++;
      // The ticker stops lazily: its next tick finds p idle.
      this.slices.disarm(p);
      return;
    }
    this.slices.arm(p, now + this.timing.tsliceUs);
    if (cur < 0) {
      this.idleCount--;
      this.busySinceUs[p] = now;
      this.ticker.start(p, now);
    }
  }

  /**
   * rateLimited: a runnable vCPU that has run less than ratelimitUs keeps the pCPU for the rest
   * of it (at least MIN_TIMER_US more), even against a BOOST waker.
   */
  private rateLimited(p: number, cur: number, now: number): boolean {
    const limitUs = this.timing.ratelimitUs;
    if (limitUs === 0) return false;
    const ranUs = now - this.runStartUs[cur];
    if (ranUs >= limitUs) return false;
    this.slices.arm(p, now + Math.max(limitUs - ranUs, MIN_TIMER_US));
    return true;
  }

  /**
   * pickNext takes the local head unless it is OVER or missing, in which case it first tries to
   * steal something better from a busy peer.
   */
  private pickNext(p: number, now: number): number {
    const rq = this.rq;
    const head = rq.head(p);
    // Read before the branches: a first read on a path taken only after V8 optimized this
    // function deoptimizes it (see grant in xen-credit/credit-book.ts).
    // One remove call site for both ways of taking the head, for the same reason.
    const headPri = head >= 0 ? this.book.pri[head] : PRI_IDLE;
    if (headPri <= PRI_OVER) {
      const stolen = this.balancer.steal(p, headPri, now);
      if (stolen >= 0) return stolen;
    }
    if (head >= 0) rq.remove(head);
    return head;
  }

  private burn(v: number, now: number): void {
    if (this.exact) this.meter.burn(v, now);
  }

  /**
   * moveAway is vcpu_migrate on a running vCPU: it leaves p (no rate limit: it is paused) and
   * wakes on `to` as a migration, which is boosted only with the pre-4.7 boostOnMigrate bug.
   */
  protected moveAway(p: number, cur: number, to: number): void {
    this.leaving[cur] = 1;
    this.schedule(p);
    this.leaving[cur] = 0;
    this.home[cur] = to;
    this.wakeUp(cur, this.params.boostOnMigrate);
  }
}
