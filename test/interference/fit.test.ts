import { describe, expect, test } from "vitest";
import { corrected } from "../../src/interference/correction.js";
import { absLogErrors, fitCorrection, type FitSample } from "../../src/interference/fit.js";
import { createRng } from "../../src/sim/rng.js";

describe("fitCorrection", () => {
  test("recovers the weights that generated the simulated delays", () => {
    const rng = createRng(3, "fit");
    const truth = [0.3, -0.5, 0.8];
    const samples: FitSample[] = Array.from({ length: 400 }, () => {
      const z = Float64Array.from([1, rng.uniform(-2, 2), rng.uniform(0, 1)]);
      const aloneUs = 100;
      const coreUs = 100 + rng.uniform(200, 20_000);
      const f = truth[0] * z[0] + truth[1] * z[1] + truth[2] * z[2];
      return { z, coreUs, aloneUs, simUs: corrected(coreUs, aloneUs, f) };
    });
    const w = fitCorrection(samples, 3);
    // The small ridge pulls weights a little towards 0.
    w.forEach((x, i) => expect(x).toBeCloseTo(truth[i], 1));
    expect(Math.max(...absLogErrors(samples, w))).toBeLessThan(0.02);
  });

  test("a few wild samples do not steer it (Huber loss)", () => {
    const rng = createRng(4, "fit");
    const samples: FitSample[] = Array.from({ length: 300 }, (_, i) => {
      const z = Float64Array.from([1]);
      const coreUs = 1000 + rng.uniform(0, 5000);
      return { z, coreUs, aloneUs: 100, simUs: i % 30 === 0 ? coreUs * 50 : corrected(coreUs, 100, 0.2) };
    });
    expect(fitCorrection(samples, 1)[0]).toBeCloseTo(0.2, 1);
  });

  test("is deterministic", () => {
    const s: FitSample[] = [1, 2, 3].map((k) => ({ z: Float64Array.from([1, k]), coreUs: 1000 * k, aloneUs: 100, simUs: 1500 * k }));
    expect(fitCorrection(s, 2)).toEqual(fitCorrection(s, 2));
  });
});
