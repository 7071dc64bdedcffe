import { describe, expect, test } from "vitest";
import { errorRates, gridCells, type CellOutcome, type GridCell, type ProbeGridSpec } from "../../../src/interference/probe/evaluate.js";
import type { Verdict } from "../../../src/model/probe.js";

const cell: GridCell = { scheduler: "xen-credit", cores: 4, n: 0, duty: 0.5, burstMs: 10, distribution: "jitter", seed: 1 };
const outcome = (verdict: Verdict, ioP999Ms: number): CellOutcome => ({ cell, longPerRun: 0, per100s: 0, verdict, ioP999Ms });

describe("the probe's error rates against the io p99.9", () => {
  // Six cells: three within a 10 ms SLO, three over it.
  const cells = [outcome("GOOD", 0.1), outcome("NEEDS-NETWORK-TEST", 2), outcome("BAD", 9.9), outcome("GOOD", 12), outcome("NEEDS-NETWORK-TEST", 20), outcome("BAD", 30)];

  test("alarm = anything but GOOD: FP = alarms within the SLO, FN = GOOD over it", () => {
    expect(errorRates(cells, 10, "needs-test")).toEqual({
      sloMs: 10, alarmOn: "needs-test", cells: 6, truthBad: 3,
      falsePositives: 2, falseNegatives: 1, falsePositiveRate: 2 / 3, falseNegativeRate: 1 / 3,
    });
  });

  test("alarm = BAD only: the network-test cells flip from FP to not, and from caught to FN", () => {
    expect(errorRates(cells, 10, "bad")).toMatchObject({ falsePositives: 1, falseNegatives: 2 });
  });

  test("a p99.9 exactly at the SLO is within it", () => {
    expect(errorRates([outcome("BAD", 10)], 10, "bad")).toMatchObject({ truthBad: 0, falsePositives: 1 });
  });
});

test("the grid is every combination once, and a never-sleeping duty once whatever its burst", () => {
  const g: ProbeGridSpec = { schedulers: ["xen-credit", "kvm-cfs"], cores: 4, n: [0, 4], duty: [0.5, 1], burstMs: [10, 30], distributions: ["jitter", "exponential"], seeds: [1, 2, 3], durationMs: 1000, sleepUs: 100, thresholdMs: 10 };
  const cells = gridCells(g);
  // Per scheduler, N and seed: duty 0.5 in 2 bursts x 2 distributions, duty 1 once.
  expect(cells).toHaveLength(2 * 2 * 3 * (2 * 2 + 1));
  expect(new Set(cells.map((c) => JSON.stringify(c))).size).toBe(cells.length);
  expect(cells.filter((c) => c.duty === 1).every((c) => c.burstMs === 10 && c.distribution === "jitter")).toBe(true);
});
