import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { fanoutExceedance, fanoutQuantile, independentFanout, subsetAllBelow, unionBoundExceedance } from "../../src/interference/fanout.js";
import { exceedance, predictedExceedance, predictedTail, quantileOf, type TailCurve } from "../../src/interference/tail.js";
import { e4Cell, sampleQuantile, simulateSamples, type Samples } from "./fanout-samples.js";

// E12 of sim-fidelity.md: fan-out amplification from per-host simulations (The Tail at Scale).
// A request fans out to n hosts and waits for the slowest; 1 - (1 - p)^n for identical hosts,
// and with a share f of bad hosts the tail is theirs once n f >~ 1. The bad and good hosts are
// E4's cells: 4 cores under credit1, an io VM beside 2 (good) or 6 (bad) sleepy CPU VMs of duty
// 0.5 and 10 ms bursts, 20 s each, seed 1 (fixed before any threshold below was chosen).

describe("fan-out of identical members: the Tail at Scale rule", () => {
  test("p = 1%, n = 100 gives 63.4%", () => {
    expect(independentFanout(0.01, 100)).toBeCloseTo(0.634, 3);
    // The exact random-subset computation agrees when the members are alike, whether the request
    // touches all 100 members or 100 of 1,000.
    expect(1 - subsetAllBelow(new Float64Array(100).fill(0.01), 100)).toBeCloseTo(0.634, 3);
    expect(1 - subsetAllBelow(new Float64Array(1000).fill(0.01), 100)).toBeCloseTo(0.634, 3);
  });

  test("random subsets of mixed members: the dynamic programme equals enumerating every subset", () => {
    const e = [0.2, 0.01, 0.05, 0.3, 0.001, 0.1, 0.02];
    for (const f of [1, 2, 3, 5, 7]) {
      let sum = 0;
      let count = 0;
      const pick = (start: number, left: number, prod: number): void => {
        if (left === 0) return void ((sum += prod), count++);
        for (let k = start; k <= e.length - left; k++) pick(k + 1, left - 1, prod * (1 - e[k]));
      };
      pick(0, f, 1);
      expect(subsetAllBelow(e, f), `fanout ${f}`).toBeCloseTo(sum / count, 12);
    }
  });

  test("the union bound is above the exact value and within 1% of it at a p99 target", () => {
    const e = Float64Array.from({ length: 200 }, (_, k) => (k < 20 ? 5e-4 : 5e-5));
    const exact = 1 - subsetAllBelow(e, 50);
    const bound = unionBoundExceedance(e.reduce((s, x) => s + x, 0), 200, 50);
    expect(bound).toBeGreaterThanOrEqual(exact);
    expect(bound / exact).toBeLessThan(1.01);
  });

  test("a tail curve and its quantiles are inverse; the predicted tail passes through p99 and p99.9", () => {
    const c = predictedTail(1000, 3000);
    expect(exceedance(c, 1000)).toBeCloseTo(0.01, 12);
    expect(exceedance(c, 3000)).toBeCloseTo(0.001, 12);
    expect(exceedance(c, 5000)).toBeCloseTo(1e-4, 12);
    // Above p = 0.03 the extrapolated body reaches 0 us, where quantiles stop (no negative latency).
    for (const p of [0.02, 0.01, 0.004, 1e-6]) expect(exceedance(c, quantileOf(c, p))).toBeCloseTo(p, 9);
    for (const t of [0, 500, 2000, 9000]) expect(predictedExceedance(1000, 3000, t)).toBeCloseTo(exceedance(c, t), 12);
    const service = Array.from({ length: 100 }, () => c);
    expect(fanoutExceedance(service, 100, fanoutQuantile(service, 100, 0.99))).toBeCloseTo(0.01, 4);
  });
});

describe("fan-out over simulated good and bad hosts (E12)", () => {
  const good = simulateSamples(e4Cell(2, 0.5, 10, 20000, 1));
  const bad = simulateSamples(e4Cell(6, 0.5, 10, 20000, 1));
  const rng = seedrandom.alea("vmplace-e12");
  const draw = (s: Samples): number => s.latenciesUs[Math.floor(rng() * s.latenciesUs.length)];

  /** monteCarlo: fan-out latencies of `requests` requests to the given hosts (one draw each, slowest wins). */
  function monteCarlo(hosts: readonly Samples[], requests: number): Float64Array {
    const out = new Float64Array(requests);
    for (let r = 0; r < requests; r++) {
      let max = 0;
      for (const h of hosts) max = Math.max(max, draw(h));
      out[r] = max;
    }
    return out;
  }

  test("the cells are E4's good and bad hosts: the bad p99.9 is milliseconds, many times the good one's", () => {
    // test/sim/xen-credit/e4-bobtail.test.ts holds E4's own figures; here only the contrast E12 needs.
    const goodP999 = sampleQuantile(good.latenciesUs, 0.999);
    const badP999 = sampleQuantile(bad.latenciesUs, 0.999);
    expect(goodP999).toBeLessThan(2000);
    expect(badP999).toBeGreaterThan(5000);
    expect(badP999).toBeGreaterThan(5 * goodP999);
    expect(good.latenciesUs.length).toBeGreaterThan(19_000);
  });

  test("empirical P(request > T) matches 1 - (1 - p_T)^n within Monte-Carlo error", () => {
    const t = sampleQuantile(good.latenciesUs, 0.99);
    let over = 0;
    for (const x of good.latenciesUs) if (x > t) over++;
    const pT = over / good.latenciesUs.length;
    for (const n of [1, 10, 100]) {
      const requests = 20_000;
      const lat = monteCarlo(Array.from({ length: n }, () => good), requests);
      let hits = 0;
      for (const x of lat) if (x > t) hits++;
      const expected = independentFanout(pT, n);
      const sigma = Math.sqrt((expected * (1 - expected)) / requests);
      expect(Math.abs(hits / requests - expected), `n=${n}: ${hits / requests} vs ${expected}`).toBeLessThan(4 * sigma);
    }
  });

  test("10% bad hosts dominate the fan-out p99.9; avoiding them (Bobtail) cuts it by far more than tens of %", () => {
    const n = 100;
    const mixed = [...Array.from({ length: 10 }, () => bad), ...Array.from({ length: n - 10 }, () => good)];
    const avoided = Array.from({ length: n }, () => good);
    const requests = 50_000;
    const mixedP999 = sampleQuantile(monteCarlo(mixed, requests), 0.999);
    const avoidedP999 = sampleQuantile(monteCarlo(avoided, requests), 0.999);
    expect(1 - avoidedP999 / mixedP999).toBeGreaterThan(0.2);
    // Dominated by the bad hosts: at least the bad host's own p99.9.
    expect(mixedP999).toBeGreaterThanOrEqual(sampleQuantile(bad.latenciesUs, 0.999));
  });

  test("the service tail computed from the simulator's per-host tails agrees with the Monte-Carlo", () => {
    const tailOf = (s: Samples): TailCurve => s.result.vms[0].requestTail ?? [];
    const n = 100;
    const curves = [...Array.from({ length: 10 }, () => tailOf(bad)), ...Array.from({ length: n - 10 }, () => tailOf(good))];
    const exactP99 = fanoutQuantile(curves, n, 0.99);
    const mixed = [...Array.from({ length: 10 }, () => bad), ...Array.from({ length: n - 10 }, () => good)];
    const mcP99 = sampleQuantile(monteCarlo(mixed, 50_000), 0.99);
    expect(Math.abs(exactP99 / mcP99 - 1), `computed ${exactP99} us, Monte-Carlo ${mcP99} us`).toBeLessThan(0.15);
  });
});
