import type { CfsHierarchy } from "./hierarchy.js";
import { QUEUED, type CpuState } from "./state.js";

// Where threads run: wake-up CPU selection and load balancing, reduced to one flat LLC (every CPU
// of the host shares a cache, the common case for a VM host socket) whose scheduling groups are
// single CPUs, as in an MC domain without SMT.
//
// Two regimes, as in load_balance: a CPU with spare capacity (idle) pulls by thread count
// (migrate_task), one thread from a CPU running two or more; a busy CPU compares PELT-averaged
// loads of runnable weight (migrate_load) and pulls a thread whose hierarchical load fits the
// imbalance. Simplifications, each named so a reader can judge them: no cache-hot (task_hot /
// migration_cost) veto, newidle balance always tries (no avg_idle cutoff), one thread moves per
// attempt, a thread's load is its instantaneous hierarchical weight (task_h_load without the
// averaging), and wake_affine is moot since wakers are interrupts, not tasks on another CPU.

/** sd->imbalance_pct of an MC domain: the busiest CPU must carry more than 117% of this one's load. */
export const IMBALANCE_PCT = 117;
/** sd->cache_nice_tries of an MC domain: active balance starts after more than this + 2 failures. */
export const CACHE_NICE_TRIES = 1;

/** isIdle is available_idle_cpu: nothing running and nothing queued (a halt-poller is not idle). */
export function isIdle(cpu: CpuState): boolean {
  return cpu.current < 0 && cpu.hNr === 0;
}

/**
 * selectIdleSibling picks the CPU a waking thread is queued on: its previous CPU if idle, else the
 * first idle CPU scanning from prev + 1 (select_idle_cpu's wrap-around scan), else prev.
 */
export function selectIdleSibling(h: CfsHierarchy, prev: number): number {
  const n = h.cpus.length;
  for (let i = 0; i < n; i++) {
    const c = prev + i < n ? prev + i : prev + i - n; // (prev + i) % n without a division
    if (isIdle(h.cpus[c])) return c;
  }
  return prev;
}

/**
 * findBusiest returns the CPU with the most runnable threads, if it has more than `to`, scanning
 * from to + 1 so ties resolve the same way every run; -1 when no CPU has more. An idle CPU pulls
 * from it by count (calculate_imbalance's migrate_task when the local group has spare capacity).
 */
export function findBusiest(h: CfsHierarchy, to: number): number {
  const n = h.cpus.length;
  let best = -1;
  let bestNr = h.cpus[to].hNr;
  for (let i = 1; i < n; i++) {
    const q = to + i < n ? to + i : to + i - n; // (to + i) % n without a division
    const nr = h.cpus[q].hNr;
    if (nr > bestNr) {
      best = q;
      bestNr = nr;
    }
  }
  return best;
}

/** LoadImbalance: where a busy CPU should pull from and how much load (migrate_load). */
export interface LoadImbalance {
  readonly from: number;
  readonly imbalance: number;
}

/**
 * findLoadImbalance is find_busiest_group + calculate_imbalance for a busy CPU `to`: the busiest
 * is the overloaded CPU (two or more runnable: a lone runner cannot be pulled without active
 * balance, and find_busiest_queue skips one heavier than the imbalance) with the highest averaged
 * load. Nothing to do when this CPU is as loaded, within imbalance_pct of it, or above the
 * average; else the imbalance is the smaller of the busiest's excess and this CPU's shortfall.
 */
export function findLoadImbalance(h: CfsHierarchy, to: number): LoadImbalance | null {
  const n = h.cpus.length;
  let from = -1;
  let busiest = -1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const q = to + i < n ? to + i : to + i - n; // (to + i) % n without a division
    const cpu = h.cpus[q];
    total += cpu.load.avg;
    if (q !== to && cpu.hNr >= 2 && cpu.load.avg > busiest) {
      from = q;
      busiest = cpu.load.avg;
    }
  }
  const local = h.cpus[to].load.avg;
  if (from < 0 || local >= busiest || 100 * busiest <= IMBALANCE_PCT * local) return null;
  const avg = total / n;
  if (local >= avg) return null;
  const imbalance = Math.min(busiest - avg, avg - local);
  return imbalance > 0 ? { from, imbalance } : null;
}

/**
 * fitsImbalance is detach_tasks' `load >> nr_balance_failed > imbalance` test: a move that would
 * overshoot is refused, less so after each failed attempt, so stuck heavy threads move in the end.
 */
export function fitsImbalance(load: number, imbalance: number, failures: number): boolean {
  return load / 2 ** failures <= imbalance;
}

/** anyThread accepts every migrant (newidle balance); one function, not a closure per call. */
const anyThread = (): boolean => true;

/**
 * pickMigrant returns the waiting thread on `from` that last ran longest ago (detach_tasks walks
 * cfs_tasks from its tail) among those `fits` accepts, skipping threads whose group is throttled
 * on either CPU (throttled_lb_pair); -1 when there is none.
 */
export function pickMigrant(h: CfsHierarchy, from: number, to: number, fits: (v: number) => boolean = anyThread): number {
  const src = h.cpus[from].groups;
  const dst = h.cpus[to].groups;
  let best = -1;
  let bestRanUs = Infinity;
  for (let v = 0; v < h.vcpus.length; v++) {
    const th = h.vcpus[v];
    if (th.cpu !== from || th.state !== QUEUED) continue;
    if (src[th.vm].throttled || dst[th.vm].throttled) continue;
    if (th.lastRanUs < bestRanUs && fits(v)) {
      best = v;
      bestRanUs = th.lastRanUs;
    }
  }
  return best;
}

/** needsActiveBalance is need_active_balance for migrate_load: too many failed attempts in a row. */
export function needsActiveBalance(failures: number): boolean {
  return failures > CACHE_NICE_TRIES + 2;
}
