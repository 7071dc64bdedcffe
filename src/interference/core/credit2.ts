import type { XenCredit2Params } from "../../model/scheduler.js";
import { xenLightPart } from "./credit1.js";
import type { Components } from "./components.js";
import type { Mechanisms, NoQueueLine, RepickFloor, SchedulerCore } from "./scheduler-core.js";
import { UNSTABLE_US } from "./time-share.js";

/**
 * GRANT_SCALE: grant ends per busy CPU per MAX_TIMER. A runner picked with nobody ahead of it in
 * the queue is granted its credit as time, at most MAX_TIMER; credits at a pick spread between 0
 * and CREDIT_INIT, so grants average about half of MAX_TIMER, sleepers' as well as hogs' (a
 * sleeper's segment ends at its burst or its grant, whichever comes first). Tuning hosts (seeds
 * 9300-9359, docs/accuracy.md fifth round), every busy CPU: 1.5 / 2 / 3 gave p90 0.412 / 0.406 /
 * 0.387 and 1 / 1 / 2 unsafe misses; hogs' grants only (the third round's core): 0.422 at 2.
 */
export const GRANT_SCALE = 2;

/**
 * QUEUED_SCALE: with runners queued (excess > 0) a grant ends when the runner's credit falls to
 * the first waiter's, no sooner than the rate limit: at most one reschedule per CPU per rate
 * limit, fewer where runners' credits lie further apart. Third round's tuning hosts: 1 / 0.3 / 0.1
 * gave p90 0.424 / 0.422 / 0.438, unsafe 2 / 1 / 1 (kept, not tuned again in the fifth round).
 */
export const QUEUED_SCALE = 0.3;

/**
 * EPISODE_CAP_RATELIMITS: with Mechanisms.credit2TimerCap (on since session 18), a mixed
 * victim's preempted-burst episode lasts at most this many rate limits, not MAX_TIMER. In the
 * simulator the preemptor was just picked, so its pCPU looks again when its rate limit ends, and
 * the other pCPUs' re-picks come every MIN_TIMER while runners queue with close credits: on
 * holdout-16's 6-core hosts whose episode floor over-predicts, episodes averaged 0.56-0.85 ms with
 * 0.0-0.9% past 3 ms, where the exponential of the core's mean (1.1-1.3 ms) puts 7-10% past 3 ms
 * (on the one under-predicted, 10058/0: 1.0-1.1 ms and 3% against the core's 0.66 ms; the cap
 * does not reach it). docs/accuracy.md, "credit2's contended p90 on holdout-16". Open rounds,
 * credit2 contended p90: 1 rate limit cut holdout-16
 * (0.438 -> 0.391) but raised holdout-6 (0.294 -> 0.387) and others; 2 / 2.5 / 3 / 4 gave
 * holdout-16 0.332 / 0.331 / 0.332 / 0.350 and holdout-6 0.359 / 0.348 / 0.302 / 0.302.
 */
export const EPISODE_CAP_RATELIMITS = 3;

/**
 * Credit2Flags: the Mechanisms credit2Core reads, by name rather than position, so a new term
 * adds a key instead of an argument every caller must line up, and a swapped pair cannot
 * type-check (coreFor passes its Mechanisms whole). An absent key takes the default in
 * credit2Core.
 */
export type Credit2Flags = Partial<
  Pick<Mechanisms, "grantEnds" | "ownBurstPreempt" | "grantShape" | "credit2TimerCap" | "credit2HogPreempt" | "credit2RepickCap" | "credit2QueuedHog" | "credit2RepickFloor" | "credit2SiblingIo" | "credit2BusyBacklog" | "credit2LowestCredit" | "credit2NoQueueLine" | "credit2MixedWakes">
>;

/**
 * credit2Core: Xen credit2 (sim-fidelity section 2, E6).
 *
 * - No BOOST: a waker is inserted by credit and tickles the CPU whose runner has the lowest
 *   credit. A latency-sensitive vCPU burns little, so it carries near-maximal credit and beats a
 *   CPU-bound runner, except while that runner is inside its rate limit (its first ratelimitUs
 *   after a pick): the waker then tickles nobody on that CPU.
 * - Nobody re-tickles a waker that found no CPU to preempt: it waits in the run queue for the
 *   next schedule() on any CPU of it (a runner blocking, or a grant ending), not for the rate
 *   limit to pass. Removing the rate limit from the simulator removes these waits, and they
 *   outlast it (a 4-core host with 2 io victims: wake-to-run p99.9 1.2-1.5 ms with a 1 ms rate
 *   limit, the same victims at alone latency without one). So a sleepy runner inside its window
 *   blocks (blockShare: rl over its run segment, a burst capped by MAX_TIMER), and the wait is
 *   the queue's release rate: the other runners blocking, plus every busy CPU's grant ends
 *   (grantEndRate; more often while runners queue), capped at MAX_TIMER.
 * - A hog runs MAX_TIMER segments while others wait; it keeps the uniform rate-limit wait
 *   (rl / MAX_TIMER of its time), which keeps hog-only hosts from being predicted at the alone
 *   latency (their waits are short and rare: 0.3-0.5 ms at p99.9 in the simulator).
 * - Two light vCPUs carry similar credit: a waking one beats a running one about half the time.
 * - A mixed victim's vCPU is itself a runner inside its own CPU bursts: a waking sleeper preempts
 *   it and it waits queued below the runners' credit (preemptedInBurst; Mechanisms.ownBurstPreempt).
 */
export function credit2Core(p: XenCredit2Params, cores: number, flags: Credit2Flags = {}): SchedulerCore {
  const {
    grantEnds = true,
    ownBurstPreempt = true,
    grantShape = true,
    credit2TimerCap: timerCap = false,
    credit2HogPreempt: hogPreempt = false,
    credit2RepickCap: repickCap = false,
    credit2QueuedHog: queuedHog = false,
    credit2RepickFloor: repickFloor = false,
    credit2SiblingIo: siblingIo = false,
    credit2BusyBacklog: busyBacklog = false,
    credit2LowestCredit: lowestCredit = false,
    credit2NoQueueLine: noQueueLine = false,
    credit2MixedWakes: mixedWakes = false,
  } = flags;
  const maxUs = p.maxTimerUs;
  const rl = Math.min(p.ratelimitUs, maxUs);
  const approximations: string[] = [];
  // One run queue only: with several, which vCPUs share the victim's queue is the balancer's.
  const lowest = lowestCredit && cores <= p.maxCpusPerRunqueue;
  if (cores > p.maxCpusPerRunqueue) approximations.push(`${cores} cores span several credit2 run queues (${p.maxCpusPerRunqueue} CPUs each): balancing between them is not modelled`);
  // A waker waits in its own run queue: only that queue's CPUs' schedule() can pick it.
  const queueCpus = cores / Math.ceil(cores / p.maxCpusPerRunqueue);
  const rules = grantEnds ? grantEndRules(rl, maxUs, queueCpus, p.minTimerUs) : rateLimitRestRules(rl, maxUs);
  return {
    name: "credit2",
    ...rules,
    rateLimitUs: rl,
    waitCapUs() {
      return maxUs;
    },
    // Tried (docs/accuracy.md, fourth round): it raised credit2's p90 on the calibration hosts.
    ownBurstQueue: false,
    localWaiters: false,
    lightPart: xenLightPart(0.5),
    lightBlock: 0.5,
    driftShare: 0,
    driftCapUs: 0,
    approximations,
    ...(ownBurstPreempt ? { ownBurstPreempt: preemptedInBurst(rules.grantEndRate, queueCpus, maxUs, timerCap ? EPISODE_CAP_RATELIMITS * Math.max(rl, p.minTimerUs) : 0, hogPreempt, lowest) } : {}),
    ...(grantEnds && grantShape ? { grantWait: grantWaitOf(rules.grantEndRate, queueCpus, rl) } : {}),
    // A mixed VM's request wake is a wake like an io-only vCPU's: its block leaves a fresh window.
    ...(grantEnds && grantShape && mixedWakes ? { grantMixedWakes: true as const } : {}),
    ...(repickCap && queueCpus > REPICK_MIN_CPUS ? { repickWaitUs: repickWaitOf(p.minTimerUs, rl) } : {}),
    ...(repickFloor && queueCpus > REPICK_MIN_CPUS ? { repickFloor: repickFloorOf(p.minTimerUs, rl) } : {}),
    // One run queue only: with several, how many CPU-bound vCPUs each holds is the balancer's.
    ...(queuedHog && cores <= p.maxCpusPerRunqueue ? { queuedHog: queuedHogEpisodes(cores, maxUs) } : {}),
    ...(siblingIo ? { siblingIo: true } : {}),
    ...(busyBacklog ? { busyBacklog: busyBacklogOf(p) } : {}),
    // One run queue only: with several, which CPU-bound vCPUs share the victim's is the balancer's.
    // The grant-end shape is what says every runner is rarely fresh at once: without it, no line.
    ...(noQueueLine && grantEnds && grantShape && cores <= p.maxCpusPerRunqueue ? { noQueueLine: noQueueLineOf(p.minTimerUs, rl, maxUs) } : {}),
    // The queue resets once its top burner, the victim at share d, has burnt CREDIT_INIT: every
    // CREDIT_INIT / d. A vCPU at d' has burnt CREDIT_INIT d' / d by then, and credit moves in runs
    // of at least a rate limit, so the victim stays under it through the period only where the gap,
    // CREDIT_INIT (1 - d' / d), is a rate limit or more (docs/accuracy.md, session 24: at a gap of
    // 0.08-0.09 of the share the term over-predicted three of five victims).
    ...(lowest ? { lowestCreditRatio: 1 - Math.min(rl, p.creditInitUs) / p.creditInitUs } : {}),
  };
}

/**
 * REPICK_MIN_CPUS: run queues of this many CPUs or fewer are the grant-end kind (grantWaitOf: every
 * runner inside a fresh window at once, waits of 2-9 ms on 4-core hosts), where the re-pick bound
 * below does not hold. With the line on 4-core queues too (the grant-end floor still under it),
 * the open rounds' contended credit2 p90 rose on 12 of 19 rounds and 12 unsafe misses appeared
 * (docs/accuracy.md, session 20).
 */
export const REPICK_MIN_CPUS = 4;

/**
 * repickWaitOf (Mechanisms.credit2RepickCap): the wait that sets an io-only victim's p99.9 on a run
 * queue of more than REPICK_MIN_CPUS CPUs. A waker that tickles nobody (runq_tickle: its own
 * pCPU's runner inside its rate limit, the others not out-credited by MIGRATE_RESIST or inside
 * theirs) waits queued for the next schedule() of a pCPU that may take it. With runners queued at
 * close credits, each pCPU re-picks at timers armed at MIN_TIMER; its own pCPU's runner was picked
 * when the vCPU last blocked, so a wake within the rate limit of that finds it fresh and may wait
 * the rest of its window. The wait is MIN_TIMER, plus the window's part beyond it with the chance
 * that a Poisson waker of rate `lambdaUs` (per vCPU) wakes again within the rate limit:
 * MIN_TIMER + (rl - MIN_TIMER) (1 - e^(-lambda rl)). Open rounds, io victims on 6-16 core credit2
 * hosts with the core predicting over it: the simulated p99.9 is service + 0.50 ms at low rates
 * (under 400/s) and service + 0.8-1.1 ms at 1,200-1,900/s (docs/accuracy.md, session 20).
 */
function repickWaitOf(minTimerUs: number, rl: number): (lambdaUs: number) => number {
  const min = Math.min(minTimerUs, rl);
  return (lambdaUs) => min + (rl - min) * (1 - Math.exp(-lambdaUs * rl));
}

/**
 * NO_QUEUE_FRESH_UNDER: how far the grant-end term's all-fresh chance (grantWaitOf's grantA) fell
 * under the simulator's share of an io-only vCPU's wakes that waited past MIN_TIMER, at most, on
 * the 4-core hosts traced (the line's limit on the grant-end tail is eps over this) (docs/accuracy.md, session 25, seed 1, 20-30 s; no CPU-bound vCPU
 * queued): 1.05-5.1x (holdout-30 10195/1 victim-0 9.1e-4 against 8.7e-4, holdout-18 10080/4
 * victim-0 5.3e-4 against 1.0e-4). Read from those traces, not chosen on the rounds.
 */
export const NO_QUEUE_FRESH_UNDER = 5;

/** NO_QUEUE_EPS: the tail of the percentile the line is for (p99.9; query.ts asks it there only). */
const NO_QUEUE_EPS = 0.001;

/**
 * noQueueLineOf (Mechanisms.credit2NoQueueLine): an io-only victim's one wait on a run queue whose
 * CPU-bound vCPUs never outnumber its CPUs. None of them is ever queued, so a runner is re-picked
 * fresh only when a waker preempted it (it gets its pCPU back when the waker blocks) or when it
 * wakes to an idle pCPU, and a waker with the most credit (an io vCPU burns little) finds one past
 * its rate limit to preempt: runq_tickle tries its own pCPU's runner first, and others by
 * MIGRATE_RESIST. It waits where that own runner is within TICKLE_TOLERANCE of its rate limit's
 * end: tickle's is_preemptable passes, but candidate() still keeps the runner (inside its limit)
 * and re-arms its timer at MIN_TIMER, and nobody re-tickles the waker, so it waits MIN_TIMER. Its
 * own pCPU's runner is the one it preempted at its last wake, re-picked when it blocked, so such a
 * wake comes rate limit - tolerance to rate limit after its last block. The long waits, for a
 * release or a grant end, need every runner fresh at once (the grant-end term's grantA), which
 * the traces found up to NO_QUEUE_FRESH_UNDER times as often as grantA: the line holds where the
 * grant-end term's tail past the one wait (grantTailAt at service + MIN_TIMER: a victim's requests
 * that arrive during a long wait see it too) is under eps / NO_QUEUE_FRESH_UNDER, and the
 * grant-end floor stays over it (query.ts noQueueDue). Traced (docs/accuracy.md,
 * session 25): 4-6 core hosts, 0.05-1.3% of an io victim's wakes wait, nearly all exactly 500 µs,
 * ended by a timer, and p99.9 at service + 500 µs or at its service alone.
 */
function noQueueLineOf(minTimerUs: number, rl: number, maxUs: number): NoQueueLine {
  return { waitUs: Math.min(minTimerUs, rl, maxUs), freshMax: NO_QUEUE_EPS / NO_QUEUE_FRESH_UNDER };
}

/**
 * REPICK_WAIT_SHARE: the simulator's share of an io-only vCPU's wakes that wait, over the core's
 * P(blocked) = pFull x blockGivenFull (which counts every wake that finds the queue's CPUs held,
 * where runq_tickle still preempts most runners past their rate limit). REPICK_FULL_SHARE: the
 * share of those waits that last the whole MIN_TIMER (ended by the own pCPU's re-pick timer).
 * Traced (docs/accuracy.md, session 21, seed 7, 10 s): holdout-22's 12-core 10120/0 victim-1
 * waits on 0.49% of its wakes against the core's 2.08% (0.24), 26% of them at 450-500 µs;
 * holdout-7's 12-core 9959/4 victim-0 0.20% against 1.56% (0.13), 42% at 450-500 µs. Chosen on the
 * open rounds within those ranges (0.15, 0.4; estimates recomputed from the shipped ones): 0.1 left
 * holdout-22's contended credit2 p90 at 0.413, 0.2 raised holdout-8's (0.377 -> 0.389) and
 * holdout-11's packed one (0.323 -> 0.358).
 */
export const REPICK_WAIT_SHARE = 0.15;
export const REPICK_FULL_SHARE = 0.4;

/**
 * REPICK_ENDS_PER_WAKE: schedule() calls per other vCPU's wake that may pick the waiter: the wake
 * (runq_tickle preempts a runner; that pCPU then picks the queue's best, often the waiter) and the
 * block that ends its run. On packed hosts (holdout-16 packed/10056/2 vm-9, holdout-18
 * packed/10075/3 vm-6: 16 cores, 5,000-9,000 other wakes a second) 0.75-0.9% of wakes wait but
 * none past 0.4 ms, 60-70% ended by another vCPU blocking, 10-15% by another's wake. With 1, 8
 * packed credit2 groups' p90 rose on 5 open rounds (holdout-11's (all) 0.222 -> 0.276, holdout-19's
 * 0.219 -> 0.273); without the wakes, packed p90s rose on 13 (docs/accuracy.md, session 21).
 */
export const REPICK_ENDS_PER_WAKE = 2;

/**
 * repickFloorOf (Mechanisms.credit2RepickFloor): the waits of an io-only vCPU on a run queue of
 * more than REPICK_MIN_CPUS CPUs. A wake that tickles nobody waits for a schedule() that picks it;
 * a pCPU whose runner has just passed its rate limit keeps it at that timer (the waker not yet
 * queued, or another preferred) and re-arms at MIN_TIMER, and the waker's own pCPU's timer then
 * ends its wait a whole MIN_TIMER later: in the simulator the waits spread over [0, MIN_TIMER] with
 * a lump at MIN_TIMER and nothing past it. Other vCPUs' wakes and blocks end them sooner, at
 * REPICK_ENDS_PER_WAKE x their wakes. With s = REPICK_WAIT_SHARE x pBlocked and f =
 * REPICK_FULL_SHARE: P(wait > y) = s (f + (1 - f)(1 - y / MIN_TIMER)) e^(-ends y), y < MIN_TIMER.
 * The core's exponential wait (mean 150-250 µs on these queues) puts these p99.9s at service +
 * 150-300 µs where the simulator's sit at service + 500 (open rounds' 12-core contended io
 * victims of pFull over 0.2: service + 496-504 µs).
 */
function repickFloorOf(minTimerUs: number, rl: number): RepickFloor {
  const min = Math.min(minTimerUs, rl);
  const tail = (pBlocked: number, wakesUs: number, y: number): number => {
    if (!(y < min)) return 0;
    const s = REPICK_WAIT_SHARE * pBlocked;
    return s * (REPICK_FULL_SHARE + (1 - REPICK_FULL_SHARE) * (1 - Math.max(0, y) / min)) * Math.exp(-REPICK_ENDS_PER_WAKE * wakesUs * Math.max(0, y));
  };
  return {
    tail,
    waitUs(pBlocked, wakesUs, eps) {
      if (!(tail(pBlocked, wakesUs, 0) > eps)) return 0;
      // The tail falls in y: bisect to a thousandth of a µs (deterministic, 19 steps from 500 µs).
      let lo = 0;
      let hi = min;
      while (hi - lo > 1e-3) {
        const mid = 0.5 * (lo + hi);
        if (tail(pBlocked, wakesUs, mid) > eps) lo = mid;
        else hi = mid;
      }
      return hi;
    },
  };
}

/**
 * BACKLOG_SHARE: the chance, over the lead's first-passage factor, that a request of a busy io vCPU
 * is in a backlog whose vCPU has lost its lead (busyBacklogOf). Traced (docs/accuracy.md, "credit2's
 * busy io vCPU preempted in its backlog (session 23)") as the simulated p99.9 over the rest of the
 * term, on three hosts with the io victim's rate edited (busy: value): holdout-27 10169/1 vm-1 0.39:
 * 0.14, 0.46: 0.19, 0.58: 1.0; holdout-18 10080/6 vm-1 0.40: 0.13, 0.47: 0.09, 0.58: 0.22; holdout-25
 * 10146/0 vm-2 0.36: 0.17, 0.41: 0.08, 0.47: 0.31, 0.53: 3.7. Their median, 0.18 (the two misses'
 * own rates, 0.19 and 0.18, left out). Where the vCPU's load comes within 0.08 of the share (1.0,
 * 3.7) the fixed wait under-counts: the backlog there drains ever slower.
 */
export const BACKLOG_SHARE = 0.18;

/**
 * BACKLOG_WAIT_US: the wait of a busy io vCPU taken off its pCPU with its backlog queued, on a full
 * run queue: it waits for the waiters with more credit to be picked and then for a pCPU to pick it.
 * Traced (the same section): 626-690 µs at the mean on holdout-27's 8-CPU and holdout-18's 16-CPU
 * queues at busy 0.53-0.55 (p50 680-720, none over 1.5 ms); 500-520 at busy 0.46, 380 at 0.39.
 */
export const BACKLOG_WAIT_US = 650;

/**
 * busyBacklogOf (Mechanisms.credit2BusyBacklog): an io-only vCPU busy rho on a run queue whose CPUs
 * are all held. Every vCPU of the queue burns credit only while it runs, and the reset adds
 * CREDIT_INIT to all of them when the head's is gone, clipped to CREDIT_INIT + CARRYOVER: the
 * CPU-bound vCPUs, each running `share` of a CPU, set the level that falls CREDIT_INIT per reset,
 * and the io vCPU, which carries the most credit, is clipped back to CARRYOVER over that level at
 * every reset. Between resets its lead grows at share per µs it sleeps and falls at 1 - share per
 * µs it serves: a drift of share - rho with a variance of rho x S per µs (the busy time of its
 * M/D/1 queue), so the chance that a reset period's burn takes the lead from CARRYOVER to nothing
 * is e^(-2 (share - rho) CARRYOVER / (rho S)) (the first passage of that walk). From there the
 * vCPU sits at the bottom of the queue's credit order: after its rate limit, its timer (re-armed at
 * MIN_TIMER) or a waker's tickle takes it off while it serves, and its backlog waits
 * BACKLOG_WAIT_US. The backlog's tail then decays at the Cramer-Lundberg rate of an M/D/1 queue
 * whose service is held up by BACKLOG_WAIT_US once every rate limit + MIN_TIMER it runs: P(latency >
 * x) = pFull BACKLOG_SHARE e^(-2 (share - rho) c / (rho S)) e^(-theta (x - S)).
 *
 * In the simulator (holdout-27 packed/10169/1 vm-1, busy 0.53, 8 CPUs, seed 7, 40 s): taken off 32
 * times a second while it serves (12.6 by tickles, 19.3 at its timer), after 1,500 µs of run at the
 * median (the rate limit, then one MIN_TIMER), and its p99.9 5.5 ms against 1.9 ms with its burn
 * switched off; CARRYOVER 3,000 µs in place of 500: 2.1 ms.
 */
function busyBacklogOf(p: XenCredit2Params): NonNullable<SchedulerCore["busyBacklog"]> {
  const carry = p.carryOverUs;
  const runUs = Math.min(p.ratelimitUs, p.maxTimerUs) + p.minTimerUs;
  return (pFull, share, lambdaUs, serviceUs, rho, minChance, out) => {
    out[0] = 0;
    out[1] = 0;
    if (!(pFull > 0) || !(share > 0) || !(rho > 0) || !(serviceUs > 0)) return;
    const z = Math.max(0, (2 * (share - rho) * carry) / (rho * serviceUs));
    out[0] = pFull * BACKLOG_SHARE * Math.exp(-z);
    // The root costs a hundred exponentials: only for the few victims whose floor can show.
    if (out[0] > minChance) out[1] = heldDecay(lambdaUs, serviceUs, runUs, BACKLOG_WAIT_US);
  };
}

/**
 * heldDecay: the Cramer-Lundberg decay per µs of the sojourn tail of an M/D/1 queue (rate lambdaUs,
 * service S) whose server stops for `waitUs` once every `runUs` it serves (a request's service
 * meets a stop with chance S / runUs): the root theta > 0 of lambda (E[e^(theta S')] - 1) = theta;
 * 0 when the held queue does not drain.
 */
export function heldDecay(lambdaUs: number, serviceUs: number, runUs: number, waitUs: number): number {
  const hit = Math.min(1, serviceUs / runUs);
  if (!(lambdaUs * (serviceUs + hit * waitUs) < 1)) return 0;
  const g = (t: number): number => lambdaUs * (Math.exp(t * serviceUs) * (1 - hit + hit * Math.exp(t * waitUs)) - 1) - t;
  // g(0) = 0 and g falls first (the queue drains), then rises: bracket the root, then bisect.
  let hi = 1 / (serviceUs + waitUs);
  while (g(hi) <= 0) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) > 0) hi = mid;
    else lo = mid;
  }
  return lo;
}

/**
 * backlogQuantileUs: the busy-backlog floor's quantile at tail eps (busyBacklogOf's chance and
 * decay): S + ln(chance / eps) / decay; 0 (no floor) when the chance is within eps, UNSTABLE_US
 * when the held backlog does not drain.
 */
export function backlogQuantileUs(chance: number, decay: number, serviceUs: number, eps: number): number {
  if (!(chance > eps)) return 0;
  if (!(decay > 0)) return UNSTABLE_US;
  return Math.min(UNSTABLE_US, serviceUs + Math.log(chance / eps) / decay);
}

/**
 * preemptedInBurst: a mixed victim's vCPU inside its own CPU burst holds a core like any runner
 * and burns credit like one. When a sleeper wakes with every other core held, it preempts a
 * runner (the one on its own CPU if it out-credits it, else the one with the least credit past
 * its rate limit): one of the queue's CPUs, so the victim's chance is 1 / CPUs. The others then
 * hold every core: such wakes come at the rate the others enter "all held", which in steady
 * state is the rate they leave it, P(all held) x their release rate (nu without grant ends; the
 * victim's own vCPU out of both, as rescale leaves them). The preempted vCPU is queued below the
 * runners' credit: it tickles nobody, and a grant end frees it only where the runner has less
 * credit (a hog's: hogShare of the grant ends); otherwise it waits for a runner to block.
 * Requests that arrive meanwhile wait the rest of it. No request wakes the vCPU for these waits,
 * so the waker's components (a block share per runner) do not hold them, and the learned
 * correction, fitted on those, is not theirs: query.ts takes them as a floor under the estimate.
 *
 * Instrumented simulations (20 s; waits from the victim's preemption to its next run): on
 * holdout-6's 12-core contended-credit2/9902/2 a 2-vCPU victim at duty 0.51 / 25 ms bursts had 35
 * episodes per second per vCPU (this rule: 21), mean wait 460 us (1264 of 1555 ended by a runner
 * blocking; this rule: 433 us), 1.6% of its time: its p99.9 1.16 ms; the same victim io-only
 * 0.12-0.35 ms. On 46 mixed victims of the calibration fitting hosts the measured rate was
 * within 2.5x of this one where the waits were long (hundreds of us), but on one host (3.6x
 * under it), mostly above it; short waits (tens of us) come from light vCPUs' wakes and do not
 * reach the p99.9. Tried on the calibration hosts (credit2 contended, mixed victims, p90 |err|
 * fitting / held-out side; without the episodes 0.549 / 0.462): this rule 0.470 / 0.438;
 * x (1 - hog share) 0.537 / 0.462; P(all but one held) x the sleepers' wake rate in place of
 * the flux 0.840 / 0.872; wait at nu (grant ends included) 0.549 / 0.462; at the release rate
 * alone 0.636 / 0.747 (docs/accuracy.md, ninth round).
 */
function preemptedInBurst(grantEndRate: (excess: number) => number, queueCpus: number, maxUs: number, timerCapUs: number, hogPreempt: boolean, lowestCredit: boolean): NonNullable<SchedulerCore["ownBurstPreempt"]> {
  return (c, duty, lightWakesUs, lightHoldUs, hogVcpus, lowest = 0) => {
    if (hogPreempt && duty >= 1) hogLightEpisodes(c, lightWakesUs, lightHoldUs, hogVcpus);
    const grants = grantEndRate(c.excess);
    const release = c.nu - grants;
    // Mechanisms.credit2LowestCredit: the victim holds the least credit of the queue, so a waker
    // that finds every CPU held preempts one of its own vCPUs rather than any of the CPUs' runners,
    // and a release goes to every waiter queued ahead of it (all hold more credit) first: its wait
    // ends only at a release that finds nobody else queued, 1 / (1 + excess) of them.
    const low = lowestCredit && lowest > 0;
    const rate = (duty * c.pFull * release) / (low ? Math.min(queueCpus, lowest) : queueCpus);
    if (!(rate > 0)) return;
    const r = Math.max(1 / maxUs, (low ? release / (1 + c.excess) : release) + c.hogShare * grants);
    c.ownPreA = rate;
    c.ownPreR = r;
    // Mechanisms.credit2TimerCap (EPISODE_CAP_RATELIMITS): the episode takes the shorter cap;
    // query.ts splitEpisodes gives the victim's own components their cap back afterwards.
    if (timerCapUs > 0 && c.excess > 0) c.capUs = Math.min(c.capUs, timerCapUs);
    c.ownPreECap = Math.exp(-r * c.capUs);
  };
}

/**
 * hogLightEpisodes (Mechanisms.credit2HogPreempt): a mixed victim whose vCPU never sleeps burns
 * credit all the time, so it holds the least credit of the runners (the others sleep and come
 * back with more). A waker that finds no idle pCPU (the others hold every pCPU but the victim's:
 * c.pNearFull, its own vCPU out) preempts the runner it out-credits most (runq_tickle), the
 * victim, or one of the never-sleeping runners, `hogVcpus` of them with the victim's. An io-only
 * waker carries near-maximal credit and serves for its hold (`lightHoldUs`, at `lightWakesUs`
 * wakes per µs over the host), and then the pCPU goes back to the victim: episodes of an
 * exponential of that mean, in ownLong* (credit2's own-burst episodes are ownPre*). Its pCPU is
 * then the waker's, so the next wake of that io vCPU finds it first: the chance does not spread
 * over the queue's pCPUs as a sleeper's does (preemptedInBurst).
 *
 * Simulated (docs/accuracy.md, "Packed EEVDF and the unsafe misses on holdout-17 (session 19)"):
 * holdout-17's packed/10063/7 vm-6 (8 cores, the one never-sleeping vCPU of 10, three io VMs at
 * 2,066 wakes/s) is preempted 113 times a second for 194 µs on average (2.2% of its time), and its
 * p99.9 is 1,064 µs against 435 alone, where the sleepers' episodes alone said 498.
 */
function hogLightEpisodes(c: Components, lightWakesUs: number, lightHoldUs: number, hogVcpus: number): void {
  const a = (lightWakesUs * c.pNearFull) / Math.max(1, hogVcpus);
  if (!(a > 0) || !(lightHoldUs > 0)) return;
  const r = 1 / lightHoldUs;
  c.ownLongA = a;
  c.ownLongR = r;
  c.ownLongECap = Math.exp(-r * c.capUs);
}

/**
 * queuedHogEpisodes (Mechanisms.credit2QueuedHog): a mixed victim whose vCPUs never sleep, on a
 * run queue of `queueCpus` CPUs whose CPU-bound vCPUs (the victim's counted) are one more than
 * them (chance `pOneWaiter`). Each switch picks the one waiter, and csched2_runtime arms the new
 * runner's timer before context_saved queues the vCPU it replaced: nobody is queued, so the grant
 * is the runner's whole credit, up to MAX_TIMER. Once every CPU's runner holds such a grant, the
 * vCPU queued in its turn waits for the shortest: with credits spread up to MAX_TIMER, P(wait > w)
 * = (1 - w / MAX_TIMER)^CPUs, and a request that meets it waits the rest, P(> y) = share (1 -
 * y / MAX_TIMER)^(CPUs + 1) over its time queued, `share` = pOneWaiter / (CPUs + 1) (each of the
 * runnable vCPUs the waiter in turn). Another vCPU's wake preempts a runner and the pick after it
 * finds a waiter queued, which arms short grants (credit minus the head's): the share is thinned
 * by e^(-wakes x MAX_TIMER), the chance no wake re-arms a grant within one.
 *
 * Simulated (docs/accuracy.md, "credit2's queued hog: grants armed with nobody queued (session
 * 20)"): holdout-20's packed/10099/7 (8 cores, the victim's 8 never-sleeping vCPUs, one hog and a
 * sleeper of duty 0.3 with 30 ms bursts): each vCPU queued 15-20% of its time, 197 times a second,
 * p50 0.67 ms, p99 5.0-5.6 ms; 343 of 354 waits over 2 ms ended at a grant armed with nobody
 * queued (median 9.55 ms). With a second hog (two waiters) p99.9 1.7 ms, with an io VM waking
 * 1,200 times a second 1.9 ms, against 5.7 ms.
 */
function queuedHogEpisodes(queueCpus: number, maxUs: number): NonNullable<SchedulerCore["queuedHog"]> {
  return (c, pOneWaiter, wakesUs) => {
    const share = (pOneWaiter / (queueCpus + 1)) * Math.exp(-wakesUs * maxUs);
    if (!(share > 0)) return;
    c.hogQShare = share;
    c.hogQCpus = queueCpus;
    c.hogQCapUs = maxUs;
  };
}

/**
 * grantWaitOf: the long grant-end waits. A waker tickles nobody when every runner of its queue is
 * inside a fresh rate-limit window. Each re-pick starts a window: an io vCPU's wake preempts a
 * runner and hands the CPU back when it blocks (lightWakesUs per µs, the host's io vCPUs), and a
 * runner that blocks is replaced (the release rate without grant ends); so each CPU is fresh with
 * chance 1 - e^(-re-picks x rl / CPUs), all of them with that to the power CPUs. The grants were
 * armed at those picks with nobody queued, so each is its runner's credit, uniform up to
 * MAX_TIMER: the waker waits for the shortest, or for a runner blocking.
 *
 * Instrumented simulations (docs/accuracy.md, ninth round: holdout-2 9203/4, holdout-3 9604/6;
 * 4-core hosts with two io victims at about 1000 wakes/s): every wake that waited over 2 ms found
 * all four runners 0-0.9 ms into their windows, and waited 2-9 ms for a grant end or a block.
 * Chosen on the calibration sweep's credit2 hosts (docs/accuracy.md, tenth round): almost only
 * 4-core hosts reach the p99.9 with it (a wider queue's windows are rarely all fresh at once).
 */
function grantWaitOf(grantEndRate: (excess: number) => number, queueCpus: number, rl: number): NonNullable<SchedulerCore["grantWait"]> {
  return (c, lightWakesUs) => {
    const release = Math.max(0, c.nu - grantEndRate(c.excess));
    const fresh = 1 - Math.exp(-((lightWakesUs + release) * rl) / queueCpus);
    c.grantA = c.pFull * fresh ** queueCpus;
    c.grantCpus = queueCpus;
    c.grantRate = release;
  };
}

type WakerRules = Pick<SchedulerCore, "blockShare" | "rateLimitShare" | "grantEndRate">;

/** The waker nobody re-tickles waits for the queue's next schedule(): a runner blocking or a grant ending. */
function grantEndRules(rl: number, maxUs: number, queueCpus: number, minTimerUs: number): WakerRules {
  return {
    blockShare: (b) => (rl === 0 ? 0 : Math.min(1, rl / (b * (1 - Math.exp(-maxUs / b))))),
    rateLimitShare: (_b, hog) => (rl === 0 || !hog ? 0 : Math.min(1, rl / maxUs)),
    grantEndRate: (excess) => (GRANT_SCALE * queueCpus) / maxUs + (QUEUED_SCALE * Math.min(1, excess) * queueCpus) / Math.max(rl, minTimerUs),
  };
}

/**
 * Mechanisms.grantEnds off (model-v5's credit2 core): runners never block the waker for credit,
 * and a runner inside its rate limit holds it for the rest of the window (uniform), as if the
 * window's end re-tickled it.
 */
function rateLimitRestRules(rl: number, maxUs: number): WakerRules {
  return {
    blockShare: () => 0,
    rateLimitShare(b, hog) {
      if (rl === 0) return 0;
      const seg = hog ? maxUs : b * (1 - Math.exp(-maxUs / b));
      return Math.min(1, rl / seg);
    },
    grantEndRate: () => 0,
  };
}
