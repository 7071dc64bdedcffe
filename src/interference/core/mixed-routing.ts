import type { Components } from "./components.js";
import type { SchedulerCore } from "./scheduler-core.js";
import type { VictimTail } from "./tail.js";

/**
 * Mixed victims' request routing (Mechanisms.mixedRouting; EEVDF). A mixed VM's requests go to an
 * idle vCPU first and, when every vCPU has work, to the one with the fewest queued requests, which
 * serves a request before the rest of its CPU burst (sim/workloads/io.ts chooseVcpu, guest.ts).
 * So a request wakes a vCPU, and meets the host's wake waits (the components' a[k], light, rate-
 * limit and drift terms, at an io victim's cap), only when some vCPU is idle: with each of the n
 * vCPUs busy (its burst or requests: its runnable share h) independently, 1 - h^n of requests,
 * not every one. The others land on a vCPU with work, which runs them at once unless it waits
 * for a core itself (preemptedRunner: a floor); a request reaches a given vCPU then only when
 * every sibling is busy too, h^(n-1) of the time. Requests queued behind a blocked wake are those
 * that find no idle and no busy sibling with fewer requests queued: the siblings idle and blocked
 * themselves, ((1 - h) blockGivenFull)^(n-1).
 *
 * A vCPU whose CPU part never sleeps (duty 1: one endless burst) never wakes: none of its
 * requests wakes it and it has no own-burst wake-ups (the unrouted core counted one per mean burst).
 *
 * The routed terms are written as a VictimTail that tail.ts reads unchanged: waitTail's (1 - rho)
 * is the share that wakes (rho = h^n), its own-burst wakes are 0 (moved to the floor), lambda the
 * rate that queues behind a blocked wake (before thinnedLambda's blockGivenFull^(n-1)), and
 * episodesRho = 1 - h^(n-1) weighs the floor's episodes (episodesTailAt).
 */
export function routedTail(t: VictimTail, cpu: { readonly duty: number; readonly burstUs: number }): VictimTail {
  const n = t.vcpus;
  // cpu.duty is the vCPU's runnable share, its bursts plus its requests (profile.ts runnableShare).
  const h = Math.min(1, Math.max(0, cpu.duty));
  const wakeShare = 1 - h ** n;
  return {
    ...t,
    rho: 1 - wakeShare,
    lambdaUs: t.lambdaUs * (1 - h) ** (n - 1),
    burstWakesUs: 0,
    episodesRho: 1 - h ** (n - 1),
  };
}

/**
 * preemptedRunner (CFS, EEVDF under routing): what a request that lands on a busy vCPU waits for,
 * the episodes in which the victim's vCPU wants a core inside its own CPU burst and has none:
 *
 * - its burst wakes it (duty / burst per µs) with every other core held and is blocked, as a
 *   waker is (Σ a of the components): the own-burst episodes the wake-driven tail counted, moved
 *   here since no request wakes the vCPU for them;
 * - a sleeper that wakes with every other core held is queued on its home CPU, the victim's with
 *   chance 1 / cores, and preempts it once the vCPU has run past its protection (`preemptable`:
 *   the share of a burst of that mean past it; a hog's is all of it): such wakes come at the rate
 *   the others enter "all held", P(all held) x their release rate (as credit2's preemptedInBurst).
 *
 * Each waits as a blocked waker does (the components' mean blocked wait), queued behind the
 * runnable vCPUs (query.ts: up to (1 + excess) caps). They are a floor under the corrected
 * estimate (query.ts), read with episodesRho: a request reaches a vCPU in one only when every
 * sibling is busy too.
 *
 * A hog's preemptions are over-counted: a waker's home CPU is rarely a hog's (eevdf.ts, the fresh
 * home runner), and the never-sleeping mixed victims of the calibration sweep's EEVDF hosts are
 * mostly simulated near their service time where this says several times it (packed-cal/27/0
 * vm-0: 6.7 ms against 0.47). Kept: without it (hogs never preempted) packed-1's 9977/2 vm-2
 * (simulated 1.8 ms) is predicted at its alone latency and becomes an unsafe miss.
 */
export function preemptedRunner(cores: number, preemptable: (burstUs: number) => number): NonNullable<SchedulerCore["ownBurstPreempt"]> {
  return (c: Components, duty: number, burstUs: number) => {
    const hog = duty >= 1;
    const ownWakes = hog ? 0 : (duty / burstUs) * c.sumA;
    const preempted = (duty * preemptable(hog ? Infinity : burstUs) * c.pFull * c.nu) / cores;
    const rate = ownWakes + preempted;
    if (!(rate > 0)) return;
    const r = c.sumAOverR > 0 ? c.sumA / c.sumAOverR : 1 / c.capUs;
    c.ownPreA = rate;
    c.ownPreR = r;
    c.ownPreECap = Math.exp(-r * c.capUs);
  };
}
