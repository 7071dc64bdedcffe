import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS } from "../../../src/interference/core/scheduler-core.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

// Mechanisms.credit2TimerCap (on since session 18, measured once on holdout-17; docs/accuracy.md
// "credit2's contended p90 on holdout-16"): a mixed victim's preempted-burst episodes end within
// EPISODE_CAP_RATELIMITS rate limits, as the simulator's do, not at MAX_TIMER.
const ON = { credit2TimerCap: true };
const OFF = { credit2TimerCap: false };
const SEEDS = [7, 8];

describe("credit2's preempted-burst episodes capped at the timers", () => {
  test("on in the shipped mechanisms", () => {
    expect(ALL_MECHANISMS.credit2TimerCap).toBe(true);
  });

  // holdout-16's 6-core host of two mixed victims beside 8 queued CPU vCPUs (its contended p90
  // tail): model-v15's episode floor is over the simulated p99.9 by more than e^0.4 for both.
  test.each(["victim-0", "victim-1"])("holdout-16 contended-credit2/10054/7 %s: the capped floor comes down towards the simulator", (victim) => {
    const s = roundHost("holdout-16", "contended-credit2/10054/7");
    const sim = simulatedP999(s, victim, SEEDS);
    const off = shippedP999(s, victim, OFF);
    const on = shippedP999(s, victim, ON);
    expect(Math.log(off / sim), "model-v15 over-predicts").toBeGreaterThan(0.4);
    expect(Math.abs(Math.log(on / sim)), "capped").toBeLessThan(Math.log(off / sim));
    expect(on, "still not under the simulator").toBeGreaterThan(sim);
  }, 60_000);

  test("an io-only victim has no episodes: the switch changes nothing (holdout-16 contended-credit2/10059/3)", () => {
    const s = roundHost("holdout-16", "contended-credit2/10059/3");
    expect(shippedP999(s, "victim-0", ON)).toBe(shippedP999(s, "victim-0", OFF));
  });
});
