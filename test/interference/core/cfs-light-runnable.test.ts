import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS, type Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

/**
 * Mechanisms.cfsLightRunnable (docs/accuracy.md, "Runnable waits where io fills the last core
 * (session 20)"). holdout-19's packed/10081/4: 8 CPUs under CFS; two never-sleeping VMs (vm-3, 1
 * vCPU; vm-4, 4 vCPUs) keep 5 CPUs, and on the other 3 vm-0 (mixed, 2 vCPUs at duty 0.9, 30 ms
 * bursts) and vm-2 (1 vCPU at 0.9) are the only CPU-bound vCPUs besides the hogs: they never hold
 * every core (P(all held) 0), but the io VMs' load fills the rest past the cores. vm-0's vCPUs sit
 * runnable behind io wakers and queued sleepers, and its p99.9 rises through the over-fill (the io
 * rates scaled) where the wake-driven estimate stays flat; with the term it follows.
 */
const ON: Partial<Mechanisms> = { cfsLightRunnable: true };
const OFF: Partial<Mechanisms> = { cfsLightRunnable: false };

function ioScaled(k: number): Scenario {
  const s = roundHost("holdout-19", "packed/10081/4");
  return { ...s, vms: s.vms.map((v) => (v.workload.kind === "io" ? { ...v, workload: { ...v.workload, requestsPerSec: v.workload.requestsPerSec * k } } : v)) };
}

describe("CFS: runnable waits where io load fills the last core", () => {
  test("on by default", () => {
    expect(ALL_MECHANISMS.cfsLightRunnable).toBe(true);
  });

  test("10081/4's vm-0 as drawn: over 2x the estimate without the term, within 0.3 in ln of it with", () => {
    const s = ioScaled(1);
    const sim = simulatedP999(s, "vm-0", [7, 8]);
    const off = shippedP999(s, "vm-0", OFF);
    const on = shippedP999(s, "vm-0", ON);
    expect(sim, `simulated ${sim} against ${off} without`).toBeGreaterThan(2 * off);
    expect(Math.abs(Math.log(on / sim)), `with: ${on} against ${sim}`).toBeLessThan(0.3);
  }, 120_000);

  test("through the over-fill: the simulation rises with the io rates, the estimate with the term follows, without it stays flat", () => {
    const simAt = [1, 1.25].map((k) => simulatedP999(ioScaled(k), "vm-0", [7, 8]));
    const onAt = [1, 1.25].map((k) => shippedP999(ioScaled(k), "vm-0", ON));
    const offAt = [1, 1.25].map((k) => shippedP999(ioScaled(k), "vm-0", OFF));
    expect(simAt[1], `${simAt}`).toBeGreaterThan(1.3 * simAt[0]);
    expect(onAt[1], `${onAt}`).toBeGreaterThan(1.3 * onAt[0]);
    expect(Math.abs(Math.log(offAt[1] / offAt[0])), `${offAt}`).toBeLessThan(0.1);
    expect(Math.abs(Math.log(onAt[1] / simAt[1])), `${onAt[1]} against ${simAt[1]}`).toBeLessThan(0.3);
  }, 120_000);

  test("io rates halved: the rest has room, the simulation is near the wake-driven estimate and the term adds nothing", () => {
    const s = ioScaled(0.5);
    const sim = simulatedP999(s, "vm-0", [7, 8]);
    const on = shippedP999(s, "vm-0", ON);
    expect(on).toBe(shippedP999(s, "vm-0", OFF));
    expect(Math.abs(Math.log(on / sim)), `${on} against ${sim}`).toBeLessThan(0.2);
  }, 120_000);

  test("the over-fill made by CPU-bound vCPUs (holdout-14's 10031/6, P(all held) > 0) is runnableWaits', untouched", () => {
    const s = roundHost("holdout-14", "packed/10031/6");
    for (const vm of ["vm-0", "vm-1"]) expect(shippedP999(s, vm, ON), vm).toBe(shippedP999(s, vm, OFF));
  });
});
