import { QUEUED, type CfsHierarchy, type CpuState } from "./hierarchy.js";

// Where threads run: wake-up CPU selection and load balancing, reduced to one flat LLC (every CPU
// of the host shares a cache, the common case for a VM host socket).
//
// Simplifications, each named so a reader can judge them: balancing counts runnable threads
// instead of comparing PELT load (the same thing when weights are equal, as in every spec
// experiment); there is no cache-hot (task_hot / migration_cost) veto, newidle balance always
// tries (no avg_idle cutoff), and no active balance of a running thread; wake_affine is moot since
// wakers are interrupts, not tasks on another CPU.

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
    const c = (prev + i) % n;
    if (isIdle(h.cpus[c])) return c;
  }
  return prev;
}

/**
 * findBusiest returns the CPU with the most runnable threads, if it has more than `to`, scanning
 * from to + 1 so ties resolve the same way every run; -1 when no CPU has more.
 */
export function findBusiest(h: CfsHierarchy, to: number): number {
  const n = h.cpus.length;
  let best = -1;
  let bestNr = h.cpus[to].hNr;
  for (let i = 1; i < n; i++) {
    const q = (to + i) % n;
    const nr = h.cpus[q].hNr;
    if (nr > bestNr) {
      best = q;
      bestNr = nr;
    }
  }
  return best;
}

/**
 * periodicImbalance is calculate_imbalance for a busy CPU pulling from an overloaded one, in
 * units of one thread: the smaller of the busiest's excess over the average and this CPU's
 * shortfall, 0 when there is nothing to gain.
 */
export function periodicImbalance(h: CfsHierarchy, from: number, to: number): number {
  let total = 0;
  for (const cpu of h.cpus) total += cpu.hNr;
  const avg = total / h.cpus.length;
  const excess = h.cpus[from].hNr - avg;
  const shortfall = avg - h.cpus[to].hNr;
  const imbalance = excess < shortfall ? excess : shortfall;
  return imbalance > 0 ? imbalance : 0;
}

/**
 * movesAfterFailures is detach_tasks' `load >> nr_balance_failed > imbalance` test for a thread
 * of load 1: a move that would overshoot (6 threads on 4 CPUs: imbalance 1/2) is refused once,
 * then allowed, so threads rotate and long-run shares even out.
 */
export function movesAfterFailures(imbalance: number, failures: number): boolean {
  return imbalance > 0 && 1 / 2 ** failures <= imbalance;
}

/**
 * pickMigrant returns the waiting thread on `from` that last ran longest ago (detach_tasks walks
 * cfs_tasks from its tail), skipping threads whose group is throttled on either CPU
 * (throttled_lb_pair); -1 when there is none.
 */
export function pickMigrant(h: CfsHierarchy, from: number, to: number): number {
  const src = h.cpus[from].groups;
  const dst = h.cpus[to].groups;
  let best = -1;
  let bestRanUs = Infinity;
  for (let v = 0; v < h.vcpus.length; v++) {
    const th = h.vcpus[v];
    if (th.cpu !== from || th.state !== QUEUED) continue;
    if (src[th.vm].throttled || dst[th.vm].throttled) continue;
    if (th.lastRanUs < bestRanUs) {
      best = v;
      bestRanUs = th.lastRanUs;
    }
  }
  return best;
}
