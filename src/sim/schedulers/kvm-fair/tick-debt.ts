import { NICE_0_LOAD } from "../kvm-cfs/tunables.js";
import type { CfsHierarchy } from "./hierarchy.js";
import type { Entity } from "./run-queue.js";
import { tickDecay } from "./load.js";

/**
 * TickDebt: quiet ticks a CPU is owed (see quiet-tick.ts). A tick that is quiet on CPU p changes
 * nothing any other CPU reads (the running thread's and its group entity's charges, p's
 * min_vruntimes, its PELT-like load sample, its balance interval), and p's state does not change
 * until something touches p. So such ticks are not done when they fall due but when p is next
 * touched, CPU by CPU: every path that reads or changes a CPU's tick-charged state calls sync(p)
 * first (CfsHierarchy.updateCurr, which every queue change starts with, and the few readers that
 * do not go through it). A busy CPU left alone for a 12 ms burst is then charged once, in one
 * loop, instead of at each of the host's events and ticks in between.
 */
export class TickDebt {
  /** The last tick of the grid that has passed, done or owed. */
  lastUs = 0;
  /** Per CPU, the last tick done on it. */
  private readonly doneUs: Float64Array;
  private readonly decay: number;

  constructor(
    private readonly h: CfsHierarchy,
    private readonly tickUs: number,
    private readonly busyBalanceUs: number,
  ) {
    this.doneUs = new Float64Array(h.cpus.length);
    this.decay = tickDecay(tickUs);
  }

  /** sync does the ticks CPU p is owed, in their order (p has been quiet through all of them). */
  sync(p: number): void {
    const done = this.doneUs[p];
    if (done >= this.lastUs) return;
    replayCpu(this.h, p, done + this.tickUs, this.lastUs, this.tickUs, this.decay, this.busyBalanceUs);
    this.doneUs[p] = this.lastUs;
  }

  /**
   * syncGroup is sync(p) for a reader of VM vm's group queue on CPU p alone: owed ticks change
   * only the running thread's group there (its min_vruntime), so p's wait otherwise.
   */
  syncGroup(p: number, vm: number): void {
    const cur = this.h.cpus[p].current;
    if (cur >= 0 && this.h.vcpus[cur].vm === vm) this.sync(p);
  }

  /** ran: the tick at atUs was done on CPU p as an event (p was synced to the tick before). */
  ran(p: number, atUs: number): void {
    this.doneUs[p] = atUs;
  }
}

/**
 * replayCpu does what the quiet ticks at firstUs, firstUs + tickUs, ... <= lastUs do on CPU p
 * (see isQuiet): charge the running thread, sample the load, re-arm a busy CPU's periodic
 * balance where it falls due (it finds no CPU with two runnable to pull from), and clear a
 * pending resched the first of them consumed.
 */
function replayCpu(
  h: CfsHierarchy,
  p: number,
  firstUs: number,
  lastUs: number,
  tickUs: number,
  decay: number,
  busyBalanceUs: number,
): void {
  const cpu = h.cpus[p];
  const load = cpu.load;
  load.avg = replaySamples(load.avg, cpu.root.loadWeight, decay, firstUs, lastUs, tickUs);
  if (cpu.current < 0) return;
  // The first of these ticks (after the event that left p so) rescheduled, picked the running
  // thread again (quiet-tick.ts cpuQuiet), and cleared a pending flag: that is all it changed.
  cpu.needResched = false;
  replayCharges(h, p, firstUs, lastUs, tickUs);
  if (lastUs < cpu.nextBalanceUs) return;
  let next = cpu.nextBalanceUs;
  for (let at = firstUs; at <= lastUs; at += tickUs) if (at >= next) next = at + busyBalanceUs;
  cpu.nextBalanceUs = next;
  cpu.balanceFailures = 0;
}

/**
 * replaySamples folds a constant weight into a PELT-like average once per tick, as
 * PeltLoad.sample does, with the same operations in the same order (so the same doubles). Once a
 * sample leaves the average unchanged every later one does too, and the rest are skipped.
 */
function replaySamples(avg: number, weight: number, decay: number, firstUs: number, lastUs: number, tickUs: number): number {
  const add = weight * (1 - decay);
  for (let at = firstUs; at <= lastUs; at += tickUs) {
    const next = avg * decay + add;
    if (next === avg) break;
    avg = next;
  }
  return avg;
}

/**
 * replayCharges is updateCurr at each quiet tick on busy CPU p, in locals: the running thread and
 * its group entity are each alone on their queue (no waiter, so avg_vruntime's sums stay 0 and
 * min_vruntime just follows curr), no quota, and no charge can ask for a reschedule (a renewed
 * EEVDF deadline only does with others queued). Each tick adds the same doubles the charge would:
 * the first charge runs from the last one (any length), every later one is exactly a tick, so
 * those add one precomputed step (the charge's own expression with delta = tickUs). A lone
 * thread's own vruntime is not kept (lone.ts): only its group entity's is stepped then.
 */
function replayCharges(h: CfsHierarchy, p: number, firstUs: number, lastUs: number, tickUs: number): void {
  const cpu = h.cpus[p];
  const th = h.vcpus[cpu.current];
  const g = cpu.groups[th.vm];
  const ts = th.se;
  const gs = g.se;
  const start = ts.execStartUs;
  let at = firstUs;
  if (at <= start) at += Math.ceil((start + 1 - at) / tickUs) * tickUs; // a charge of <= 0 us does nothing
  if (at > lastUs) return;
  // The ticks at `at`, at + tickUs, ..., the last one <= lastUs (integers: exact).
  const n = Math.floor((lastUs - at) / tickUs) + 1;
  const end = at + (n - 1) * tickUs;
  const first = at - start;
  const renews = h.rules.renewsDeadlines;
  if (!th.lone) replayVruntime(ts, first, n, tickUs, renews);
  replayVruntime(gs, first, n, tickUs, renews);
  // Run time is whole microseconds: the sum of the charges is exact in any order.
  const ran = end - start;
  ts.sumExecUs += ran;
  gs.sumExecUs += ran;
  ts.execStartUs = end;
  gs.execStartUs = end;
  th.lastRanUs = end;
  if (!th.lone) g.rq.updateMinVruntime();
  cpu.root.updateMinVruntime();
}

/**
 * replayVruntime is one entity's part of n charges, the first of `first` us and the others a tick
 * each; with `renews` (EEVDF's update_deadline) each charge that reaches the deadline starts a new
 * one a slice on, as the charge would. Each entity's doubles depend on its own fields only.
 */
function replayVruntime(se: Entity, first: number, n: number, tickUs: number, renews: boolean): void {
  let v = se.vruntime + (first * NICE_0_LOAD) / se.weight;
  const step = n > 1 ? (tickUs * NICE_0_LOAD) / se.weight : 0;
  if (!renews) {
    for (let k = 1; k < n; k++) v += step;
    se.vruntime = v;
    return;
  }
  // The renewal is a select, not a branch: a renewed deadline is v + slice rounded, and the next
  // charge reaches it after 3 or 4 ticks depending on that rounding (a 3 ms slice), a pattern the
  // branch predictor cannot learn (the cell renews 214k times in 784k replayed charges).
  const slice = (se.sliceUs * NICE_0_LOAD) / se.weight;
  let d = se.deadline;
  d = v >= d ? v + slice : d;
  for (let k = 1; k < n; k++) {
    v += step;
    const renewed = v + slice;
    d = v >= d ? renewed : d;
  }
  se.vruntime = v;
  se.deadline = d;
}
