import { describe, expect, test } from "vitest";
import { measureAccuracy, spearman } from "../../src/interference/accuracy.js";
import { WorkerPool } from "../../src/runtime/sim-pool.js";
import { bundledPredictor } from "./helpers.js";

describe("predictor accuracy against the simulator", () => {
  // The goals, on seeded compositions the calibration grid never contains (heterogeneous
  // duties and bursts, 2-vCPU aggressors, off-grid core counts, other victim rates and services).
  test("median error within 25%, rank correlation >= 0.9, no breach called safe by more than 2x", async () => {
    const pool = new WorkerPool();
    try {
      const r = await measureAccuracy(bundledPredictor(), pool, { compositions: 24, seed: 11, durationMs: 20000, cores: [4, 6, 8, 12, 16] });
      const detail = r.cases.map((c) => `${c.scheduler}/${c.cores}c s${c.sleepers} h${c.hogs}: ${c.predictedP999Us} vs ${c.simulatedP999Us}`).join("\n");
      expect(r.medianAbsLogError, detail).toBeLessThanOrEqual(Math.log(1.25));
      expect(r.rankCorrelation, detail).toBeGreaterThanOrEqual(0.9);
      expect(r.unsafeMisses, detail).toBe(0);
    } finally {
      await pool.close();
    }
  }, 300_000);

  test("spearman handles ties and reversed orders", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 9);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 9);
    expect(spearman([1, 1, 2], [5, 5, 9])).toBeCloseTo(1, 9);
  });
});
