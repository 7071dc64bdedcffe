import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { bucketMid, bucketOf, LatencyHistogram } from "../../src/sim/histogram.js";

/** exactQuantile is the nearest-rank quantile the histogram approximates. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

function lognormalSample(seed: string, n: number): number[] {
  const rnd = seedrandom.alea(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return Math.floor(Math.exp(6 + 2.5 * z)); // µs, spans 0 to ~10^7
  });
}

describe("LatencyHistogram", () => {
  test("quantiles are within 1% of the exact ones over six decades", () => {
    const values = lognormalSample("h", 50000);
    const h = new LatencyHistogram();
    for (const v of values) h.record(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs(h.quantile(q) - exact), `q=${q}`).toBeLessThanOrEqual(0.01 * exact);
    }
    expect(h.max()).toBe(sorted[sorted.length - 1]);
    expect(h.mean()).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
  });

  test("every bucket's midpoint is within 1% of every integer it holds", () => {
    for (let v = 0; v < 300000; v += v < 1000 ? 1 : 97) {
      const mid = bucketMid(bucketOf(v));
      expect(Math.abs(mid - v)).toBeLessThanOrEqual(0.01 * v);
    }
    for (const v of [2 ** 31 - 1, 2 ** 31, 2 ** 40 + 12345, 2 ** 50 - 1]) {
      expect(Math.abs(bucketMid(bucketOf(v)) - v) / v).toBeLessThanOrEqual(0.01);
    }
  });

  test("handles zeros, emptiness and small exact values", () => {
    const h = new LatencyHistogram();
    expect(h.percentiles()).toEqual({ count: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0, meanUs: 0 });
    for (let i = 0; i < 90; i++) h.record(0);
    for (let i = 0; i < 10; i++) h.record(50);
    const p = h.percentiles();
    expect([p.count, p.p50Us, p.p90Us, p.p99Us, p.maxUs, p.meanUs]).toEqual([100, 0, 0, 50, 50, 5]);
    expect(() => h.record(-1)).toThrow();
    expect(() => h.record(Number.NaN)).toThrow();
  });

  test("merging equals recording everything in one histogram", () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    lognormalSample("a", 3000).forEach((v) => (a.record(v), all.record(v)));
    lognormalSample("b", 5000).forEach((v) => (b.record(v), all.record(v)));
    a.merge(b);
    expect(a.percentiles()).toEqual(all.percentiles());
  });

  test("reset forgets everything", () => {
    const h = new LatencyHistogram();
    h.record(12345);
    h.reset();
    h.record(7);
    expect(h.percentiles()).toMatchObject({ count: 1, p50Us: 7, maxUs: 7, meanUs: 7 });
  });
});
