import { describe, expect, test } from "vitest";
import { Components } from "../../../src/interference/core/components.js";
import { BINS } from "../../../src/interference/core/cpu-part.js";

/** Two blocking bins (rates 1/ms and 1/4 ms) under a 1 ms cap, e^(-r cap) as HostMix.build writes it. */
function twoBins(): Components {
  const c = new Components();
  c.a[0] = 0.2;
  c.r[0] = 0.001;
  c.a[2] = 0.1;
  c.r[2] = 0.00025;
  c.capUs = 1000;
  for (const k of [0, 2]) c.eCap[k] = Math.exp(-c.r[k] * c.capUs);
  c.pFull = 0.4;
  return c;
}

describe("Components.rescale: a mixed victim's queue grows the wait cap, and e^(-r cap) follows it", () => {
  // 4 cores, 6 runnable when all are held: excess 2, so the cap is 3 ms.
  test("after rescale, each blocking bin's e^(-r cap) is at the grown cap; an empty bin's is 0", () => {
    const c = twoBins();
    c.rescale(0.2, 0.5, 6, 4, true);
    expect(c.capUs).toBe(3000);
    expect(c.eCap[0]).toBeCloseTo(Math.exp(-3), 15);
    expect(c.eCap[2]).toBeCloseTo(Math.exp(-0.75), 15);
    expect(c.eCap[1]).toBe(0);
  });

  test("a copy and a save of a rescaled set carry the grown cap's values", () => {
    const c = twoBins();
    c.rescale(0.2, 0.5, 6, 4, true);
    const copy = new Components();
    copy.copyFrom(c);
    expect(copy.eCap[0]).toBeCloseTo(Math.exp(-3), 15);
    const saved = new Array<number>(Components.SAVED).fill(0);
    c.save(saved, 0);
    expect(saved[2 * BINS]).toBeCloseTo(Math.exp(-3), 15);
    const back = new Components();
    back.load(saved, 0);
    expect(back.eCap[2]).toBeCloseTo(Math.exp(-0.75), 15);
  });

  test("without the queue (or without excess) the cap and its e^(-r cap) stay", () => {
    const c = twoBins();
    c.rescale(0.2, 0.5, 6, 4, false);
    expect(c.capUs).toBe(1000);
    expect(c.eCap[0]).toBeCloseTo(Math.exp(-1), 15);
    const d = twoBins();
    d.rescale(0.2, 0.5, 3, 4, true);
    expect(d.eCap[2]).toBeCloseTo(Math.exp(-0.25), 15);
  });
});
