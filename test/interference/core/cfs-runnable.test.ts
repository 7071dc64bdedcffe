import { describe, expect, test } from "vitest";
import type { Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

/**
 * Mechanisms.cfsRunnableWaits (docs/accuracy.md, "Packed hosts on holdout-14 (session 17)").
 * holdout-14's packed/10031/6: 8 CPUs under CFS, 14 CPU-bound vCPUs wanting 11.6 cores; its two
 * mixed victims (vm-0: 8 vCPUs, duty 0.9, 1 ms bursts; vm-1: 2 vCPUs, duty 0.9, 10 ms bursts,
 * whose requests make it runnable 0.99 of the time) sit runnable and descheduled behind their
 * CPUs' other runners, and their requests wait out those runners' slices: 10-17 ms simulated,
 * 4.5-4.8 ms estimated without the term (the two unsafe misses at the 10 ms SLO level). With
 * four more CPUs the others no longer want more than the cores and the term adds nothing.
 */
const estimate = shippedP999;

function host(extraCores = 0): Scenario {
  return roundHost("holdout-14", "packed/10031/6", extraCores);
}

const ON: Partial<Mechanisms> = { cfsRunnableWaits: true };
const OFF: Partial<Mechanisms> = { cfsRunnableWaits: false };

describe("CFS's runnable waits: sleepy mixed victims on a host its other vCPUs over-fill", () => {
  test.each(["vm-0", "vm-1"])("10031/6's %s: under half the simulation without the term, within 0.4 in ln of it with", (id) => {
    const s = host();
    const sim = simulatedP999(s, id, [7, 8]);
    const off = estimate(s, id, OFF);
    const on = estimate(s, id, ON);
    expect(sim).toBeGreaterThan(8000);
    expect(off, `without: ${off} against ${sim}`).toBeLessThan(0.5 * sim);
    expect(on, `with: ${on} against ${off}`).toBeGreaterThan(2 * off);
    expect(Math.abs(Math.log(on / sim)), `with: ${on} against ${sim}`).toBeLessThan(0.4);
  }, 120_000);

  test("four more CPUs: the others fit, the simulator's tail falls and the term adds nothing", () => {
    const s = host(4);
    const sim = simulatedP999(s, "vm-0", [7, 8]);
    const on = estimate(s, "vm-0", ON);
    expect(sim).toBeLessThan(5000);
    expect(on).toBe(estimate(s, "vm-0", OFF));
  }, 120_000);

  test("the neighbours' burst length: the simulation barely moves, so short bursts do not end the wait", () => {
    const s = host();
    const longer: Scenario = { ...s, vms: s.vms.map((v) => (v.id === "vm-0" && v.workload.kind === "mixed" ? { ...v, workload: { ...v.workload, cpu: { ...v.workload.cpu, burstMs: 10 } } } : v)) };
    const simShort = simulatedP999(s, "vm-1", [7, 8]);
    const simLong = simulatedP999(longer, "vm-1", [7, 8]);
    expect(Math.abs(Math.log(simLong / simShort)), `${simShort} against ${simLong}`).toBeLessThan(0.4);
    // Without the term the estimate follows the neighbours' bursts (wake waits end with them).
    expect(estimate(longer, "vm-1", OFF)).toBeGreaterThan(3 * estimate(s, "vm-1", OFF));
    expect(estimate(s, "vm-1", ON)).toBeGreaterThan(0.5 * simShort);
  }, 120_000);
});
