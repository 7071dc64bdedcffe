import { describe, expect, test } from "vitest";
import { heavyHomeBlock, lightHoldOne } from "../../../src/interference/core/light-holds.js";
import type { Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

/**
 * Mechanisms.cfsLightFullHome and cfsSleeperPolls (docs/accuracy.md, "CFS's contended p90, the fix
 * (session 16)"). holdout-12's contended/10015/16: 16 CPUs, 16 CPU-bound vCPUs (4 hogs, 11
 * sleepers, a mixed VM) at 11.5 cores of mean demand. When 15 of them run, the last core is held
 * now and then by an io vCPU serving or halt-polling, or by a sleeper halt-polling after its burst;
 * the 2-vCPU io victim then wakes onto its home CPU behind a fresh CPU-bound runner and waits for
 * the held core to go idle. holdout-1's contended/9112/10: 6 CPUs, 5 CPU-bound vCPUs, each of which
 * keeps a CPU of its own, so the io victims' homes are the sixth core and the term stays off.
 */
const estimate = shippedP999;

function host(round: string, id: string, extraCores = 0): Scenario {
  return roundHost(round, id, extraCores, 10_000);
}

const OFF: Partial<Mechanisms> = { cfsLightFullHome: false, cfsSleeperPolls: false };
/** Session 19's cfsHogsKeep off: the model the two parts were chosen on (the 4 hogs keep 4 CPUs here). */
const CHOSEN: Partial<Mechanisms> = { cfsHogsKeep: false };

describe("CFS light-full host: a CPU-bound home runner blocks the io waker", () => {
  test("16 CPU-bound vCPUs on 16 cores: the term lifts the blind estimate toward the simulator's; each part adds", () => {
    const s = host("holdout-12", "contended/10015/16");
    const sim = simulatedP999(s, "victim-1", [7, 8]);
    const off = estimate(s, "victim-1", { ...OFF, ...CHOSEN });
    const noPolls = estimate(s, "victim-1", { cfsSleeperPolls: false, ...CHOSEN });
    const chosen = estimate(s, "victim-1", CHOSEN);
    const on = estimate(s, "victim-1");
    expect(sim).toBeGreaterThan(150);
    expect(off, `without: ${off} against ${sim}`).toBeLessThan(0.4 * sim);
    expect(noPolls, `home runner alone: ${noPolls}`).toBeGreaterThan(1.5 * off);
    expect(chosen, `with the polls: ${chosen} against ${noPolls}`).toBeGreaterThan(1.2 * noPolls);
    expect(chosen, `with: ${chosen} against ${sim}`).toBeGreaterThan(0.5 * sim);
    expect(on, `with: ${on} against ${sim}`).toBeLessThan(1.5 * sim);
  }, 60_000);

  test("four more CPUs: the simulator's waits vanish, and with fewer CPU-bound vCPUs than cores the term adds nothing", () => {
    const s = host("holdout-12", "contended/10015/16", 4);
    expect(simulatedP999(s, "victim-1", [7, 8])).toBeLessThan(60);
    expect(estimate(s, "victim-1")).toBe(estimate(s, "victim-1", OFF));
  }, 60_000);

  test("5 CPU-bound vCPUs on 6 cores: the io victims share the sixth core, the simulator's tail is short and the term is off", () => {
    const s = host("holdout-1", "contended/9112/10");
    const sim = simulatedP999(s, "victim-0", [7, 8]);
    const on = estimate(s, "victim-0");
    expect(on).toBe(estimate(s, "victim-0", OFF));
    expect(Math.abs(Math.log(on / sim)), `${on} against ${sim}`).toBeLessThan(0.3);
  }, 60_000);
});

describe("light-holds.ts: the heavy home runner's block and the one-hold state", () => {
  test("heavyHomeBlock is the CPU-bound share of wake-ups times their block share, only once they fill the cores", () => {
    expect(heavyHomeBlock(1, 3, 0.4, 15, 16)).toBe(0);
    expect(heavyHomeBlock(1, 3, 0.4, 16, 16)).toBeCloseTo(0.3, 12);
    expect(heavyHomeBlock(0, 3, 0.4, 20, 16)).toBeCloseTo(0.4, 12);
    expect(heavyHomeBlock(0, 0, 0.4, 20, 16)).toBe(0);
  });

  test("lightHoldOne: P(heavy = cores - 1) x P(some light vCPU busy or some idle sleeper polling)", () => {
    const held = Float64Array.from([0.01, 0.05, 0.2]);
    // One light vCPU at 0.1: (0.05 - 0.01) x 0.1.
    expect(lightHoldOne(held, 3, 0.1, 1, 0, 0.5)).toBeCloseTo(0.004, 12);
    // Two pollers at 0.5 each as well: 1 - 0.9 x 0.25.
    expect(lightHoldOne(held, 3, 0.1, 1, 2, 0.5)).toBeCloseTo(0.04 * (1 - 0.9 * 0.25), 12);
    // No light vCPU: the polls alone.
    expect(lightHoldOne(held, 3, 0, 0, 1, 0.5)).toBeCloseTo(0.02, 12);
    expect(lightHoldOne(held, 3, 0, 0, 0, 0.5)).toBe(0);
  });
});
