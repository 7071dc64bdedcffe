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
export function tailAt(c: Components, v: VictimTail, x: number): number {
  const base = Math.exp(v.baseA - v.baseTheta * x);
  const y = x - v.serviceUs;
  if (y <= 0) return 1;
  const lam = v.lambdaUs * (v.vcpus > 1 ? c.blockGivenFull ** (v.vcpus - 1) : 1);
  const own = v.burstWakesUs;
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
  return Math.min(1, base + (1 - v.rho) * t);
}

/**
 * tailBound is an upper bound of tailAt(x) that evaluates no exponential of the components (each
 * survival <= 1, each integral <= 1 / rate): when it is already within eps, so is the tail, and
 * a quiet host answers a feasibility question almost for free.
 */
export function tailBound(c: Components, v: VictimTail, x: number): number {
  const y = x - v.serviceUs;
  if (y <= 0) return 1;
  const lam = v.lambdaUs * (v.vcpus > 1 ? c.blockGivenFull ** (v.vcpus - 1) : 1);
  const rate = lam + v.burstWakesUs;
  let t = 0;
  if (y < c.capUs) t += c.sumA + rate * c.sumAOverR + (c.lightA > 0 ? c.lightA * (1 + rate / c.lightR) : 0);
  if (y < c.rlUs) t += c.rlA * (1 + (rate * c.rlUs) / 2);
  if (y < c.driftCapUs) t += c.driftA * (1 + rate / c.driftR);
  return Math.exp(v.baseA - v.baseTheta * x) + (1 - v.rho) * t;
}

/**
 * quantileUs solves tailAt(x) = eps for x (eps 1e-3 for p99.9): the tail is non-increasing in x,
 * so a bracketing bisection on log x is safe; 40 halvings pin x within 0.01%. Used where the
 * number itself is shown or ranked; feasibility questions compare tailAt at the SLO instead.
 */
export function quantileUs(c: Components, v: VictimTail, eps: number): number {
  let lo = v.serviceUs;
  if (tailAt(c, v, lo) <= eps) return lo;
  const baseX = (v.baseA - Math.log(eps / 4)) / v.baseTheta;
  let hi = Math.max(baseX, v.serviceUs + Math.max(c.capUs, c.rlUs, c.driftCapUs)) + 1;
  while (tailAt(c, v, hi) > eps) hi *= 2;
  for (let i = 0; i < 40; i++) {
    const mid = Math.sqrt(lo * hi);
    if (tailAt(c, v, mid) > eps) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}
