import { describe, expect, test } from "vitest";
import { normalise, verdictOf } from "../../../src/interference/probe/verdict.js";
import type { OversleepSummary } from "../../../src/model/probe.js";
import { cpuVm, xen } from "./xen-scenario.js";

// E4's probe (sim-fidelity.md 5, E4): the io VM (1 vCPU, Poisson 1000 req/s of 50 us) also runs
// the Bobtail probe (sleep S = 100 us, count wakes >= 10 ms late), beside N 1-vCPU CPU VMs of duty
// d and burst b (+-20% jitter), credit1 on 4 pCPUs, 20 s measured after 2 s of warm-up.
//
// Mechanism. The probe's vCPU is the victim's own: it is boosted on every wake and waits only
// when no pCPU is idle and the one it would take runs a BOOST vCPU (see e4-bobtail.test.ts). So
// a long oversleep needs N + 1 > 4 (errata 8: the victim's vCPU counts) and d < 1, and a wait of
// >= 10 ms needs a competitor whose remaining burst is that long: b = 30 ms gives many, b = 10 ms
// jittered (at most 12 ms) only a few. With 0 or 1 CPU VM a pCPU is always idle: no long wake at all.

const MARKS = { low: 13, high: 65 };

const probeIo = (sleepUs: number) => ({
  id: "io",
  vcpus: 1,
  memoryMiB: 1024,
  workload: { kind: "probe" as const, sleepUs, io: { requestsPerSec: 1000, serviceUs: 50 } },
});

function probeCell(n: number, d: number, b: number, sleepUs = 100, seed = 1): { o: OversleepSummary; per100s: number } {
  const r = xen(4, [probeIo(sleepUs), ...Array.from({ length: n }, (_, i) => cpuVm(`cpu${i}`, d, b))], { seed });
  const o = r.vms[0].probe;
  if (!o) throw new Error("the io VM carries no probe summary");
  return { o, per100s: normalise(o, r.measuredUs / 1000, MARKS).per100s };
}

const GOOD_CELLS = [0, 1].flatMap((n) => [0.5, 0.9].flatMap((d) => [10, 30].map((b) => [n, d, b] as const)));
const BAD_CELLS = [4, 5, 6, 8].flatMap((n) => [0.3, 0.5, 0.9].flatMap((d) => [10, 30].map((b) => [n, d, b] as const)));

describe("E4 probe contrast on credit1, 4 cores", () => {
  const good = GOOD_CELLS.map(([n, d, b]) => ({ n, d, b, ...probeCell(n, d, b) }));
  const bad = BAD_CELLS.map(([n, d, b]) => ({ n, d, b, ...probeCell(n, d, b) }));

  test("0-1 CPU-intensive neighbours: an idle pCPU is always there, no wake is even 1 ms late, verdict GOOD", () => {
    for (const c of good) {
      expect(c.o.maxUs, `N=${c.n} d=${c.d} b=${c.b}`).toBeLessThan(1000);
      expect(verdictOf(c.per100s, MARKS)).toBe("GOOD");
    }
  });

  test("bad cells (N + 1 > cores, d < 1) see at least 10x the long oversleeps of the good ones", () => {
    const mean = (xs: { o: OversleepSummary }[]) => xs.reduce((s, c) => s + c.o.overThreshold, 0) / xs.length;
    // Measured: 0 per run in every good cell; 118 per 20 s run on average over the 24 bad ones. The
    // simulated host has no other cause of a stall (no dom0, no interrupt storms), so the good
    // count is 0 and the ratio has no upper end here: Bobtail's "one to two orders of magnitude"
    // was over a testbed's nonzero background. The floor of one per run keeps the ratio finite.
    expect(mean(good)).toBe(0);
    expect(mean(bad)).toBeGreaterThanOrEqual(10 * Math.max(mean(good), 1));
  });

  test("30 ms bursts: every bad cell past N = 4 reads BAD; 10 ms jittered bursts only from N = 6 at d >= 0.5", () => {
    for (const c of bad.filter((x) => x.b === 30 && (x.n > 4 || x.d >= 0.5))) expect(verdictOf(c.per100s, MARKS), `N=${c.n} d=${c.d}`).toBe("BAD");
    for (const c of bad.filter((x) => x.b === 10 && x.n >= 6 && x.d >= 0.5)) expect(verdictOf(c.per100s, MARKS), `N=${c.n} d=${c.d}`).toBe("BAD");
    // A jittered 10 ms burst holds a pCPU at most 12 ms, so a wake >= 10 ms late is rare: the
    // probe under-reads those cells (the io p99.9 there is 5-9 ms; see bench/probe.ts).
    const short = bad.filter((x) => x.b === 10 && x.n === 4);
    expect(short.every((c) => verdictOf(c.per100s, MARKS) !== "BAD")).toBe(true);
  });

  test("the boundary counts the victim's own vCPU (errata 8): N = 3 reads GOOD, N = 4 BAD (d = 0.5, b = 30 ms)", () => {
    expect(verdictOf(probeCell(3, 0.5, 30).per100s, MARKS)).toBe("GOOD");
    expect(verdictOf(probeCell(4, 0.5, 30).per100s, MARKS)).toBe("BAD");
  });

  test("hogs that never sleep (d = 1) are never boosted: no BAD verdict at N = 6 and 8 (seeds 1, 2)", () => {
    // The few long wakes left come from the exact-accounting drift (errata 8): the victim now and
    // then goes OVER for a slice or two; measured 10 / 25 per 100 s (N = 6 / 8) at seed 1, 5 / 15 at seed 2.
    for (const seed of [1, 2]) for (const n of [6, 8]) expect(verdictOf(probeCell(n, 1, 10, 100, seed).per100s, MARKS)).not.toBe("BAD");
  });

  test("normalising by time makes S nearly irrelevant; per iteration it would not be (S = 100 us vs 1 ms)", () => {
    for (const n of [4, 6, 8]) {
      const fast = probeCell(n, 0.5, 30, 100);
      const slow = probeCell(n, 0.5, 30, 1000);
      // A stall of >= 10 ms is one long oversleep whether the probe sleeps 0.1 or 1 ms in it.
      expect(slow.per100s / fast.per100s, `N=${n}`).toBeGreaterThan(0.67);
      expect(slow.per100s / fast.per100s, `N=${n}`).toBeLessThan(1.5);
      // Per 600 K iterations the 1 ms loop, with a tenth of the iterations, reads several times higher.
      const perIteration = (c: { o: OversleepSummary }) => c.o.overThreshold / c.o.iterations;
      expect(perIteration(slow) / perIteration(fast), `N=${n}`).toBeGreaterThan(4);
    }
  });
});
