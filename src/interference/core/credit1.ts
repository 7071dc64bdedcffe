import type { XenCreditParams } from "../../model/scheduler.js";
import type { Components } from "./components.js";
import type { Mechanisms, OverWait, SchedulerCore } from "./scheduler-core.js";

/**
 * The exact-accounting drift (sim-fidelity errata 8): a light vCPU that went inactive is debited
 * but credited only when a tick catches it, so it wakes OVER now and then and cannot preempt.
 * Measured on the fitting hosts: 0.08-0.7% of a light victim's wakes (median about 0.1%).
 */
const DRIFT_SHARE = 0.001;

/** xenLightPart: a Xen io vCPU runs for one request's service; `block` is how often a waker may not preempt it. */
export function xenLightPart(block: number): SchedulerCore["lightPart"] {
  return (l, out) => {
    out.vcpus = l.vcpus;
    out.duty = Math.min(0.99, (l.requestsPerSecPerVcpu * l.serviceUs) / 1e6);
    out.burstUs = l.serviceUs;
    out.block = block;
    return out;
  };
}

/**
 * credit1Core: Xen credit1 (sim-fidelity section 1).
 *
 * - A CPU-bound vCPU that sleeps wakes BOOST (it is UNDER: demand under its fair share holds on
 *   nearly every host we draw, 97-99.8% of wakes measured) and keeps BOOST until a tick catches
 *   it running: ticks sit on a global grid of tslice/3, so a burst B is boosted for min(B, U tau),
 *   U uniform. A BOOST waker does not preempt a BOOST runner, so the victim's home core is blocked
 *   for that share of the runner's time: E[min(B, U tau)] / b = 1 - (b/tau)(1 - e^(-tau/b)) for an
 *   exponential burst of mean b.
 * - Once blocked, the tick's un-boosting does not reschedule: the victim waits until the runner
 *   blocks or its slice ends (it started less than a tick ago: cap tslice - tau/2), or another
 *   core frees up and steals it (the release rate of the other runners, in predictor).
 * - Hogs never wake, are never boosted, and a BOOST waker preempts them once the rate limit has
 *   passed: a runner inside its first ratelimitUs makes the waker wait out the rest (uniform).
 */
/**
 * Credit1Flags: the Mechanisms credit1Core reads, by name rather than position, so a new term
 * adds a key instead of an argument every caller must line up, and a swapped pair cannot
 * type-check (coreFor passes its Mechanisms whole). An absent key takes the default below.
 */
export type Credit1Flags = Partial<Pick<Mechanisms, "credit1OverWait" | "credit1Knee" | "credit1IdleSibling" | "credit1OverBurst" | "credit1SiblingIo" | "credit1OverAlone" | "credit1OverSleepy" | "credit1OverBacklog">>;

export function credit1Core(p: XenCreditParams, cores: number, flags: Credit1Flags = {}): SchedulerCore {
  const { credit1OverWait: overWait = true, credit1Knee: knee = false, credit1IdleSibling: idleSibling = false, credit1OverBurst: overBurst = false, credit1SiblingIo: siblingIo = false, credit1OverAlone: overAlone = false, credit1OverSleepy: overSleepy = false, credit1OverBacklog: overBacklog = false } = flags;
  const tsliceUs = p.timesliceMs * 1000;
  // Below 3 ms Xen runs one tick per slice (__csched_set_tslice).
  const tickUs = p.timesliceMs < 3 ? tsliceUs : tsliceUs / 3;
  const rl = Math.min(p.ratelimitUs, tsliceUs);
  const approximations: string[] = [];
  if (p.accounting === "sampling") approximations.push("sampling accounting (Xen 3.x) is modelled as exact");
  if (p.weightPer !== "vcpu" || p.inactiveCredit !== "halve" || p.boostOnMigrate || p.migrationDelayUs > 0) approximations.push("pre-4.7 credit1 switches are modelled as Xen >= 4.7");
  return {
    name: "credit1",
    blockShare(b) {
      return 1 - (b / tickUs) * (1 - Math.exp(-tickUs / b));
    },
    rateLimitShare(b, hog) {
      if (rl === 0) return 0;
      // A run segment lasts the burst (capped by the slice); a hog runs whole slices.
      const seg = hog ? tsliceUs : b * (1 - Math.exp(-tsliceUs / b));
      return Math.min(1, rl / seg);
    },
    rateLimitUs: rl,
    grantEndRate: () => 0,
    waitCapUs() {
      return tsliceUs - tickUs / 2;
    },
    // An OVER vCPU (a mixed victim burns more than its share on a full host) runs only when no
    // UNDER vCPU is runnable anywhere (load balancing steals UNDER work first).
    ownBurstQueue: true,
    // A pCPU that frees up runs its own queue's head unless that is OVER (csched_schedule: it
    // steals only then), and a BOOST waker queues on its home pCPU behind a BOOST runner rather
    // than preempting a hog elsewhere (__runq_tickle tickles only its home or an idle pCPU).
    localWaiters: true,
    // A light vCPU runs BOOST for one request: a waker cannot preempt it, but it is done soon.
    lightPart: xenLightPart(1),
    lightBlock: 1,
    driftShare: p.accounting === "exact" ? DRIFT_SHARE : 0,
    driftCapUs: tsliceUs,
    approximations,
    ...(overWait ? { overWait: overWaitOf(tsliceUs, cores, overAlone, overSleepy ? overShareOf(tsliceUs, cores, tsliceUs / tickUs) : undefined, overBacklog) } : {}),
    ...(knee ? { holdKnee: true } : {}),
    ...(idleSibling ? { idleSibling: true } : {}),
    ...(overBurst ? { overBurst: overBurstOf(tsliceUs, cores) } : {}),
    ...(siblingIo ? { siblingIo: true } : {}),
  };
}

/**
 * SATURATED: a mixed vCPU whose runnable share (bursts plus its requests' service, profile.ts
 * runnableShare, which caps a sleeper at 0.99) reaches this wants a core all the time.
 */
const SATURATED = 0.99;

/** LIGHT_SHORT: up to how many cores short of full busy io vCPUs are counted to fill a host. */
const LIGHT_SHORT = 4;
/** SURPLUS: up to how many vCPUs queued beyond the victim are told apart (the rest lumped at the last). */
const SURPLUS = 4;
/** RHO_MAX: the busy-period factor 1 / (1 - rho) is held below 1 / (1 - RHO_MAX) = 20 (waits are capped anyway). */
const RHO_MAX = 0.95;

/**
 * WAKE: P(every core held when a sleeper wakes) and the same states weighted by the victim's wait
 * once the waker took its core: at [0], [1] where the victim alone waits, at [2], [3] where others
 * wait with it (heldAtWake; the alone waits stretched by busyAlone, the others' by busy).
 */
const WAKE = new Float64Array(4);

/**
 * heldAtWake writes WAKE. Every core is held when a sleeper wakes, the victim's vCPU among the
 * holders, by m runnable CPU-bound vCPUs (the waker not among them) and L busy io vCPUs (Poisson
 * at their mean load) with m + L >= cores. The waker then takes the victim's core and
 * m + L + 1 - cores vCPUs wait, the victim last (UNDER and BOOST ones go first): it waits for
 * that many releases, from the CPU-bound runners (mean wait w0, the blocked waker's) and from
 * each busy io vCPU's hold ending (mean holdUs). The waker is taken out of the occupancy to first
 * order in its duty d (the sleepers' mean): P(N without it >= n) = P(N >= n) - d P(N = n - 1).
 */
function heldAtWake(d: number, atLeast: (n: number) => number, lightLoad: number, holdUs: number, w0: number, cores: number, busy: number, burstUs: number, busyAlone: number): void {
  const l = Math.max(0, lightLoad);
  const first = Math.max(0, cores - LIGHT_SHORT);
  const last = cores + SURPLUS;
  // Module functions and four stores, not two closures and fill's builtin call per call: the placer
  // asks this of every OVER victim in a what-if (session 25: the closures were a tenth of the
  // replay's allocations, fill a tenth of this function's time). The same arithmetic.
  let cur = atOrOne(atLeast, first);
  let g = withoutWaker(d, cur, atOrOne(atLeast, first - 1));
  WAKE[0] = 0;
  WAKE[1] = 0;
  WAKE[2] = 0;
  WAKE[3] = 0;
  let weighed = false;
  let perBurst = 0;
  let perW0 = 0;
  for (let m = first; m <= last; m++) {
    const next = atOrOne(atLeast, m + 1);
    const gNext = m === last ? 0 : withoutWaker(d, next, cur);
    const pm = Math.max(0, g - gNext);
    cur = next;
    g = gNext;
    if (!(pm > 1e-12)) continue;
    if (!weighed) {
      poissonWeights(l, cores - first + SURPLUS, holdUs);
      perBurst = 1 / burstUs;
      perW0 = 1 / w0;
      weighed = true;
    }
    // L >= cores - m: P(L = k) for k up to SURPLUS beyond that, the rest of the tail at the last.
    const k0 = Math.max(0, cores - m);
    for (let k = k0; k <= k0 + SURPLUS; k++) {
      const p = pm * (k === k0 + SURPLUS ? Math.max(0, 1 - BELOW[k]) : POISSON[k]);
      const queued = m + k + 1 - cores;
      const o = queued > 1 ? 2 : 0;
      WAKE[o] += p;
      WAKE[o + 1] += p / (perBurst + (perW0 + PER_HOLD[k]) / (queued * (queued > 1 ? busy : busyAlone)));
    }
  }
}

/** atOrOne: P(N >= n) by `atLeast`, 1 at n <= 0 (heldAtWake's occupancy). */
function atOrOne(atLeast: (n: number) => number, n: number): number {
  return n <= 0 ? 1 : atLeast(n);
}

/** withoutWaker: P(N without the waker of duty d >= n) from hi = P(N >= n) and lo = P(N >= n - 1) (heldAtWake). */
function withoutWaker(d: number, hi: number, lo: number): number {
  return Math.max(0, hi - d * Math.max(0, lo - hi));
}

/** heldShare: P(every core held at a wake) as heldAtWake last wrote it (the io vCPUs among the holders). */
export function heldShare(): number {
  return WAKE[0] + WAKE[2];
}

/** heldAtWake's Poisson weights of busy io vCPUs, P(L = k) and P(L < k) (k up to LIGHT_SHORT + SURPLUS). */
const POISSON = new Float64Array(LIGHT_SHORT + SURPLUS + 1);
const BELOW = new Float64Array(LIGHT_SHORT + SURPLUS + 1);
/** k / holdUs: each io vCPU's hold ending adds to the releases (the same division heldAtWake made per m). */
const PER_HOLD = new Float64Array(LIGHT_SHORT + SURPLUS + 1);

/**
 * poissonWeights writes POISSON, BELOW and PER_HOLD up to kMax for a mean of `l` busy io vCPUs
 * holding `holdUs` each, by the recurrence heldAtWake ran from k = 0 for every m (the same bits),
 * once per call of it.
 */
function poissonWeights(l: number, kMax: number, holdUs: number): void {
  let pk = Math.exp(-l);
  let below = 0;
  for (let k = 0; k <= kMax; k++) {
    POISSON[k] = pk;
    BELOW[k] = below;
    PER_HOLD[k] = k / holdUs;
    below += pk;
    pk *= l / (k + 1);
  }
}

/**
 * perEpisode: with siblings, a descheduled vCPU keeps one request queued and the next go to a
 * sibling with none (sim/workloads/io.ts chooseVcpu): one request per episode of mean `w` waits,
 * not all that arrive in it (a VM of `vcpus` taking `lambdaUs` requests per µs). A module
 * function, not a closure per call (session 25: the placer asks it per OVER victim per what-if).
 */
function perEpisode(vcpus: number, lambdaUs: number, w: number): number {
  return vcpus > 1 ? Math.min(1, 1 / (lambdaUs * w)) : 1;
}

/**
 * overWaitOf (Mechanisms.credit1OverWait): a mixed victim's vCPU that wants a core all the time
 * (runnable share >= SATURATED) burns more than any fair share below one core, so on a host full
 * enough to deschedule it it is OVER (sim-fidelity 1.3), and it never sleeps, so it is never
 * boosted (1.4). The guest serves a request inside its running burst, so requests do not wake it:
 * they wait when the vCPU itself is descheduled, for the rest of that episode.
 *
 * - A sleeper wakes UNDER (BOOST) with every core held (heldAtWake) and its home core is the
 *   victim's (1 / cores): it preempts the OVER vCPU (1.5), which then waits for cores to free up
 *   behind everyone queued (heldAtWake's releases). Episodes where it waits alone and where
 *   others wait with it are kept apart (Components.ownPre* and ownLong*): pooled, the many short
 *   ones would dilute the long ones' tail.
 * - Every other core held by the CPU-bound vCPUs (c.pFull, the victim's vCPU out): its slice
 *   ends (every tslice it runs) with one of the (excess + 1) waiting vCPUs queued on its core,
 *   and it waits out that runner's slice: OVER vCPUs share the cores round robin, slice by
 *   slice, and a busy core never steals an OVER one (1.7). Counted with the long episodes.
 * - The lowest priority waits through the busy periods of all the work ahead of it (Cobham's
 *   formula for the last class of a priority queue: its wait grows as 1 / (1 - rho), rho every
 *   vCPU's mean demand over the cores), so each wait above is stretched by that factor, capped
 *   by RHO_MAX and by the slice.
 *
 * Checked against the simulator on an 8-core host built like packed-1's 9975/1 (a 1-vCPU victim
 * at duty 0.9 + 1,800 requests/s x 120 us; two mixed hogs, five sleepers, six io vCPUs):
 * simulated p99.9 7.6 / 8.0 ms (seeds 1 / 2), without the term 0.71 ms, with it 7.6 ms; without the io VMs, or
 * without the hogs, the victim sees 0.41 ms simulated and the term adds nothing (the hogs are
 * what leaves it no core to return to; the io vCPUs, what fills the host when a sleeper wakes).
 */
function overWaitOf(tsliceUs: number, cores: number, overAlone: boolean, overShare: OverWait["overShare"], overBacklog = false): OverWait {
  // The last apply's mean episode begun by a waker's preemption (overBacklogOf).
  let wakeMeanUs = 0;
  const apply = (c: Components, duty: number, wakesUs: number, sleeperDuty: number, atLeast: (n: number) => number, lightLoad: number, lightHoldUs: number, demand: number, sleeperBurstUs: number, vcpus: number, lambdaUs: number, _groupLoad: number, hogVcpus: number): void => {
    wakeMeanUs = 0;
    let busy = 1 / (1 - Math.min(RHO_MAX, demand / cores));
    // Mechanisms.credit1OverAlone: alone in the queue, the OVER victim is picked at the first
    // release that finds no UNDER or BOOST vCPU queued (csched_schedule steals those first, then
    // runs an OVER head), so only the work that can queue ahead of it stretches its wait: the
    // sleepers' and the io vCPUs'. A never-sleeping vCPU is OVER like it and never wakes to queue
    // ahead (traced on the open rounds' packed hosts up to about full demand: the alone waits'
    // means 57-460 us, where every demand counted made them 0.2-4.8 ms; docs/accuracy.md, "Packed
    // credit1: the saturated victim's OVER waits alone"). hogVcpus holds the victim's own vCPUs
    // when it never sleeps; a sleepy one's own vCPU is its duty.
    const ahead = overAlone ? Math.max(0, demand - hogVcpus - (duty < 1 ? duty : 0)) : demand;
    const busyAlone = overAlone ? 1 / (1 - Math.min(RHO_MAX, ahead / cores)) : busy;
    // A sleepy victim's (credit1OverSleepy: only it is asked below SATURATED) queued waits count
    // the same work ahead as its alone ones: with the busy factor over every demand its episodes
    // put holdout-17's packed-32/10068/0 vm-13 at 2.3x its simulated p99.9 (docs: "Packed credit1:
    // sleepy victims over their fair share").
    if (duty < SATURATED) busy = busyAlone;
    heldAtWake(sleeperDuty, atLeast, lightLoad, lightHoldUs, c.meanWaitUs > 0 ? c.meanWaitUs : tsliceUs, cores, busy, Math.min(sleeperBurstUs, tsliceUs), busyAlone);
    const rate = Math.max(0, wakesUs) / cores;
    const alone = rate * WAKE[0];
    if (alone > 0) {
      const w = Math.min(WAKE[1], tsliceUs * WAKE[0]) / WAKE[0];
      c.ownPreA = alone * perEpisode(vcpus, lambdaUs, w);
      c.ownPreR = 1 / w;
      c.ownPreECap = Math.exp(-c.ownPreR * c.capUs);
    }
    const queued = rate * WAKE[2];
    const slices = (c.pFull * Math.min(1, (c.excess + 1) / cores)) / tsliceUs;
    if (alone + queued > 0) wakeMeanUs = (rate * (Math.min(WAKE[1], tsliceUs * WAKE[0]) + Math.min(WAKE[3], tsliceUs * WAKE[2]))) / (alone + queued);
    const a = queued + slices;
    if (!(a > 0)) return;
    const w = (rate * Math.min(WAKE[3], tsliceUs * WAKE[2]) + slices * tsliceUs) / a;
    c.ownLongA = a * perEpisode(vcpus, lambdaUs, w);
    c.ownLongR = 1 / w;
    c.ownLongECap = Math.exp(-c.ownLongR * c.capUs);
  };
  const backlog = (lambdaUs: number, serviceUs: number, share: number, out: Float64Array): void => overBacklogOf(lambdaUs, serviceUs, share, wakeMeanUs, out);
  return { fromDuty: SATURATED, apply, ...(overShare ? { overShare } : {}), ...(overBacklog ? { backlog } : {}) };
}

/**
 * overBacklogOf (Mechanisms.credit1OverBacklog): the request queue of a saturated mixed victim's
 * one vCPU. The vCPU wants a core all the time and gets its fair share of one (`share`, the
 * host's water-fill): off-CPU the rest, in the episodes overWaitOf's wakers begin (a BOOST waker
 * preempts the OVER vCPU, which waits behind everyone queued; mean `episodeUs`). The guest serves
 * its requests before the rest of its own burst (sim/guest.ts), so the requests see a server that
 * runs whenever the vCPU does and stops for an episode at rate k = (1 - share) / (share x
 * episodeUs) per µs it runs. Requests that arrive while one waits queue behind it across
 * episodes: an M/G/1 queue whose service S' is a request's S plus the episodes that begin during
 * it (Poisson, k S of them, each exponential), so its wait's tail decays at the Cramer-Lundberg
 * root theta of lambda (E[e^(theta S')] - 1) = theta, E[e^(theta S')] = e^(theta S) e^(k S
 * theta W / (1 - theta W)), and P(wait > x) = rho' e^(-theta x), rho' = lambda S / share. It
 * drains only below rho' = 1: the requests' load under the share. overWaitOf's floor has a request
 * see the rest of one episode; here the queue carries across them.
 *
 * The slice-end episodes overWaitOf also counts are left out: traced on holdout-28's
 * packed/10174/6 vm-3 (16 cores, 32 vCPUs; 1,707 req/s x 277 µs, duty 0.7 in 10 ms bursts), the
 * vCPU's episodes were 157/s of mean 2.6 ms, almost all begun by a BOOST waker's preemption and
 * none by a slice end; off-CPU 0.40-0.43 of the time against a water-fill share of 0.58.
 */
export function overBacklogOf(lambdaUs: number, serviceUs: number, share: number, episodeUs: number, out: Float64Array): void {
  out[0] = 0;
  out[1] = 0;
  if (!(lambdaUs > 0) || !(serviceUs > 0) || !(share > 0) || !(share < 1) || !(episodeUs > 0)) return;
  out[0] = Math.min(1, (lambdaUs * serviceUs) / share);
  if (!(out[0] < 1)) return;
  out[1] = heldEpisodesDecay(lambdaUs, serviceUs, (1 - share) / (share * episodeUs), episodeUs);
}

/**
 * heldEpisodesDecay: the root theta > 0 of lambda (e^(theta S) e^(k S theta W / (1 - theta W)) -
 * 1) = theta (overBacklogOf), below 1 / W; 0 when the held queue does not drain. g is convex on
 * (0, 1 / W), below 0 just past 0 and rising through the root, so Newton's steps from a point past
 * the root fall to it without overshooting: a few exponentials per saturated one-vCPU credit1
 * victim a what-if asks about.
 */
function heldEpisodesDecay(lambdaUs: number, serviceUs: number, k: number, w: number): number {
  if (!(lambdaUs * serviceUs * (1 + k * w) < 1)) return 0;
  const ks = k * serviceUs;
  const g = (t: number): number => lambdaUs * (Math.exp(t * serviceUs + (ks * t * w) / (1 - t * w)) - 1) - t;
  // A point past the root: g > 0 there (g rises without bound as theta nears 1 / W).
  const up = 1 / w;
  let t = Math.min(1 / (serviceUs + w), 0.5 * up);
  for (let i = 0; i < 60 && g(t) <= 0; i++) t = 0.5 * (t + up);
  for (let i = 0; i < 50; i++) {
    const d = 1 - t * w;
    const m = Math.exp(t * serviceUs + (ks * t * w) / d);
    const gt = lambdaUs * (m - 1) - t;
    const slope = lambdaUs * m * (serviceUs + (ks * w) / (d * d)) - 1;
    if (!(slope > 0)) break;
    const next = t - gt / slope;
    if (!(next < t) || t - next <= 1e-9 * t) {
      t = Math.min(t, Math.max(0, next));
      break;
    }
    t = next;
  }
  return t;
}

/** OVER_SHARE_MIN: below this share OVER (running and at its wakes) a sleepy victim's OVER episodes are not asked for (overShareOf). */
const OVER_SHARE_MIN = 0.01;
/** POW_SLOTS: overShareOf's table of (1 - s)^ticks (a power of 2); POW_KEY / POW_BITS: a base and its bits, to find its slot. */
const POW_SLOTS = 64;
const POW_KEY = new Float64Array(1);
const POW_BITS = new Uint32Array(POW_KEY.buffer);
/** LN_HALF_MIN, LN2: overShareOf's bound, ln(OVER_SHARE_MIN / 2) and ln 2. */
const LN_HALF_MIN = Math.log(OVER_SHARE_MIN / 2);
const LN2 = Math.log(2);
/** OVER_SHARE: overShareOf's answer, P(OVER | running) at [0] and P(OVER | waking) at [1]. */
export const OVER_SHARE = new Float64Array(2);

/**
 * overShareOf (Mechanisms.credit1OverSleepy): how often a sleepy mixed vCPU is OVER deep enough
 * that the next accounting leaves it OVER while it runs, and OVER at all when it wakes. Each
 * accounting (every tslice T) hands every active vCPU its fair share f of the cores' credit
 * (csched_acct) and it burns what it runs, so its credit (in µs of run) rises at f while it sleeps
 * and falls through a burst at 1 - waitUnder - f while UNDER and at 1 - waitUnder - waitOver - f
 * while OVER (the shares of the time it waits), held between the floor (minus a slice's worth) and a
 * slice's (above that it leaves the active list). With exponential bursts of mean b at duty d that
 * is a two-state fluid queue on a range of 2T, of density e^(z y) in each half, z = 1 / (b down) -
 * d / ((1 - d) b f), the running state's mass at the floor (bursts that outran the credit) and the
 * sleeping one's at the top. Graded: at d = f and no waits about a half OVER, less as bursts get
 * short against a slice (a smooth demand over its share is OVER throughout; 10 ms bursts at duty
 * 0.7 are OVER at 48% of wakes at f = 0.7, 0.1% at f = 0.8), and none deep once the waits OVER
 * leave it under its share (an OVER vCPU that runs less than it earns climbs back to 0 and is
 * UNDER after the next accounting: traced on holdout-27's packed/10167/1 vm-1, d 0.90 against f
 * 0.60 on a host that keeps it waiting, OVER at 10% of its wakes and its credit near 0).
 * f: cores over the vCPUs on the active list at an accounting, at most a core. A vCPU under its
 * share banks credit until it is taken off the list, and a tick that finds it running puts it
 * back (csched_tick), so the others are there if one of the period's `ticks` ticks caught them
 * running: the never-sleeping ones and the victim's own throughout, a sleeper of duty s with
 * probability 1 - (1 - s)^ticks (at the sleepers' mean duty), an io vCPU of load s about ticks x s
 * (traced at the grants: holdout-15's packed/10045/3 has 4.4 io vCPUs active, 3 x its io load
 * 1.49 = 4.47; f 0.79 traced, 0.79 so; holdout-27's packed/10170/2 0.72 traced, 0.73 so, where
 * cores over the CPU-bound vCPUs would be 0.57).
 */
function overShareOf(tsliceUs: number, cores: number, ticks: number): NonNullable<OverWait["overShare"]> {
  // (1 - s)^ticks, kept per base (a table of POW_SLOTS by the base's bits): the base is the other
  // sleepers' mean duty, which only an add or remove on the host, or a CPU-bound newcomer, moves,
  // so the placer asks the same few bases again and again, and a pow was the costliest line here
  // (a quarter of the time of a call). The same base gives the same bits.
  const powBase = new Float64Array(POW_SLOTS).fill(NaN);
  const powValue = new Float64Array(POW_SLOTS);
  const idleTicks = (base: number): number => {
    POW_KEY[0] = base;
    const slot = (POW_BITS[0] ^ POW_BITS[1]) & (POW_SLOTS - 1);
    if (powBase[slot] === base) return powValue[slot];
    const v = base ** ticks;
    powBase[slot] = base;
    powValue[slot] = v;
    return v;
  };
  return (duty, burstUs, steady, sleepers, sleeperDuty, lightLoad, waitUnder, waitOver) => {
    // duty: what it burns (query.ts overSleepy), the on share of the queue. Two stores, not
    // fill's builtin call (a tenth of a bound-answered call).
    OVER_SHARE[0] = 0;
    OVER_SHARE[1] = 0;
    // 1 - min(1, s) is never -0, so === on the kept base tells the bits apart.
    const active = steady + sleepers * (1 - idleTicks(1 - Math.min(1, sleeperDuty))) + ticks * Math.max(0, lightLoad);
    if (!(active > 0) || !(duty > 0) || !(duty < 1) || !(burstUs > 0)) return false;
    const f = Math.min(1, cores / active);
    const runUnder = 1 - Math.min(1, Math.max(0, waitUnder));
    const under = runUnder - f;
    const over = runUnder - Math.min(1, Math.max(0, waitOver)) - f;
    if (!(under > 0) || !(over > 0)) return false;
    const end = 1 / burstUs;
    const start = duty / ((1 - duty) * burstUs);
    const zOver = end / over - start / f;
    const zUnder = end / under - start / f;
    // The placer asks this of every sleepy credit1 mixed victim in a what-if, and on generated-large
    // most that get here are far under OVER_SHARE_MIN (credit drifting up fast: zUnder T in the
    // tens to thousands). A bound first, three logs where the queue below takes about thirty
    // exponentials and logs: total is at least its last term (over / start) e^((zOver + zUnder) T),
    // and each integral of e^(z y) over [0, L] at most L max(1, e^(z L)), so both shares are at
    // most the ratios below. Where both are under half of OVER_SHARE_MIN the answer is false
    // whatever rounding the exact form meets (no caller reads OVER_SHARE after false).
    const lastT = (zOver + zUnder) * tsliceUs;
    const runBound = LN2 + Math.max(Math.log((under * tsliceUs) / (over * (1 - duty) * burstUs)) + Math.max(0, zOver * under * tsliceUs), -Math.log1p(-duty)) - lastT;
    const sleepBound = Math.log((start * tsliceUs) / (f * (1 - duty))) + Math.max(0, zOver * tsliceUs) - lastT;
    if (runBound < LN_HALF_MIN && sleepBound < LN_HALF_MIN) return false;
    // In logs (z T reaches hundreds): the OVER half from the floor with K = 1, the UNDER half's K
    // from the flux at 0 (over p(0-) = under p(0+) in the running state).
    // Each log and integral found once (the same calls give the same bits): the first asking
    // (query.ts overSleepy, waitOver 0) has over === under, where the UNDER half's are the OVER's.
    const same = over === under;
    const kUnder = (same ? 0 : Math.log(over / under)) + zOver * tsliceUs;
    const growOver = logGrow(zOver, tsliceUs);
    const overRun = Math.log(over / end);
    const overSleep = Math.log(over / f);
    const lowRun = logSum(growOver, overRun);
    const lowSleep = overSleep + growOver;
    const deepRun = logSum(logGrow(zOver, under * tsliceUs), overRun);
    const up = (same ? growOver : logGrow(zUnder, tsliceUs)) + kUnder;
    const total = logSum(logSum(lowRun, lowSleep), logSum(logSum(up, up + (same ? overSleep : Math.log(under / f))), kUnder + Math.log(under / start) + zUnder * tsliceUs));
    OVER_SHARE[0] = Math.min(1, Math.exp(deepRun - total) / duty);
    OVER_SHARE[1] = Math.min(1, Math.exp(lowSleep - total) / (1 - duty));
    return OVER_SHARE[0] >= OVER_SHARE_MIN || OVER_SHARE[1] >= OVER_SHARE_MIN;
  };
}

/** logGrow: ln of the integral of e^(z y) over [0, u]. */
function logGrow(z: number, u: number): number {
  const x = z * u;
  if (Math.abs(x) < 1e-9) return Math.log(u);
  return x > 0 ? x + Math.log(-Math.expm1(-x) / z) : Math.log(-Math.expm1(x) / -z);
}

/** logSum: ln(e^a + e^b); the larger's e^0 is 1 without an exponential (a - m is 0 there, NaN at infinities as before). */
function logSum(a: number, b: number): number {
  const m = Math.max(a, b);
  const x = a - m;
  const y = b - m;
  return m + Math.log((x === 0 ? 1 : Math.exp(x)) + (y === 0 ? 1 : Math.exp(y)));
}

/**
 * REPAY_SLICES: the most slices an OVER burst's wait lasts. A vCPU's credit is floored at minus a
 * slice's at accounting (xen-credit/credit-book.ts grant); at a fair share of about half a core it
 * earns half a slice's credits per period, so from the floor it is UNDER again after two periods,
 * plus up to one to the first accounting. Traced on holdout-25's contended/10150/0 (4 cores, 7
 * vCPUs): the waits end mostly as UNDER and reach 13.9-15.0 ms, 3 slices of 5 ms.
 */
const REPAY_SLICES = 3;
/** EPS_P999: the p99.9's tail share (Pct.P999's eps). */
const EPS_P999 = 1e-3;

/**
 * overBurstOf (Mechanisms.credit1OverBurst): a sleepy mixed victim (below SATURATED, which
 * overWaitOf holds) whose burst outruns the credit it banked while asleep. A vCPU banks at most a
 * slice's credits (above that it is taken off the active list and its credit halved) and, running,
 * burns a core's credits while earning its fair share f of a core (cores / the CPU-bound vCPUs,
 * all counted active), so a burst spends the bank after tslice / (1 - f) of run and runs on OVER;
 * for exponential bursts of mean b that is e^(-tslice / ((1 - f) b)) of them (none at f >= 1:
 * without f, 6-8 core hosts of hogs, f 0.86-0.89, drew floors 3x their simulated tails). An OVER
 * runner with every other core held
 * (c.pFull, the victim's vCPU out) loses its pCPU to the next UNDER or BOOST waker there or at its
 * slice's end, and runs again only on a core no UNDER vCPU wants (the host's mean wait for a core
 * to free up, c.meanWaitUs) or once accounting lifts its credit (REPAY_SLICES). The guest serves a
 * request ahead of the rest of the burst once the vCPU runs (sim/guest.ts), so a request that
 * arrives in such an episode waits its rest: episodes start at (d / b) e^(-tslice / ((1 - f) b))
 * pFull per us and last an exponential of mean meanWaitUs capped at REPAY_SLICES slices. With siblings one
 * request per episode waits (the rest go to a sibling with no work), as in overWaitOf.
 *
 * Traced (docs/accuracy.md, "holdout-25's credit1 unsafe misses", part (1)): on contended/10150/0
 * (b 19 ms, tslice 5 ms) 10% of the victim's requests arrived with it OVER and off-CPU, in about
 * one episode per burst of mean 2.3-2.7 ms; here (f = 4/7, the bank lasts 11.7 ms of run) 9
 * episodes/s of mean 3.2 ms, a share of 0.03 with about the same p99.9 (the shipped estimate 9.9
 * ms against the simulator's 10.9).
 */
function overBurstOf(tsliceUs: number, cores: number): NonNullable<SchedulerCore["overBurst"]> {
  const capUs = REPAY_SLICES * tsliceUs;
  return (ep, c, duty, burstUs, vcpus, lambdaUs, cpuVcpus) => {
    const m = c.meanWaitUs;
    // Each active vCPU earns cores / cpuVcpus of a core's credit per period while it runs a whole
    // one: a burst spends a slice's bank after tslice / (1 - f) of run. At a share of a core or
    // more it never goes OVER.
    const f = cpuVcpus > 0 ? cores / cpuVcpus : 1;
    if (!(f < 1) || !(c.pFull > 0) || !(m > 0) || !(duty > 0) || !(burstUs > 0)) return false;
    const per = vcpus > 1 ? Math.min(1, 1 / (lambdaUs * m)) : 1;
    ep.ownPreA = (duty / burstUs) * Math.exp(-tsliceUs / ((1 - f) * burstUs)) * c.pFull * per;
    // Below a p99.9's eps of the requests the episodes cannot carry a quantile past the alone
    // one: no floor (and the placer's light certificates stay, which a floor withdraws).
    if (!(ep.ownPreA * m >= EPS_P999)) return false;
    ep.ownPreR = 1 / m;
    ep.capUs = capUs;
    ep.ownPreECap = Math.exp(-capUs / m);
    ep.ownLongA = 0;
    ep.hogQShare = 0;
    return ep.ownPreA > 0;
  };
}
