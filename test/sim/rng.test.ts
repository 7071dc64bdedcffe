import { describe, expect, test } from "vitest";
import { createRng } from "../../src/sim/rng.js";

const draw = (seed: number, name: string, n = 5): number[] => {
  const r = createRng(seed, name);
  return Array.from({ length: n }, () => r.next());
};

describe("createRng", () => {
  test("a (seed, stream) pair always gives the same sequence", () => {
    expect(draw(7, "vm:a:io")).toEqual(draw(7, "vm:a:io"));
  });

  test("different seeds or stream names give different sequences", () => {
    expect(draw(7, "vm:a:io")).not.toEqual(draw(8, "vm:a:io"));
    expect(draw(7, "vm:a:io")).not.toEqual(draw(7, "vm:b:io"));
  });

  test("exp has the requested mean and uniform stays in range", () => {
    const r = createRng(1, "t");
    let s = 0;
    let min = Infinity;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const x = r.exp(1000);
      min = Math.min(min, x);
      s += x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    // The mean of n exponentials has sd mean/sqrt(n) = 2.2; allow 5 sd.
    expect(Math.abs(s / n - 1000)).toBeLessThan(11.2);
    for (let i = 0; i < 1000; i++) {
      const u = r.uniform(0.8, 1.2);
      expect(u >= 0.8 && u < 1.2).toBe(true);
      const k = r.int(3);
      expect([0, 1, 2]).toContain(k);
    }
  });
});
