import {
  REFERENCE_ITERATIONS,
  REFERENCE_SECONDS,
  type Normalised,
  type OversleepSummary,
  type Verdict,
} from "../../model/probe.js";

/** Marks: Bobtail's LOW and HIGH, in long oversleeps per reference run (100 s). */
export interface Marks {
  low: number;
  high: number;
}

/** verdictOf applies Bobtail's rule: <= LOW is GOOD, <= HIGH needs a network test, else BAD. */
export function verdictOf(per100s: number, m: Marks): Verdict {
  if (per100s <= m.low) return "GOOD";
  if (per100s <= m.high) return "NEEDS-NETWORK-TEST";
  return "BAD";
}

/**
 * normalise scales the long-oversleep count of a run of elapsedMs to the reference run of 100 s
 * (see NormalisedSchema for why time and not iterations), with the exact Poisson interval of the
 * count: a 10 s run that saw 2 stalls reads 20 per 100 s, but anything from 2.4 to 72 fits it.
 */
export function normalise(o: OversleepSummary, elapsedMs: number, m: Marks): Normalised {
  const scale = elapsedMs > 0 ? (REFERENCE_SECONDS * 1000) / elapsedMs : 0;
  const [lo, hi] = poissonCi95(o.overThreshold);
  const ci95: [number, number] = [lo * scale, hi * scale];
  const per100s = o.overThreshold * scale;
  return {
    per100s,
    ci95,
    per600kIterations: o.iterations > 0 ? (o.overThreshold * REFERENCE_ITERATIONS) / o.iterations : 0,
    settled: verdictOf(ci95[0], m) === verdictOf(ci95[1], m),
  };
}

/**
 * poissonCi95 is the exact (Garwood) 95% interval of a Poisson mean from one count k: the means
 * at which P(X >= k) and P(X <= k) are each 2.5%. Written here rather than imported: the stdlib
 * chi-square quantile package pulls 213 packages (23 MB) and takes 130-170 ms to import, and jstat
 * ships no types, for a bisection of twenty lines (measured on this project's 2-core machine).
 */
export function poissonCi95(k: number): [number, number] {
  if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`poissonCi95: count ${k}`);
  const lower = k === 0 ? 0 : solveMean((mu) => 1 - poissonCdf(k - 1, mu), 0.025, k);
  const upper = solveMean((mu) => poissonCdf(k, mu), 0.025, k);
  return [lower, upper];
}

/** poissonCdf is P(X <= k) for X ~ Poisson(mu), summed in log space (exact up to rounding). */
function poissonCdf(k: number, mu: number): number {
  if (mu === 0) return 1;
  let logTerm = -mu; // log P(X = 0)
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log(mu / i);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/** solveMean bisects for the mean mu where f(mu) crosses target; f is monotone in mu. */
function solveMean(f: (mu: number) => number, target: number, k: number): number {
  let lo = 0;
  let hi = k + 10 * Math.sqrt(k + 1) + 10; // far beyond the upper limit for every k
  const rising = f(hi) > f(lo);
  for (let i = 0; i < 100 && hi - lo > 1e-9 * (1 + hi); i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target === rising) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** FailOn is the worst verdict a script accepts with exit 0 (see the README's exit codes). */
export type FailOn = "needs-test" | "bad" | "none";
export const FAIL_ON: readonly FailOn[] = ["needs-test", "bad", "none"];

/**
 * statusOf maps a verdict to the report's status (and so the exit code): "incomplete" (exit 3)
 * when the verdict is at or past --fail-on, or when the run was cut short and so is not the run
 * that was asked for. The default, needs-test, passes only GOOD: an instance not shown to be good
 * is not a whole answer for a script that keeps or replaces instances.
 */
export function statusOf(verdict: Verdict, failOn: FailOn, complete: boolean): "ok" | "incomplete" {
  if (!complete) return "incomplete";
  const fails = failOn === "needs-test" ? verdict !== "GOOD" : failOn === "bad" ? verdict === "BAD" : false;
  return fails ? "incomplete" : "ok";
}
