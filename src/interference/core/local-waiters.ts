/**
 * Local waiters (credit1). A sleeper that wakes while every core is held queues on its home core
 * when that core's runner blocks it (BOOST against BOOST): credit1 tickles only the home or an
 * idle pCPU, so the waker does not preempt an OVER hog elsewhere. When a blocking runner then
 * releases its core, the core runs that local waiter: it steals from other cores only when its
 * own head is OVER or it has none. So a blocked victim is rescued by another core's release only
 * when nobody waits there, and then only if the steal picks it among the waiters queued
 * elsewhere.
 *
 * Measured on holdout-4's contended/9703/17 (4 cores, credit1 30 ms; two hogs, a 20 ms sleeper
 * and a pair of 2.1 ms sleepers at duty 0.94; two io victims), 20 s, simulator instrumented:
 * about half of the short-burst sleepers' releases during a victim's wait went to a non-OVER
 * waiter queued on the same pCPU (the pair hands its pCPU back and forth), and the victims' long
 * waits (8-37 ms) ended at the blocking runner's own block or a hog's slice end; simulated p99.9
 * 20.4 ms where the core said 7.7 ms (every release a rescue: mean wait 1.2 ms).
 */

/**
 * localRescueShare: the share of blocking runners' releases that reach a blocked victim.
 *
 * Other sleepers wake at `wakesUs` (Σ duty / burst, per µs), find every core held with chance
 * `pFull`, are blocked with the runner's block share and wait about `meanWaitUs`: that many
 * waiters are queued, on the blocking cores (cores x blockers of them, `blockers` the chance a
 * held core blocks a waker), x = pFull x wakes x wait / cores per blocking core. A release finds
 * no local waiter with chance e^-x (Poisson); a steal then picks the victim among 1 + the waiters
 * elsewhere (x x cores x blockers).
 */
export function localRescueShare(pFull: number, wakesUs: number, meanWaitUs: number, cores: number, blockers: number): number {
  const x = (pFull * wakesUs * meanWaitUs) / cores;
  return Math.exp(-x) / (1 + x * cores * blockers);
}
