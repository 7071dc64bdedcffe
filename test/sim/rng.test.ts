import seedrandom from "seedrandom";
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

  test("next is seedrandom's Alea stream, draw for draw (simulation results depend on every bit)", () => {
    for (const [seed, name] of [[42, "vm:io:io"], [1, "scheduler"], [2 ** 31 - 1, "vm:cpu-3:cpu:0"]] as const) {
      const ours = createRng(seed, name);
      const lib = seedrandom.alea(`${seed}/${name}`);
      let differ = 0;
      for (let i = 0; i < 200_000; i++) if (ours.next() !== lib()) differ++;
      expect(differ).toBe(0);
    }
  });

  test("uniform, exp and int are the documented functions of the same draws", () => {
    const ours = createRng(9, "derived");
    const lib = seedrandom.alea("9/derived");
    for (let i = 0; i < 1000; i++) {
      expect(ours.uniform(0.8, 1.2)).toBe(0.8 + (1.2 - 0.8) * lib());
      expect(ours.exp(250)).toBe(-250 * Math.log(1 - lib()));
      expect(ours.int(7)).toBe(Math.floor(lib() * 7));
    }
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
