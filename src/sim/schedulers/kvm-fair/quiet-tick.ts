import { NO_TIMER, type SchedContext } from "../../cpu-scheduler.js";
import { groupShares } from "../kvm-cfs/fair.js";
import { NICE_0_LOAD } from "../kvm-cfs/tunables.js";
import type { CfsHierarchy } from "./hierarchy.js";

/**
 * Quiet ticks. The 1 kHz scheduler tick over every CPU was most of the fair class's simulation
 * time, yet on a host where no CPU has two runnable entities most ticks decide nothing. A tick is
 * quiet when, on every CPU:
 * - no reschedule is pending, the root queue holds at most one entity, and the running thread's
 *   group queue at most one: neither check_preempt_tick (CFS, nr_running > 1 at some level) nor
 *   EEVDF's deadline resched (nr_running > 1) can fire, and no thread waits to be pulled, so an
 *   idle CPU's pull (which needs a CPU running two or more) finds nothing;
 * - the running VM has no quota (its run time is only spent at ticks and charges);
 * - its group entity's weight already equals what update_cfs_group would give it.
 * Then all such a tick does is charge each running thread up to the tick (update_curr, with
 * EEVDF's deadline renewal and min_vruntime), fold each CPU's root load into its PELT-like
 * average, and, where a busy CPU's periodic balance falls due, find no overloaded CPU
 * (find_busiest_group needs one with two runnable) and re-arm its interval.
 *
 * The scheduler leaves such ticks out of the event queue and replays them in order, with the
 * same arithmetic, at its next event: every simulated quantity is what the ticks would have
 * left, to the bit. Only the event count changes, and the order of a tick against another policy
 * timer of the same microsecond (the tick is no longer an event there).
 */
export function isQuiet(h: CfsHierarchy): boolean {
  for (let p = 0; p < h.cpus.length; p++) if (!cpuQuiet(h, p)) return false;
  return true;
}

/** cpuQuiet is isQuiet's condition for CPU p alone. */
export function cpuQuiet(h: CfsHierarchy, p: number): boolean {
  const cpu = h.cpus[p];
  if (cpu.needResched || cpu.root.nrRunning > 1) return false;
  const v = cpu.current;
  if (v < 0) return cpu.hNr === 0;
  const th = h.vcpus[v];
  const g = cpu.groups[th.vm];
  if (g.rq.nrRunning > 1) return false;
  const vm = h.vms[th.vm];
  if (vm.bw !== null) return false;
  return !g.se.onRq || groupShares(vm.shares, g.rq.loadWeight, vm.loadWeight) === g.se.weight;
}

/**
 * QuietTracker keeps isQuiet's answer up to date by re-examining only the CPUs the hierarchy
 * marked as changed: a full scan after every event cost as much as the ticks it saved.
 */
export class QuietTracker {
  private readonly noisy: Uint8Array;
  private nNoisy: number;

  constructor(nCpus: number) {
    this.noisy = new Uint8Array(nCpus).fill(1);
    this.nNoisy = nCpus;
  }

  /** quiet re-examines the changed CPUs and says whether every CPU is quiet. */
  quiet(h: CfsHierarchy): boolean {
    if (h.allTouched) for (let p = 0; p < h.cpus.length; p++) this.set(p, cpuQuiet(h, p));
    else for (let i = 0; i < h.nTouched; i++) this.set(h.touchedList[i], cpuQuiet(h, h.touchedList[i]));
    h.clearTouched();
    return this.nNoisy === 0;
  }

  private set(p: number, quiet: boolean): void {
    const was = this.noisy[p];
    const now = quiet ? 0 : 1;
    if (was !== now) {
      this.noisy[p] = now;
      this.nNoisy += now - was;
    }
  }
}

/**
 * replayQuietTicks does what the quiet ticks at firstUs, firstUs + tickUs, ... <= lastUs do (see
 * isQuiet). CPU by CPU rather than tick by tick: a CPU's charges, load samples and balance
 * interval read and write nothing of another CPU, so the order across CPUs does not matter, and
 * each CPU's own sequence is the ticks' own.
 */
export function replayQuietTicks(
  h: CfsHierarchy,
  firstUs: number,
  lastUs: number,
  tickUs: number,
  decay: number,
  busyBalanceUs: number,
): void {
  const cpus = h.cpus;
  for (let p = 0; p < cpus.length; p++) {
    const cpu = cpus[p];
    const load = cpu.load;
    load.avg = replaySamples(load.avg, cpu.root.loadWeight, decay, firstUs, lastUs, tickUs);
    if (cpu.current < 0) continue;
    replayCharges(h, p, firstUs, lastUs, tickUs);
    if (lastUs < cpu.nextBalanceUs) continue;
    // Each due balance finds nothing to do and re-arms the interval from its own tick.
    let next = cpu.nextBalanceUs;
    for (let at = firstUs; at <= lastUs; at += tickUs) if (at >= next) next = at + busyBalanceUs;
    cpu.nextBalanceUs = next;
    cpu.balanceFailures = 0;
  }
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
 * EEVDF deadline only does with others queued). Each tick adds the same doubles the charge would.
 */
function replayCharges(h: CfsHierarchy, p: number, firstUs: number, lastUs: number, tickUs: number): void {
  const cpu = h.cpus[p];
  const th = h.vcpus[cpu.current];
  const g = cpu.groups[th.vm];
  const ts = th.se;
  const gs = g.se;
  let start = ts.execStartUs;
  let at = firstUs;
  while (at <= lastUs && at <= start) at += tickUs; // a charge of <= 0 us does nothing
  if (at > lastUs) return;
  const renew = h.rules.renewsDeadlines;
  const tSlice = renew ? (ts.sliceUs * NICE_0_LOAD) / ts.weight : 0;
  const gSlice = renew ? (gs.sliceUs * NICE_0_LOAD) / gs.weight : 0;
  const tStep = (tickUs * NICE_0_LOAD) / ts.weight;
  const gStep = (tickUs * NICE_0_LOAD) / gs.weight;
  let tv = ts.vruntime;
  let gv = gs.vruntime;
  let td = ts.deadline;
  let gd = gs.deadline;
  let ran = 0;
  for (; at <= lastUs; at += tickUs) {
    const delta = at - start;
    tv += delta === tickUs ? tStep : (delta * NICE_0_LOAD) / ts.weight;
    gv += delta === tickUs ? gStep : (delta * NICE_0_LOAD) / gs.weight;
    if (renew && tv >= td) td = tv + tSlice;
    if (renew && gv >= gd) gd = gv + gSlice;
    ran += delta;
    start = at;
  }
  ts.vruntime = tv;
  gs.vruntime = gv;
  ts.deadline = td;
  gs.deadline = gd;
  ts.sumExecUs += ran;
  gs.sumExecUs += ran;
  ts.execStartUs = start;
  gs.execStartUs = start;
  th.lastRanUs = start;
  g.rq.updateMinVruntime();
  cpu.root.updateMinVruntime();
}

/**
 * LazyTicks runs the fair class's tick grid: a tick event while some CPU is not quiet, replays
 * (replayQuietTicks) while every CPU is. The scheduler calls enter() at the start of each of its
 * events, leave() at the end, and ran() from the tick's own handler.
 */
export class LazyTicks {
  /** The queued tick event, NO_TIMER while ticks are quiet and left out. */
  private tickId = NO_TIMER;
  /** The last tick run or replayed. */
  private lastTickUs = 0;
  private readonly quiet: QuietTracker;

  constructor(
    private readonly ctx: SchedContext,
    private readonly h: CfsHierarchy,
    private readonly tickUs: number,
    private readonly decay: number,
    private readonly busyBalanceUs: number,
    private readonly onTick: () => void,
    /** Queue every tick, quiet or not (tests compare this with the replay). */
    private readonly everyTick: boolean,
  ) {
    this.quiet = new QuietTracker(h.cpus.length);
    this.tickId = ctx.timer(tickUs, onTick);
  }

  /**
   * enter starts an event: ticks left out since the last one are replayed first. A tick due in
   * this very microsecond runs after a workload event (a lower event priority), and before a
   * policy timer when it was queued first, i.e. when the timer was set less than a tick ahead
   * (`tickFirst`); a queued tick may have been queued later than that, when ticks resumed, so it
   * runs here then.
   */
  enter(tickFirst: boolean): void {
    const now = this.ctx.now();
    const tickDue = tickFirst && now % this.tickUs === 0 && this.lastTickUs < now;
    if (this.tickId === NO_TIMER) this.catchUp(tickDue ? now + 1 : now);
    else if (tickDue) {
      this.ctx.cancelTimer(this.tickId);
      this.onTick();
    }
  }

  /** leave ends an event: ticks resume at the next grid point unless every CPU is quiet. */
  leave(): void {
    if (this.tickId === NO_TIMER && this.needsTicks()) {
      // catchUp left lastTickUs on the last grid point before now (or on now, if that one ran).
      this.tickId = this.ctx.timer(this.lastTickUs + this.tickUs, this.onTick);
    }
  }

  /** beginTick: the tick event at nowUs runs; the ticks left out before it are replayed first. */
  beginTick(nowUs: number): void {
    this.tickId = NO_TIMER;
    this.catchUp(nowUs);
  }

  /** endTick: the tick at nowUs is done; the next is queued unless every CPU is quiet. */
  endTick(nowUs: number): void {
    this.lastTickUs = nowUs;
    if (this.needsTicks()) this.tickId = this.ctx.timer(nowUs + this.tickUs, this.onTick);
  }

  /** check throws unless the tracker agrees with a full scan (verify mode). */
  check(): void {
    if (this.quiet.quiet(this.h) !== isQuiet(this.h)) throw new Error("kvm-fair: quiet-tick tracker disagrees with a full scan");
  }

  private needsTicks(): boolean {
    // quiet() first: it also consumes the hierarchy's change marks.
    return !this.quiet.quiet(this.h) || this.everyTick;
  }

  /** catchUp replays the quiet ticks before untilUs. */
  private catchUp(untilUs: number): void {
    const first = this.lastTickUs + this.tickUs;
    if (first >= untilUs) return;
    const last = first + Math.floor((untilUs - 1 - first) / this.tickUs) * this.tickUs;
    replayQuietTicks(this.h, first, last, this.tickUs, this.decay, this.busyBalanceUs);
    this.lastTickUs = last;
  }
}
