import { describe, expect, test } from "vitest";
import { CALIBRATION_VERSION, cellIndex, type CalibrationTable, type Family } from "../../src/interference/calibration-table.js";
import { Metric, Predictor } from "../../src/interference/predictor.js";
import { defaultScheduler } from "../../src/model/scheduler.js";

// A synthetic table whose delay is a known multilinear function: 1000*s + 100*d + 10*b + h.
function family(scheduler: Family["scheduler"], cores: number, timesliceMs?: number): Family {
  const f: Family = { scheduler, timesliceMs, cores, sleepers: [0, 2, 4, 8], duty: [0.1, 0.5, 0.9], burstMs: [1, 10, 30], hogs: [0, cores / 2, cores], delayUs: [] };
  f.delayUs = new Array(4 * 3 * 3 * 3);
  f.sleepers.forEach((s, si) => f.duty.forEach((d, di) => f.burstMs.forEach((b, bi) => f.hogs.forEach((h, hi) => {
    const v = 1000 * s + 100 * d + 10 * b + h;
    f.delayUs[cellIndex(f, si, di, bi, hi)] = [v / 2, v, v * 2];
  }))));
  return f;
}
const table: CalibrationTable = {
  version: CALIBRATION_VERSION, generatedBy: "test", seed: 1, durationMs: 1000, seedsPerCell: 1,
  victim: { requestsPerSec: 1000, serviceUs: 50 },
  baseline: { rho: [0, 0.5, 1], p99OverService: [1, 3, 9], p999OverService: [2, 6, 18] },
  families: [family("xen-credit", 4, 30), family("xen-credit", 16, 30), family("xen-credit", 4, 5), family("kvm-cfs", 4)],
};
const p = new Predictor(table);
const xen4 = p.resolve(defaultScheduler("xen-credit"), 4);

describe("Predictor", () => {
  test("is exact on grid nodes", () => {
    expect(p.delayUs(xen4, { sleepers: 4, duty: 0.5, burstMs: 10, hogs: 4 }, Metric.RequestP999)).toBeCloseTo(4000 + 50 + 100 + 4, 6);
    expect(p.delayUs(xen4, { sleepers: 4, duty: 0.5, burstMs: 10, hogs: 4 }, Metric.WakeP999)).toBeCloseTo(2 * 4154, 6);
  });

  test("interpolates linearly between nodes on every axis", () => {
    // The synthetic delay is linear on each axis, so interpolation must reproduce it exactly
    // (3 sleepers + 3 hogs + the victim fill the 4 cores, so the hogs count as they are).
    expect(p.delayUs(xen4, { sleepers: 3, duty: 0.7, burstMs: 20, hogs: 3 }, Metric.RequestP999)).toBeCloseTo(3000 + 70 + 200 + 3, 6);
  });

  test("hogs count only once they fill the last idle core, and then at least as a full column", () => {
    // 1 sleeper + 2 hogs + the victim leave a core idle: the victim gets it, hogs count as none.
    expect(p.delayUs(xen4, { sleepers: 1, duty: 0.5, burstMs: 10, hogs: 2 }, Metric.RequestP999)).toBeCloseTo(1000 + 50 + 100, 6);
    // 1 sleeper + 3 hogs + the victim fill the cores; the nearest hog column that also fills them is 4.
    expect(p.delayUs(xen4, { sleepers: 1, duty: 0.5, burstMs: 10, hogs: 3 }, Metric.RequestP999)).toBeCloseTo(1000 + 50 + 100 + 4, 6);
  });

  test("clamps at the edges and says the query is outside the calibrated range", () => {
    const c = { sleepers: 20, duty: 0.05, burstMs: 100, hogs: 9 };
    expect(p.delayUs(xen4, c, Metric.RequestP999)).toBeCloseTo(8000 + 10 + 300 + 4, 6);
    const why = p.outsideRange(xen4, c).join("; ");
    expect(why).toMatch(/20 sleepy vCPUs beyond the calibrated 8/);
    expect(why).toMatch(/duty 0.05 outside/);
    expect(why).toMatch(/burst 100 ms outside/);
    expect(why).toMatch(/9 hog vCPUs beyond/);
  });

  test("a core count between two families interpolates them in log(cores), keeping (sleepers + victim) / cores", () => {
    const ref = p.resolve(defaultScheduler("xen-credit"), 8);
    expect(ref.outside).toEqual([]);
    expect(ref.family.cores).toBe(4);
    expect(ref.upper).toMatchObject({ weight: 0.5 });
    // 7 sleepers on 8 cores map to 3 on 4 cores (3150) and to 15 on 16 cores, clamped to 8 (8150).
    expect(p.delayUs(ref, { sleepers: 7, duty: 0.5, burstMs: 10, hogs: 0 }, Metric.RequestP999)).toBeCloseTo((3150 + 8150) / 2, 6);
  });

  test("a core count beyond the calibrated ones is scaled from the nearest family and flagged", () => {
    const ref = p.resolve(defaultScheduler("xen-credit"), 32);
    expect(ref.family.cores).toBe(16);
    expect(ref.upper).toBeUndefined();
    expect(ref.outside.join()).toMatch(/32 cores not calibrated; scaled from 16 cores/);
    expect(p.delayUs(ref, { sleepers: 7, duty: 0.5, burstMs: 10, hogs: 0 }, Metric.RequestP999)).toBeCloseTo(3000 + 50 + 100, 6);
  });

  test("an uncalibrated timeslice uses the nearest and scales the delay with the slice", () => {
    const ref = p.resolve({ ...defaultScheduler("xen-credit"), timesliceMs: 10 } as never, 4);
    expect(ref.family.timesliceMs).toBe(5);
    expect(ref.delayScale).toBe(2);
    expect(ref.outside.join()).toMatch(/timeslice 10 ms not calibrated/);
  });

  test("credit2 and EEVDF fall back to the CFS table, flagged", () => {
    const ref = p.resolve(defaultScheduler("kvm-eevdf"), 4);
    expect(ref.family.scheduler).toBe("kvm-cfs");
    expect(ref.outside.join()).toMatch(/kvm-eevdf is not calibrated/);
  });

  test("baseline interpolates the alone percentile by utilisation", () => {
    expect(p.baselineUs(100, 0.25, Metric.RequestP999)).toBeCloseTo(100 * 4, 6);
    expect(p.baselineUs(100, 0.75, Metric.RequestP99)).toBeCloseTo(100 * 6, 6);
  });

  test("refuses a table of another version with a clear message", () => {
    expect(() => Predictor.fromJson({ ...table, version: 99 })).toThrow(/version 99 is not supported/);
    expect(() => Predictor.fromJson({ ...table, families: [] })).toThrow();
  });
});
