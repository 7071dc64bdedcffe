import { NO_TIMER, type SchedContext } from "../../cpu-scheduler.js";
import type { CfsHierarchy } from "./hierarchy.js";
import { groupWeight, RUNNING } from "./state.js";

/**
 * Quiet ticks. The 1 kHz scheduler tick over every CPU was most of the fair class's simulation
 * time, yet on a host where no CPU has two runnable entities most ticks decide nothing. A tick is
 * quiet when, on every CPU:
 * - the root queue holds at most one entity, and the running thread's group queue at most one:
 *   neither check_preempt_tick (CFS, nr_running > 1 at some level) nor EEVDF's deadline resched
 *   (nr_running > 1) can fire, and no thread waits to be pulled, so an idle CPU's pull (which
 *   needs a CPU running two or more) finds nothing;
 * - no reschedule is pending, unless the running thread is that alone: the tick's __schedule then
 *   picks it again and only clears the flag, which the first owed tick does (tick-debt.ts);
 * - the running VM has no quota (its run time is only spent at ticks and charges);
 * - its group entity's weight already equals what update_cfs_group would give it.
 * Then all such a tick does is charge each running thread up to the tick (update_curr, with
 * EEVDF's deadline renewal and min_vruntime), fold each CPU's root load into its PELT-like
 * average, and, where a busy CPU's periodic balance falls due, find no overloaded CPU
 * (find_busiest_group needs one with two runnable) and re-arm its interval.
 *
 * The scheduler leaves such ticks out of the event queue, and each CPU is owed them (TickDebt,
 * tick-debt.ts) until something next touches it, when they are done in order with the same
 * arithmetic: every simulated quantity is what the ticks would have left, to the bit. A tick
 * that runs as an event because some CPU is noisy is owed the same way on the CPUs where it is
 * quiet. Only the event count changes, and the order of a tick against another policy timer of
 * the same microsecond (the tick is no longer an event there).
 */
export function isQuiet(h: CfsHierarchy): boolean {
  for (let p = 0; p < h.cpus.length; p++) if (!cpuQuiet(h, p)) return false;
  return true;
}

/** cpuQuiet is isQuiet's condition for CPU p alone. */
export function cpuQuiet(h: CfsHierarchy, p: number): boolean {
  const cpu = h.cpus[p];
  if (cpu.root.nrRunning > 1) return false;
  const v = cpu.current;
  if (v < 0) return cpu.hNr === 0 && !cpu.needResched;
  const th = h.vcpus[v];
  // A pending resched on a thread alone at both levels (the checks below) picks it again at the
  // next tick: a newidle pull that charged the busiest CPU's curr as it took its waiter leaves one
  // (EEVDF's deadline renewal with the waiter still counted), 4.5k times on the 120 s Bobtail
  // cell, and each cost a tick event. A halt-poller's pending resched would end its poll instead.
  if (cpu.needResched && th.state !== RUNNING) return false;
  const g = cpu.groups[th.vm];
  if (g.rq.nrRunning > 1) return false;
  const vm = h.vms[th.vm];
  if (vm.bw !== null) return false;
  return !g.se.onRq || groupWeight(vm, g) === g.se.weight;
}

/**
 * QuietTracker keeps isQuiet's answer up to date by re-examining only the CPUs the hierarchy
 * marked as changed: a full scan after every event cost as much as the ticks it saved.
 */
export class QuietTracker {
  /** Per CPU, 1 when it was noisy at the last quiet(). */
  private readonly noisy: Uint8Array;
  private nNoisy: number;

  constructor(nCpus: number) {
    this.noisy = new Uint8Array(nCpus).fill(1);
    this.nNoisy = nCpus;
  }

  /** quiet re-examines the changed CPUs and says whether every CPU is quiet. */
  quiet(h: CfsHierarchy): boolean {
    if (h.nTouched === 0 && !h.allTouched) return this.nNoisy === 0;
    if (h.allTouched) for (let p = 0; p < h.cpus.length; p++) this.set(p, cpuQuiet(h, p));
    else for (let i = 0; i < h.nTouched; i++) this.set(h.touchedList[i], cpuQuiet(h, h.touchedList[i]));
    h.clearTouched();
    return this.nNoisy === 0;
  }

  /**
   * cpuQuietNow is cpuQuiet(h, p) from the last quiet() where nothing has marked p since (nor
   * every CPU, as a spread VM's load change does): the tick event asks it of every CPU.
   */
  cpuQuietNow(h: CfsHierarchy, p: number): boolean {
    return h.allTouched || h.touched[p] === 1 ? cpuQuiet(h, p) : this.noisy[p] === 0;
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
 * LazyTicks runs the fair class's tick grid: a tick event while some CPU is not quiet, ticks owed
 * to every CPU (TickDebt) while all are. The scheduler calls enter() at the start of each of its
 * events, leave() at the end, and ran() from the tick's own handler.
 */
export class LazyTicks {
  /** The queued tick event, NO_TIMER while ticks are quiet and left out. */
  private tickId = NO_TIMER;
  /** The last tick run or owed. */
  private lastTickUs = 0;
  private readonly quiet: QuietTracker;

  constructor(
    private readonly ctx: SchedContext,
    private readonly h: CfsHierarchy,
    private readonly tickUs: number,
    private readonly onTick: () => void,
    /** Queue every tick, quiet or not (tests compare this with the replay). */
    private readonly everyTick: boolean,
  ) {
    this.quiet = new QuietTracker(h.cpus.length);
    this.tickId = ctx.timer(tickUs, this.fire);
  }

  /**
   * enter starts an event: ticks left out since the last one are owed to every CPU first. A tick due in
   * this very microsecond runs after a workload event (a lower event priority), and before a
   * policy timer when it was queued first, i.e. when the timer was set less than a tick ahead
   * (`tickFirst`); a queued tick may have been queued later than that, when ticks resumed, so it
   * runs here then.
   */
  enter(tickFirst: boolean, now: number): void {
    // Every event enters: the commonest case (no tick of its instant first, none passed) returns here.
    if (!tickFirst && (this.tickId !== NO_TIMER || this.lastTickUs + this.tickUs >= now)) return;
    const tickDue = tickFirst && now % this.tickUs === 0 && this.lastTickUs < now;
    if (this.tickId === NO_TIMER) this.catchUp(tickDue ? now + 1 : now);
    else if (tickDue) {
      this.ctx.cancelTimer(this.tickId);
      this.fire();
    }
  }

  /**
   * leave ends an event: ticks resume at the next grid point unless every CPU is quiet, and a
   * queued tick is cancelled once every CPU is quiet (the noise ended at this event): it would
   * only be owed when it fires (see fire), and the next event owes it the same way, catchUp
   * counting the grid from the last tick run or owed. Only the event count changes: enter()
   * already runs a tick due in an event's own microsecond by the same rule, queued or not.
   */
  leave(): void {
    this.resume(this.needsTicks());
  }

  /**
   * quietNow says whether every CPU is quiet, for an event that acts on it before leave's own
   * work (resume(!quiet) then); it consumes the hierarchy's change marks as leave does.
   */
  quietNow(): boolean {
    return !this.needsTicks();
  }

  /** resume is leave with the answer of needsTicks given. */
  resume(needs: boolean): void {
    if (this.tickId === NO_TIMER) {
      // catchUp left lastTickUs on the last grid point before now (or on now, if that one ran).
      if (needs) this.tickId = this.ctx.timer(this.lastTickUs + this.tickUs, this.fire);
    } else if (!needs) {
      this.ctx.cancelTimer(this.tickId);
      this.tickId = NO_TIMER;
    }
  }

  /**
   * owe is enter() for a deferred event of the instant atUs (< now) while ticks are left out (a
   * lazy halt-poll expiry, lazy-poll.ts): the ticks before it are owed first, and one at atUs too
   * when it would have run first (`tickFirst`, as for enter).
   */
  owe(atUs: number, tickFirst: boolean): void {
    if (this.tickId !== NO_TIMER) throw new Error("kvm-fair: a deferred event while ticks are queued");
    const tickDue = tickFirst && atUs % this.tickUs === 0 && this.lastTickUs < atUs;
    this.catchUp(tickDue ? atUs + 1 : atUs);
  }

  /**
   * fire runs a tick that falls due. One queued while some CPU was noisy may find every CPU quiet
   * by now (the noise ended at an event in between): then it is owed like any quiet tick instead
   * of done here, even where a busy CPU's balance falls due (the replay re-arms it, finding no
   * CPU with two runnable, as the balancer would). The state is left as the last event left it
   * (only the grid moves on), so verify mode has nothing new to check after it.
   */
  private readonly fire = (): void => {
    if (this.everyTick || !this.quiet.quiet(this.h)) {
      this.onTick();
      return;
    }
    const now = this.ctx.now();
    this.beginTick(now);
    this.h.debt.lastUs = now;
    this.endTick(now);
  };

  /** beginTick: the tick event at nowUs runs; the ticks left out before it are owed first. */
  beginTick(nowUs: number): void {
    this.tickId = NO_TIMER;
    this.catchUp(nowUs);
  }

  /** endTick: the tick at nowUs is done; the next is queued unless every CPU is quiet. */
  endTick(nowUs: number): void {
    this.lastTickUs = nowUs;
    if (this.needsTicks()) this.tickId = this.ctx.timer(nowUs + this.tickUs, this.fire);
  }

  /** cpuQuiet is cpuQuiet(h, p), from the tracker where p has not changed since it last looked. */
  cpuQuiet(p: number): boolean {
    return this.quiet.cpuQuietNow(this.h, p);
  }

  /** check throws unless the tracker agrees with a full scan (verify mode). */
  check(): void {
    if (this.quiet.quiet(this.h) !== isQuiet(this.h)) throw new Error("kvm-fair: quiet-tick tracker disagrees with a full scan");
  }

  private needsTicks(): boolean {
    // quiet() first: it also consumes the hierarchy's change marks.
    return !this.quiet.quiet(this.h) || this.everyTick;
  }

  /** catchUp owes every CPU the quiet ticks before untilUs (TickDebt does them when it must). */
  private catchUp(untilUs: number): void {
    const first = this.lastTickUs + this.tickUs;
    if (first >= untilUs) return;
    const last = first + Math.floor((untilUs - 1 - first) / this.tickUs) * this.tickUs;
    this.h.debt.lastUs = last;
    this.lastTickUs = last;
  }
}
