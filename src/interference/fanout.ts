import { exceedance, quantileOf, type TailCurve } from "./tail.js";

/**
 * Fan-out tails. A request touches `fanout` of a service's n members, a uniformly random subset,
 * and waits for the slowest: P(request ≤ t) = E over subsets of Π F_k(t), F_k the member's
 * latency distribution. When every member has the same exceedance p this is the Tail at Scale
 * rule 1 − (1 − p)^fanout; with mixed members (some on bad hosts) it is what the rule misses:
 * a few bad members dominate once fanout × (bad share) ≳ 1.
 */

/** independentFanout: the rule for identical members, P(any of n exceeds) = 1 − (1 − p)^n. */
export function independentFanout(p: number, n: number): number {
  return 1 - (1 - p) ** n;
}

/**
 * subsetAllBelow: E over uniformly random fanout-subsets of Π (1 − e_k), e_k each member's
 * exceedance. Dynamic programming over members, state = members chosen so far, each step in
 * probabilities (choose member k with chance (fanout − m) / members left), so no binomial
 * coefficient overflows at a thousand members. O(n × fanout).
 */
export function subsetAllBelow(exceed: ArrayLike<number>, fanout: number): number {
  const n = exceed.length;
  if (fanout <= 0) return 1;
  if (fanout >= n) {
    let prod = 1;
    for (let k = 0; k < n; k++) prod *= 1 - exceed[k];
    return prod;
  }
  let dp = new Float64Array(fanout + 1);
  let next = new Float64Array(fanout + 1);
  dp[0] = 1;
  for (let k = 0; k < n; k++) {
    const left = n - k;
    next.fill(0);
    const below = 1 - exceed[k];
    for (let m = Math.max(0, fanout - left); m <= Math.min(k, fanout); m++) {
      const w = dp[m];
      if (w === 0) continue;
      const pick = (fanout - m) / left;
      if (m < fanout) next[m + 1] += w * pick * below;
      next[m] += w * (1 - pick);
    }
    [dp, next] = [next, dp];
  }
  return dp[fanout];
}

/** fanoutExceedance: P(a request of the service takes longer than tUs). */
export function fanoutExceedance(members: readonly TailCurve[], fanout: number, tUs: number): number {
  const e = Float64Array.from(members, (c) => exceedance(c, tUs));
  return 1 - subsetAllBelow(e, fanout);
}

/**
 * fanoutQuantile: the service's latency at quantile q (0.99 for its p99): the smallest t with
 * P(request > t) ≤ 1 − q, by bisection to 0.1% (the exceedance falls as t grows). The upper end
 * starts where every member alone is below (1 − q) / fanout, which the union bound proves enough.
 */
export function fanoutQuantile(members: readonly TailCurve[], fanout: number, q: number): number {
  if (members.length === 0) return 0;
  const target = 1 - q;
  let hi = 0;
  for (const c of members) hi = Math.max(hi, quantileOf(c, target / Math.min(fanout, members.length)));
  let lo = 0;
  for (let it = 0; it < 60 && hi - lo > Math.max(1e-3 * hi, 0.01); it++) {
    const mid = (lo + hi) / 2;
    if (fanoutExceedance(members, fanout, mid) <= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * unionBoundExceedance: (fanout / n) × Σ e_k ≥ the exact exceedance (a request exceeds only if
 * one of its members does). Additive over members, so the placer can keep it per service and
 * update it when one host changes; at the 1% a p99 SLO allows it is within 1% of exact.
 */
export function unionBoundExceedance(sumExceed: number, n: number, fanout: number): number {
  return n === 0 ? 0 : (Math.min(fanout, n) / n) * sumExceed;
}
