import { BINS } from "./cpu-part.js";
import type { Components } from "./host-mix.js";

/**
 * VictimTail holds what one latency-sensitive VM brings to its own tail, precomputed once per VM:
 * its request stream, its latency when alone (an exponential tail through its alone p99 and
 * p99.9) and, for a mixed VM, how often its own CPU bursts wake it.
 */
export interface VictimTail {
  readonly serviceUs: number;
  readonly vcpus: number;
  /** Requests per µs over all its vCPUs. */
  readonly lambdaUs: number;
  /** Utilisation of one vCPU by requests. */
  readonly rho: number;
  /** Alone: P(latency > x) = exp(baseA - baseTheta x). */
  readonly baseA: number;
  readonly baseTheta: number;
  /** Alone p99 and p99.9, µs. */
  readonly base99Us: number;
  readonly base999Us: number;
  /** Own CPU-burst wake-ups per µs per vCPU (mixed VMs; 0 otherwise). */
  readonly burstWakesUs: number;
}

/**
 * tailAt is P(request latency > x) for the victim on a host whose wait components are `c`.
 *
 * A request that wakes the idle vCPU finds every core held with probability pFull and is then
 * blocked with probability a[k] / pFull behind a runner of bin k; its latency is the wait W plus
 * its service. Requests that arrive during that wait queue behind it and see the rest of it, so
 * one episode makes 1{W > y} + lambda E[(W - y)+] slow requests (y = x - service): that is why a
 * busier victim's tail suffers more from the same neighbours. A VM with several vCPUs sends the
 * next request to an idle sibling, which is itself blocked with probability blockGivenFull, so
 * lambda is thinned by that chance per extra vCPU. A mixed VM's own burst wake-ups start episodes
 * too; its requests see their residual waits.
 */
export function tailAt(c: Components, v: VictimTail, x: number, base = aloneTail(v, x)): number {
  const y = x - v.serviceUs;
  if (y <= 0) return 1;
  return waitTail(c, y, thinnedLambda(c, v.lambdaUs, v.vcpus), v.burstWakesUs, v.rho, base);
}

/**
 * tailBound is an upper bound of tailAt(x) that evaluates no exponential of the components (each
 * survival <= 1, each integral <= 1 / rate): when it is already within eps, so is the tail, and
 * a quiet host answers a feasibility question almost for free.
 */
export function tailBound(c: Components, v: VictimTail, x: number, base = aloneTail(v, x)): number {
  const y = x - v.serviceUs;
  if (y <= 0) return 1;
  return waitTailBound(c, y, thinnedLambda(c, v.lambdaUs, v.vcpus), v.burstWakesUs, v.rho, base);
}

/** thinnedLambda: the victim's request rate that queues behind one wait (tailAt: siblings take the rest). */
export function thinnedLambda(c: Components, lambdaUs: number, vcpus: number): number {
  return lambdaUs * (vcpus > 1 ? c.blockGivenFull ** (vcpus - 1) : 1);
}

/**
 * binsTail: the CPU-bound bins' part of waitTail at `y` (none past the cap), apart so that a host's
 * kept tail terms (kept-tails.ts) are the same sum in the same order.
 */
export function binsTail(c: Components, y: number, lam: number, own: number): number {
  let t = 0;
  if (y < c.capUs)
    for (let k = 0; k < BINS; k++) {
      const a = c.a[k];
      if (a === 0) continue;
      const r = c.r[k];
      const e = Math.exp(-r * y);
      const integral = (e - c.eCap[k]) / r;
      t += a * (e + lam * integral) + a * own * integral;
    }
  return t;
}

/**
 * waitTail is tailAt from the victim's scalars, `y` > 0 the wait past its service and `lam` its
 * thinned rate: the placer's filter reads them from a host's victim rows (victim-rows.ts), not
 * from objects.
 */
export function waitTail(c: Components, y: number, lam: number, own: number, rho: number, base: number): number {
  let t = binsTail(c, y, lam, own);
  if (y < c.capUs && c.lightA > 0) {
    const e = Math.exp(-c.lightR * y);
    const integral = (e - c.lightECap) / c.lightR;
    t += c.lightA * (e + (lam + own) * integral);
  }
  if (y < c.rlUs && c.rlA > 0) {
    const f = 1 - y / c.rlUs;
    t += c.rlA * (f + ((lam + own) * c.rlUs * f * f) / 2);
  }
  if (y < c.driftCapUs && c.driftA > 0) {
    const e = Math.exp(-c.driftR * y);
    t += c.driftA * (e + ((lam + own) * (e - c.driftECap)) / c.driftR);
  }
  return Math.min(1, base + (1 - rho) * t);
}

/** waitTailBound is tailBound from the victim's scalars (as waitTail). */
export function waitTailBound(c: Components, y: number, lam: number, own: number, rho: number, base: number): number {
  const rate = lam + own;
  let t = 0;
  if (y < c.capUs) t += c.sumA + rate * c.sumAOverR + (c.lightA > 0 ? c.lightA * (1 + rate / c.lightR) : 0);
  if (y < c.rlUs) t += c.rlA * (1 + (rate * c.rlUs) / 2);
  if (y < c.driftCapUs) t += c.driftA * (1 + rate / c.driftR);
  return base + (1 - rho) * t;
}

/** aloneTail: the victim's own tail at x, the first term of tailAt and tailBound (computed once when both are asked). */
export function aloneTail(v: VictimTail, x: number): number {
  return aloneTailAt(v.baseA, v.baseTheta, x);
}

/** aloneTailAt is aloneTail from the victim's two alone-tail scalars. */
export function aloneTailAt(baseA: number, baseTheta: number, x: number): number {
  return Math.exp(baseA - baseTheta * x);
}

/**
 * episodesTailAt is P(request latency > x) from the victim's alone tail and its own preempted-burst
 * episodes alone (Components.ownPre*: credit2's mixed victims, query.ts): episodes start at
 * ownPreA per µs and last an exponential of rate ownPreR capped at capUs; no request wakes the
 * vCPU for them, so a request sees the rest of one, P(rest > y) = ownPreA (e^(-r y) - e^(-r cap)) / r
 * (and the same of ownLong*, credit1's OVER waits).
 * Kept apart from waitTail, which every what-if evaluates, since only these victims need it.
 */
export function episodesTailAt(c: Components, serviceUs: number, rho: number, base: number, x: number): number {
  const y = x - serviceUs;
  if (y <= 0) return 1;
  let t = 0;
  if (y < c.capUs) {
    if (c.ownPreA > 0) t += (c.ownPreA * (Math.exp(-c.ownPreR * y) - c.ownPreECap)) / c.ownPreR;
    if (c.ownLongA > 0) t += (c.ownLongA * (Math.exp(-c.ownLongR * y) - c.ownLongECap)) / c.ownLongR;
  }
  // credit2's queued hog: the rest of the shortest of hogQCpus grants, over the time queued.
  if (c.hogQShare > 0 && y < c.hogQCapUs) t += c.hogQShare * (1 - y / c.hogQCapUs) ** (c.hogQCpus + 1);
  return Math.min(1, base + (1 - rho) * t);
}

/**
 * episodesQuantileUs solves episodesTailAt(x) = eps (floorQuantileUs): only credit2's mixed
 * victims ask, once per percentile of a prediction.
 */
export function episodesQuantileUs(c: Components, v: VictimTail, eps: number): number {
  return floorQuantileUs((x) => episodesTailAt(c, v.serviceUs, v.rho, aloneTail(v, x), x), v, c.capUs, eps);
}

/**
 * floorQuantileUs solves a floor's tail(x) = eps by bisection (to QUANTILE_REL_TOL): the floors
 * are asked once per percentile of a credit2 prediction, so the plain method will do. Past the
 * cap only the alone tail is left, and it is within eps at the alone quantile.
 */
function floorQuantileUs(tail: (x: number) => number, v: VictimTail, capUs: number, eps: number): number {
  let lo = v.serviceUs;
  if (tail(lo) <= eps) return lo;
  let hi = Math.max((v.baseA - Math.log(eps)) / v.baseTheta, v.serviceUs + capUs) + 1;
  while (tail(hi) > eps) hi *= 2;
  for (let step = 0; step < MAX_STEPS && hi - lo > QUANTILE_REL_TOL * lo; step++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > eps) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * QUANTILE_REL_TOL: quantileUs brackets the root within this relative width (a millionth of a µs
 * at a 1 s p99.9; answers are shown to 0.1 µs). The 40-halving bisection it replaced pinned about
 * 1e-11. 1e-9 was tried and is too loose: a host state kept incrementally and one built afresh
 * differ in the last bits of their components, and at 1e-9 their quantiles no longer agreed to
 * the 1e-6 µs test/interference/host-state.test.ts holds them to; at 1e-12 a step or two more.
 */
export const QUANTILE_REL_TOL = 1e-12;

/** Steps after which quantileUs stops narrowing: a safeguard above the worst case (3 per halving at a jump). */
const MAX_STEPS = 200;

/**
 * SLOW_STEPS: steps in a row that fail to halve the bracket before a bisection step. At a jump of
 * the tail (a wait cap) regula falsi creeps, so the worst case is about three tail evaluations per
 * halving there; on generated-large's hosts a quantile takes 10 evaluations on average (1 every
 * other step costs 13), the bisection it replaced 41 or more.
 */
const SLOW_STEPS = 2;

/** onlyAlone: the host adds no wait component, so the tail is the victim's alone exponential. */
function onlyAlone(c: Components): boolean {
  if (c.lightA > 0 || c.rlA > 0 || c.driftA > 0) return false;
  for (let k = 0; k < BINS; k++) if (c.a[k] > 0) return false;
  return true;
}

/**
 * quantileUs solves tailAt(x) = eps for x (eps 1e-3 for p99.9), returning the upper end of a
 * bracket [lo, hi] with tailAt(lo) > eps >= tailAt(hi) and hi - lo <= QUANTILE_REL_TOL x lo.
 *
 * It runs on every victim of every host a ranking scores (60% of judging a new VM shape at 1,000
 * hosts went to the 40-halving bisection before), so it brackets the root with regula falsi on
 * ln tail (a sum of exponentials is nearly linear there: about 10 tail evaluations, not 41+),
 * with the Illinois rule so that neither end sticks, a bisection step whenever two steps failed
 * to halve the bracket (the tail jumps at the wait caps, where the root can sit on the jump), and
 * a step of at least half the tolerance off an end so that the last step closes the bracket. A
 * quiet host needs no root finding: the alone exponential inverts in closed form.
 */
export function quantileUs(c: Components, v: VictimTail, eps: number): number {
  const lnEps = Math.log(eps);
  // Alone: tail = exp(baseA - baseTheta x) past the service time (1 before it), through the alone
  // p99 and p99.9 by construction (victimTail): those are returned as they are, so a quiet host's
  // prediction equals the alone figure to the last bit (inverting the exponential is an ulp off,
  // and a shown 0.1 µs could then fall either side of a rounding tie).
  if (onlyAlone(c)) {
    const x = eps === 0.001 ? v.base999Us : eps === 0.01 ? v.base99Us : (v.baseA - lnEps) / v.baseTheta;
    return Math.max(v.serviceUs, x);
  }
  let lo = v.serviceUs;
  if (tailAt(c, v, lo) <= eps) return lo;
  let flo = -lnEps; // ln(1 / eps): the tail is 1 up to the service time.
  let hi = Math.max((v.baseA - Math.log(eps / 4)) / v.baseTheta, v.serviceUs + Math.max(c.capUs, c.rlUs, c.driftCapUs)) + 1;
  let thi = tailAt(c, v, hi);
  while (thi > eps) {
    lo = hi;
    flo = Math.log(thi) - lnEps;
    hi *= 2;
    thi = tailAt(c, v, hi);
  }
  let fhi = Math.log(thi) - lnEps;
  let kept = 0; // 1: lo moved last step, -1: hi moved (Illinois)
  let width = hi - lo;
  let slow = 0; // steps in a row that did not halve the bracket
  for (let step = 0; step < MAX_STEPS && hi - lo > QUANTILE_REL_TOL * lo; step++) {
    const bisect = slow >= SLOW_STEPS || !Number.isFinite(fhi);
    const nudge = 0.5 * QUANTILE_REL_TOL * lo;
    const x = Math.min(Math.max(bisect ? Math.sqrt(lo * hi) : lo + ((hi - lo) * flo) / (flo - fhi), lo + nudge), hi - nudge);
    const t = tailAt(c, v, x);
    const f = Math.log(t) - lnEps;
    if (t > eps) {
      lo = x;
      flo = f;
      if (kept === 1) fhi /= 2;
      kept = 1;
    } else {
      hi = x;
      fhi = f;
      if (kept === -1) flo /= 2;
      kept = -1;
    }
    if (bisect || hi - lo <= width / 2) {
      width = hi - lo;
      slow = 0;
    } else slow++;
  }
  return hi;
}

/** Gauss-Legendre nodes and weights on [-1, 1] (8 points: exact to degree 15, ample for a smooth integrand). */
const GL_X = [-0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.1012285362903763, 0.2223810344533745, 0.3137066699207768, 0.3626837833783620, 0.3626837833783620, 0.3137066699207768, 0.2223810344533745, 0.1012285362903763];

/**
 * grantSurvival: P(a blocked waker still waits after w) on a credit2 queue of `n` CPUs whose
 * grants were armed with nobody queued: the shortest of n remaining grants, each uniform over the
 * cap, (1 - w / cap)^n, times the other releases (runners blocking) at rate s.
 */
function grantSurvival(n: number, s: number, cap: number, w: number): number {
  return (1 - w / cap) ** n * Math.exp(-s * w);
}

/**
 * grantTailAt is P(request latency > x) from the victim's alone tail and credit2's long grant-end
 * waits alone (Components.grant*, SchedulerCore.grantWait): with chance grantA a waker finds every
 * runner of its queue inside a fresh rate-limit window and waits grantSurvival, and requests
 * arriving meanwhile (lam, own burst wakes) see the rest of it. Only credit2 victims ask
 * (query.ts): waitTail, which every what-if evaluates, is left as it is.
 */
export function grantTailAt(c: Components, serviceUs: number, lam: number, own: number, rho: number, base: number, x: number): number {
  const y = x - serviceUs;
  if (y <= 0) return 1;
  const cap = c.capUs;
  if (y >= cap || !(c.grantA > 0)) return Math.min(1, base);
  const n = c.grantCpus;
  const s = c.grantRate;
  const half = (cap - y) / 2;
  let integral = 0;
  for (let i = 0; i < GL_X.length; i++) integral += GL_W[i] * grantSurvival(n, s, cap, y + half * (1 + GL_X[i]));
  return Math.min(1, base + (1 - rho) * c.grantA * (grantSurvival(n, s, cap, y) + (lam + own) * half * integral));
}

/** grantQuantileUs solves grantTailAt(x) = eps (floorQuantileUs): credit2 victims only, once per percentile. */
export function grantQuantileUs(c: Components, v: VictimTail, lam: number, eps: number): number {
  return floorQuantileUs((x) => grantTailAt(c, v.serviceUs, lam, v.burstWakesUs, v.rho, aloneTail(v, x), x), v, c.capUs, eps);
}
