/**
 * Light holds (EEVDF, Mechanisms.lightHolds; CFS since model-v10, Mechanisms.cfsLightHolds). An
 * io-only vCPU holds a core while it serves a request and while it halt-polls after one; the
 * occupancy behind pFull counts only CPU-bound vCPUs, so a host whose CPU-bound vCPUs are fewer
 * than its cores looks never full (pFull 0, the quiet stratum) although its light vCPUs fill the
 * rest now and then. Measured with the simulator
 * instrumented (15 s, seed 1; docs/accuracy.md, "Eighth round"): holdout-6's contended-eevdf/9906/3
 * (12 cores, 10 CPU-bound vCPUs) victim-0 met no idle core on 4.4% of its wakes and 9901/4 (4
 * cores, 3 CPU-bound) victim-1 on 15.8%; they waited mostly behind another io victim's vCPU or
 * their own sibling, and a waker queued on a halt-poller ends the poll at once.
 *
 * So with j cores short of full by CPU-bound work, the host is full when at least j light vCPUs
 * are busy (their count binomial over the light vCPUs at their mean duty, the victim's own out), and the
 * waker is then blocked by its home CPU's runner if that is a light vCPU serving a request (picked
 * with a fresh slice when it woke: RUN_TO_PARITY); a poller yields to it at once. The home runner
 * took the CPU after the waker left it (the fresh home runner, eevdf.ts), so it is light with the
 * light vCPUs' share of the wake-ups.
 */

/** Cores short of full counted (the Poisson tail of busy light vCPUs beyond is negligible). */
export const HELD_MAX = 16;

/**
 * lightHoldFull: the chance a waker finds every core held with some held by light vCPUs, the
 * CPU-bound vCPUs `j` >= 1 short: Σ_j P(heavy = cores - j) P(L >= j), L ~ Binomial(`count`,
 * `lsp` / `count`) (`lsp` their Σ duty). `held` holds P(heavy >= cores - j) for j = 0..n - 1.
 */
export function lightHoldFull(held: Float64Array, n: number, lsp: number, count: number): number {
  if (count < 1) return 0;
  const p = Math.min(1, lsp / count);
  let sum = 0;
  if (p >= 1) {
    // Every light vCPU always busy: L = count.
    for (let j = 1; j < n && j <= count; j++) sum += Math.max(0, held[j] - held[j - 1]);
    return sum;
  }
  const odds = p / (1 - p);
  let pmf = (1 - p) ** count; // P(L = 0)
  let atLeast = 1 - pmf; // P(L >= 1)
  for (let j = 1; j < n && j <= count && atLeast > 1e-15; j++) {
    sum += Math.max(0, held[j] - held[j - 1]) * atLeast;
    pmf *= ((count - j + 1) / j) * odds; // P(L = j)
    atLeast -= pmf;
  }
  return sum;
}

/**
 * lightHoldFullShort: lightHoldFull (returned, the same operations, so the same bits) and its
 * states weighed by the cores the CPU-bound vCPUs leave, Σ_j P(heavy = cores - j) P(L >= j) j,
 * into `short[0]`, in one pass: over lightHoldFull, the mean j of the states where a waker finds
 * every core held (credit1's knee release, kneeQueueRate).
 */
export function lightHoldFullShort(held: Float64Array, n: number, lsp: number, count: number, short: Float64Array): number {
  short[0] = 0;
  if (count < 1) return 0;
  const p = Math.min(1, lsp / count);
  let sum = 0;
  let weighed = 0;
  if (p >= 1) {
    for (let j = 1; j < n && j <= count; j++) {
      const d = Math.max(0, held[j] - held[j - 1]);
      sum += d;
      weighed += d * j;
    }
    short[0] = weighed;
    return sum;
  }
  const odds = p / (1 - p);
  let pmf = (1 - p) ** count;
  let atLeast = 1 - pmf;
  for (let j = 1; j < n && j <= count && atLeast > 1e-15; j++) {
    const t = Math.max(0, held[j] - held[j - 1]) * atLeast;
    sum += t;
    weighed += t * j;
    pmf *= ((count - j + 1) / j) * odds;
    atLeast -= pmf;
  }
  short[0] = weighed;
  return sum;
}

/**
 * kneeQueueRate (credit1, Mechanisms.credit1KneeQueue): the release rate, per µs, of a waker that
 * found every core held, the CPU-bound vCPUs leaving `short` cores (the blocking states' mean)
 * to io vCPUs of Σ duty `lsp` (the waker's own out) holding `holdUs` each. The waiters share
 * those cores as an Erlang-C queue's do: given a wait, it is exponential at (servers - load) /
 * hold. The sim's io service is fixed, so with few queued a waiter waits a holder's residual
 * (uniform, half a hold): the rate runs up to twice Erlang's as the load per core falls.
 * `baseR`: what frees a core without an io hold ending (a CPU-bound sleeper's burst, the
 * slice). Increasing in `short` (so `short` = 1, the least a blocking state leaves, bounds it
 * from below).
 */
export function kneeQueueRate(short: number, lsp: number, holdUs: number, baseR: number): number {
  const free = Math.max(0, short - lsp);
  const perCore = short > 0 ? Math.min(1, lsp / short) : 1;
  return (free * (2 - perCore)) / holdUs + baseR;
}

/**
 * lightHoldFullAbove: an upper bound on lightHoldFull(held, n, lsp, count) as computed, where held[j]
 * is 0 for every j below `j0` (the CPU-bound vCPUs' support): each term is at most P(L >= j0), as
 * lightHoldFull's own recurrence finds it (the same operations, so the same bits, whatever its
 * cancellation), times held's rise, at most 1; a relative and an absolute margin cover the sums'
 * rounding and tails a hair off their exact zeros. 0 (exact) where no term is asked.
 */
export function lightHoldFullAbove(j0: number, n: number, lsp: number, count: number): number {
  const js = Math.max(1, j0);
  if (count < 1 || js >= n || js > count) return 0;
  const p = Math.min(1, lsp / count);
  if (p >= 1) return LIGHT_HOLD_FULL_MAX;
  const odds = p / (1 - p);
  let pmf = (1 - p) ** count;
  let atLeast = 1 - pmf;
  for (let j = 1; j < js; j++) {
    pmf *= ((count - j + 1) / j) * odds;
    atLeast -= pmf;
  }
  return Math.max(0, atLeast) * HOLD_ABOVE_REL + HOLD_ABOVE_ABS;
}
const HOLD_ABOVE_REL = 1.01;
const HOLD_ABOVE_ABS = 1e-12;
/** LIGHT_HOLD_FULL_MAX: lightHoldFull is at most this whatever it is asked (a chance, with lightHoldFullAbove's margins). */
export const LIGHT_HOLD_FULL_MAX = HOLD_ABOVE_REL + HOLD_ABOVE_ABS;

/**
 * lightHomeBlock: the chance the waker's home runner blocks it: the home CPU was taken after it
 * left by a light vCPU (with the light share of wake-ups, `lightWakes` against `heavyWakes`, per
 * µs) that is serving (`serve`, the serving share of light holds). A CPU-bound home runner is
 * counted as not blocking: with light vCPUs holding the other cores, one of them frees its core
 * within a hold (service + poll window) and the waiter is pulled there. Counting it with its block
 * share (1 for a sleepy runner, the fresh home runner) made the core's p90 |ln| on the calibration
 * sweep's EEVDF hosts 0.426 and 0.398 without light holds; without it 0.378 (docs/accuracy.md).
 */
export function lightHomeBlock(lightWakes: number, heavyWakes: number, serve: number): number {
  return lightWakes + heavyWakes > 0 ? (lightWakes / (lightWakes + heavyWakes)) * serve : 0;
}

/**
 * othersBusy: the busy light vCPUs other than the waker, `lsp` the host's light Σ duty and
 * `count` its light vCPUs, the waker taken as an average one (its sibling vCPUs are waiters like
 * any other). Taking out the victim's own share instead gave the same figures on every victim but
 * the busiest, and a p90 |ln| on the extended calibration sweep's held-out CFS hosts of 0.380
 * against 0.375 (docs/accuracy.md, thirteenth round); a what-if's light VM counts as on the host.
 */
export function othersBusy(lsp: number, count: number): number {
  return count > 1 ? lsp * (1 - 1 / count) : 0;
}

/**
 * lightWaiterShare (CFS, Mechanisms.cfsLightWaiters): the share of the other runners' releases
 * that still reach a blocked waker once the busy light vCPUs are counted as waiters. With every
 * core held, a busy light vCPU other than the waker is runnable, so it is one more thread than
 * there are cores, as the CPU-bound excess is: a core that frees up runs its own queue first, and
 * an idle CPU pulls the longest-waiting thread from the busiest queue. The steal discount
 * 1 / (1 + STEAL_DISCOUNT x excess) (host-mix.ts) then counts them with the same weight, and this
 * is the factor that moves it there from the CPU-bound excess alone. `others` is the other light
 * vCPUs' mean busy count (othersBusy).
 */
export function lightWaiterShare(excess: number, others: number, stealDiscount: number): number {
  return others > 0 ? (1 + stealDiscount * excess) / (1 + stealDiscount * (excess + others)) : 1;
}

/**
 * lightHoldOne: lightHoldFull's j = 1 term alone, with the sleepers' halt-polls as holds too: the
 * host one core short of full by CPU-bound work and that core held, by one of `count` light
 * vCPUs (Σ duty `lsp`) or by one of `pollers` CPU-bound vCPUs not running, each polling with
 * chance `pollShare` (0: none counted). P(heavy = cores - 1) (1 - P(no light busy) P(no poller)).
 */
export function lightHoldOne(held: Float64Array, n: number, lsp: number, count: number, pollers: number, pollShare: number): number {
  if (n < 2) return 0;
  const p = count >= 1 ? Math.min(1, lsp / count) : 0;
  const none = (count >= 1 ? (1 - p) ** count : 1) * (pollers > 0 && pollShare > 0 ? (1 - Math.min(1, pollShare)) ** pollers : 1);
  return Math.max(0, held[1] - held[0]) * (1 - none);
}

/**
 * heavyHomeBlock (CFS, Mechanisms.cfsLightFullHome): the chance a CPU-bound runner on the waker's
 * home CPU blocks it while light holds fill the other cores (lightHomeBlock counts it as not
 * blocking). Traced in the simulator (docs/accuracy.md, "CFS's contended p90, the fix (session
 * 16)"): a vCPU wakes onto its previous CPU when that is idle, so while the CPU-bound vCPUs are
 * fewer than the cores each keeps a CPU of its own and the light vCPUs share the rest: the io
 * waker's home then held a CPU-bound runner on 13% of its blocked wakes (6 and 8 cores, 5 and 7
 * CPU-bound vCPUs), against a wake-rate share of 43%. Once they are as many as the cores they
 * displace each other onto the light vCPUs' CPUs, and the home runner is CPU-bound with its share
 * of the wake-ups (16 cores, 16 CPU-bound vCPUs: 63% against 66%); a fresh one (run < 1 ms, within
 * wakeup_gran) is not preempted, and the waker waits until a held core goes idle and newidle
 * balance pulls it. So: the CPU-bound share of wake-ups x their block share (`heavyBlock`) when
 * `heavyVcpus` >= `cores`, else 0.
 */
export function heavyHomeBlock(lightWakes: number, heavyWakes: number, heavyBlock: number, heavyVcpus: number, cores: number): number {
  if (heavyVcpus < cores || !(lightWakes + heavyWakes > 0)) return 0;
  return (heavyWakes / (lightWakes + heavyWakes)) * heavyBlock;
}

/**
 * sleeperPollLoad (CFS, Mechanisms.cfsSleeperPolls): the cores the CPU-bound sleepers' halt-poll
 * windows hold, in busy vCPUs. A sleeper alone on its CPU when its burst ends polls for up to
 * `pollUs` (kvm-fair scheduler.ts block), once per burst: `heavyWakes` (Σ duty / burst, per µs) x
 * the window. Its sleep is milliseconds long against a 200 µs window, so the window is taken whole
 * (E[min(sleep, window)] is 0.81 of it at the shortest sleeps drawn, 0.46 ms). The poller serves
 * nothing and a waker queued on it ends the poll: a hold that blocks no one, only fills the host.
 */
export function sleeperPollLoad(heavyWakes: number, pollUs: number): number {
  return heavyWakes * pollUs;
}

/**
 * kneeNoIdle (CFS, Mechanisms.cfsKneeSlack): the chance an io waker finds no idle CPU on a host
 * whose CPU-bound vCPUs are fewer than its cores (pFull 0), from the host's busy occupancy with
 * the halt-polls in. What the CPU-bound demand and the io service leave, `slack` cores, is where
 * the poll windows sit (a polling CPU is not idle to select_idle_sibling); the polls are many
 * short holds of independent vCPUs, so the number under way is Poisson with mean `polls` (their
 * load in cores), and no CPU is idle once they cover the slack: P(Poisson(polls) >= slack),
 * linear between the whole core counts either side (a slack of 0 or less: 1). On holdout-13's
 * packed-32/10029/0 the simulator's io p99.9 climbs past polls / slack = 1 (docs/accuracy.md,
 * "holdout-13's packed 32-core CFS miss (session 16)").
 */
export function kneeNoIdle(slack: number, polls: number): number {
  if (!(slack > 0)) return 1;
  if (!(polls > 0)) return 0;
  const k = Math.floor(slack);
  // P(N >= k) and P(N >= k + 1) for N ~ Poisson(polls).
  let pmf = Math.exp(-polls);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += pmf;
    pmf *= polls / (i + 1);
  }
  const atK = Math.max(0, 1 - below);
  const atK1 = Math.max(0, atK - pmf);
  return atK + (atK1 - atK) * (slack - k);
}

/**
 * kneeRate (CFS, Mechanisms.cfsKneeSlack): the rate, per µs, at which a waker that found no idle
 * CPU is released. The slack's cores turn over once per light hold (`holdUs`: a poll window runs
 * out, the CPU goes idle and newidle balance pulls a waiter), and the waiters share them as an
 * Erlang-C queue's do: its wait, given one, is exponential at (servers - load) x service rate,
 * here slack / hold. The runner's slice (`capUs`) ends the wait too (check_preempt_tick).
 */
export function kneeRate(slack: number, holdUs: number, capUs: number): number {
  return Math.max(0, slack) / holdUs + 1 / capUs;
}

/** FullHomeWaits: fullHomeWaits' answer (one scratch object, rewritten by each call). */
export interface FullHomeWaits {
  /** P(no idle CPU): Σ_j P(CPU-bound runnable = cores - j) P(L >= j), j = 1..most. */
  full: number;
  /** E[j | full]: the cores the light holds fill then, each freeing at the end of its hold. */
  held: number;
  /** 1 + E[(L - j)+ | full]: the queued threads a freed core picks among, the waker's included. */
  queued: number;
}
const FULL_HOME: FullHomeWaits = { full: 0, held: 0, queued: 1 };

/**
 * fullHomeWaits (EEVDF, Mechanisms.eevdfFullHome; host-mix.ts fullHome): with `held` P(CPU-bound
 * runnable >= cores - j) for j below `n`, and the light holds L ~ Binomial(`count`, `lsp` /
 * `count`) (the io vCPUs' serves and polls and the sleepers' polls, the waker's own out), the
 * chance the host has no idle CPU with 1 to `most` cores held by light holds, the mean of those
 * cores then, and the queue a freed core picks from. Measured with the simulator instrumented
 * (docs/accuracy.md, "Packed EEVDF io victims below the count (session 20)"): the threads queued
 * while a victim waits were 1.2-3.0, and the victim took 31-72% of the freed cores' picks, about
 * 1 / that queue.
 */
export function fullHomeWaits(held: Float64Array, n: number, lsp: number, count: number, most: number): FullHomeWaits {
  const out = FULL_HOME;
  out.full = 0;
  out.held = 0;
  out.queued = 1;
  if (count < 1 || !(lsp > 0)) return out;
  const p = Math.min(0.99, lsp / count);
  const odds = p / (1 - p);
  let pmf = (1 - p) ** count; // P(L = 0)
  let atLeast = 1 - pmf; // P(L >= j), j = 1
  let over = count * p - atLeast; // E[(L - j)+], j = 1
  let full = 0;
  let jSum = 0;
  let xSum = 0;
  for (let j = 1; j < n && j <= count && j <= most && atLeast > 1e-15; j++) {
    const dh = Math.max(0, held[j] - held[j - 1]);
    full += dh * atLeast;
    jSum += dh * atLeast * j;
    xSum += dh * over;
    pmf *= ((count - j + 1) / j) * odds; // P(L = j)
    atLeast -= pmf;
    over -= atLeast;
  }
  if (!(full > 0)) return out;
  out.full = full;
  out.held = jSum / full;
  out.queued = 1 + Math.max(0, xSum) / full;
  return out;
}
