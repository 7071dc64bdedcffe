import { describe, expect, test } from "vitest";
import { normalise, poissonCi95, statusOf, verdictOf } from "../../../src/interference/probe/verdict.js";
import type { OversleepSummary } from "../../../src/model/probe.js";

const MARKS = { low: 13, high: 65 };
const summary = (overThreshold: number, iterations: number): OversleepSummary => ({
  iterations,
  overThreshold,
  thresholdMs: 10,
  counts: [iterations - overThreshold, 0, 0, 0, 0, overThreshold, 0, 0, 0],
  meanUs: 0,
  maxUs: 0,
});

describe("Bobtail verdict", () => {
  test.each([
    [0, "GOOD"],
    [13, "GOOD"], // "<= LOW is GOOD"
    [13.01, "NEEDS-NETWORK-TEST"],
    [65, "NEEDS-NETWORK-TEST"], // "<= HIGH needs a network test"
    [65.01, "BAD"],
  ] as const)("%f long oversleeps per 100 s reads %s", (per100s, verdict) => {
    expect(verdictOf(per100s, MARKS)).toBe(verdict);
  });
});

describe("normalising a run to the reference 100 s", () => {
  test("counts scale with time, not iterations: 2 in 10 s is 20 per 100 s whatever the loop's speed", () => {
    for (const iterations of [1_000, 50_000]) expect(normalise(summary(2, iterations), 10_000, MARKS).per100s).toBe(20);
    // The paper's unit is given beside it: 2 in 50 000 iterations is 24 per 600 K.
    expect(normalise(summary(2, 50_000), 10_000, MARKS).per600kIterations).toBe(24);
  });

  test("the interval is the count's, scaled: a short run is not settled, a long one with the same rate is", () => {
    const short = normalise(summary(2, 50_000), 10_000, MARKS); // 20 per 100 s, between the marks
    expect(short.ci95[0]).toBeLessThan(13);
    expect(short.ci95[1]).toBeGreaterThan(65);
    expect(short.settled).toBe(false);
    const long = normalise(summary(200, 5_000_000), 1_000_000, MARKS); // 20 per 100 s over 1000 s
    expect(long.ci95[0]).toBeGreaterThan(13);
    expect(long.ci95[1]).toBeLessThan(65);
    expect(long.settled).toBe(true);
  });

  test("nothing seen in 100 s is GOOD and settled (the upper limit 3.7 is under LOW)", () => {
    const n = normalise(summary(0, 600_000), 100_000, MARKS);
    expect(n.per100s).toBe(0);
    expect(n.settled).toBe(true);
  });
});

describe("exact Poisson interval", () => {
  // Garwood limits from the standard tables (e.g. Ulm 1990; chi-square quantiles / 2).
  test.each([
    [0, 0, 3.689],
    [1, 0.0253, 5.572],
    [2, 0.2422, 7.225],
    [10, 4.795, 18.39],
    [100, 81.36, 121.6],
  ])("k = %i: [%f, %f]", (k, lo, hi) => {
    const [a, b] = poissonCi95(k);
    expect(a).toBeCloseTo(lo, lo < 1 ? 3 : 2);
    expect(b / hi).toBeCloseTo(1, 3);
  });

  test("refuses a count that is not a whole number", () => {
    expect(() => poissonCi95(-1)).toThrow(/count -1/);
    expect(() => poissonCi95(1.5)).toThrow(/count 1.5/);
  });
});

describe("status and exit code", () => {
  test.each([
    ["GOOD", "needs-test", "ok"],
    ["NEEDS-NETWORK-TEST", "needs-test", "incomplete"],
    ["BAD", "needs-test", "incomplete"],
    ["NEEDS-NETWORK-TEST", "bad", "ok"],
    ["BAD", "bad", "incomplete"],
    ["BAD", "none", "ok"],
  ] as const)("%s with --fail-on %s is %s", (verdict, failOn, status) => {
    expect(statusOf(verdict, failOn, true)).toBe(status);
  });

  test("a run stopped early is never whole, even with --fail-on none", () => {
    expect(statusOf("GOOD", "none", false)).toBe("incomplete");
  });
});
