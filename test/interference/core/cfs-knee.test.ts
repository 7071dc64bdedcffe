import { describe, expect, test } from "vitest";
import { kneeNoIdle, kneeRate } from "../../../src/interference/core/light-holds.js";
import type { Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

/**
 * Mechanisms.cfsKneeSlack (docs/accuracy.md, "The knee term (session 16)"). holdout-13's
 * packed-32/10029/0: 32 CPUs, 30 CPU-bound vCPUs (pFull 0) whose demand and the io victims'
 * service leave 1.6 cores of slack, which the halt-poll windows (3 cores of them) fill: an io
 * waker finds no idle CPU and waits until a held core goes idle. With two more CPUs the polls no
 * longer fill the slack, the simulator's tail falls to a third and the term adds nothing.
 */
const estimate = shippedP999;

function host(extraCores = 0): Scenario {
  return roundHost("holdout-13", "packed-32/10029/0", extraCores);
}

const ON: Partial<Mechanisms> = { cfsKneeSlack: true };
const OFF: Partial<Mechanisms> = { cfsKneeSlack: false };

describe("CFS's knee: halt-polls filling the slack of a host with fewer CPU-bound vCPUs than cores", () => {
  test("no idle CPU: none with slack to spare, certain with none, more the more the polls", () => {
    expect(kneeNoIdle(5, 0)).toBe(0);
    expect(kneeNoIdle(0, 1)).toBe(1);
    expect(kneeNoIdle(-0.5, 1)).toBe(1);
    // P(Poisson(3) >= 2) = 1 - 4 e^-3.
    expect(kneeNoIdle(2, 3)).toBeCloseTo(1 - 4 * Math.exp(-3), 12);
    expect(kneeNoIdle(1.6, 3)).toBeGreaterThan(kneeNoIdle(2, 3));
    expect(kneeNoIdle(1.6, 3)).toBeLessThan(kneeNoIdle(1, 3));
    expect(kneeNoIdle(1.6, 4)).toBeGreaterThan(kneeNoIdle(1.6, 3));
    // The slack's cores turn over once per hold, and a slice ends the wait at the latest.
    expect(kneeRate(2, 400, 10_000)).toBeCloseTo(2 / 400 + 1e-4, 12);
    expect(kneeRate(-1, 400, 10_000)).toBeCloseTo(1e-4, 12);
  });

  test("10029/0's 4-vCPU io victim: the term lifts the estimate toward the simulator's", () => {
    const s = host();
    const sim = simulatedP999(s, "vm-13", [7, 8]);
    const off = estimate(s, "vm-13", OFF);
    const on = estimate(s, "vm-13", ON);
    expect(sim).toBeGreaterThan(2000);
    expect(off, `without: ${off} against ${sim}`).toBeLessThan(0.45 * sim);
    expect(on, `with: ${on} against ${off}`).toBeGreaterThan(1.2 * off);
    expect(Math.abs(Math.log(on / sim)), `with: ${on} against ${sim}`).toBeLessThan(Math.abs(Math.log(off / sim)) - 0.2);
    expect(on).toBeLessThan(sim);
  }, 120_000);

  test("two more CPUs: the simulator's tail falls and the term adds nothing", () => {
    const s = host(2);
    const sim = simulatedP999(s, "vm-13", [7, 8]);
    const on = estimate(s, "vm-13", ON);
    expect(sim).toBeLessThan(1200);
    expect(on).toBe(estimate(s, "vm-13", OFF));
    expect(Math.abs(Math.log(on / sim)), `${on} against ${sim}`).toBeLessThan(0.3);
  }, 120_000);
});
