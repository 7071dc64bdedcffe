import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS } from "../../../src/interference/core/scheduler-core.js";
import { loadPredictor } from "../../../src/io/calibration.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";
import { lowerBoundFeasibilityTests } from "./floor-feasibility.js";

// Mechanisms.eevdfNeverPulled (docs/accuracy.md, "Packed EEVDF: a multi-vCPU victim no balancer
// pulls onto (session 23)"): a never-sleeping victim of v vCPUs carries 1 / v of a VM on each of
// its CPUs; where the host's VMs times v are at most its cores, the host's mean load per CPU never
// passes that, kvm-fair's busy balancer never pulls onto the victim's CPUs, and it keeps them
// however few cores are left and however many sleepers queue on those.
const ON = { eevdfNeverPulled: true };
const OFF = { eevdfNeverPulled: false };

/** withSleepers: `s` with `n` more 1-vCPU CPU-bound VMs at duty 0.5 in 30 ms bursts. */
function withSleepers(s: Scenario, n: number): Scenario {
  const add = Array.from({ length: n }, (_, i) => ({
    ...s.vms[0],
    id: `add-${i}`,
    vcpus: 1,
    workload: { kind: "cpu" as const, dutyCycle: 0.5, burstMs: 30, burstDistribution: "exponential" as const },
  }));
  return { ...s, vms: [...s.vms, ...add] };
}

describe("EEVDF: a never-sleeping multi-vCPU victim no balancer pulls onto", () => {
  test("on in the shipped mechanisms", () => {
    expect(ALL_MECHANISMS.eevdfNeverPulled).toBe(true);
  });

  // 8 cores; never sleeping: the victim vm-2 (2 vCPUs) and vm-3 (4): 2 cores left for vm-1's 8
  // vCPUs at duty 0.7 (5.6 runnable on average) and vm-0's io. 4 VMs x 2 vCPUs = 8 cores.
  const s = roundHost("holdout-29", "packed/10182/1");
  const alone = (): number => simulatedP999({ ...s, vms: s.vms.filter((v) => v.id === "vm-2") }, "vm-2");

  test("holdout-29 packed/10182/1 vm-2: at its alone tail in the simulator; off, 40x over; on, the simulator's", () => {
    const sim = simulatedP999(s, "vm-2", [7, 8]);
    expect(sim, "kept in the simulator").toBeLessThan(1.1 * alone());
    const off = shippedP999(s, "vm-2", OFF);
    const on = shippedP999(s, "vm-2");
    expect(Math.log(off / sim), "without the term: the wake-driven components, far over").toBeGreaterThan(2);
    expect(Math.abs(Math.log(on / sim)), "with it").toBeLessThan(0.2);
  }, 120_000);

  // Two more 1-vCPU sleepers (6 VMs x 2 = 12 > 8): the mean load can pass the victim's half a VM,
  // the balancer pulls the queued sleepers onto its CPUs and it waits behind their 30 ms bursts.
  // The term stays out.
  test("the same host with two more sleepers: visited in the simulator, the term out", () => {
    const more = withSleepers(s, 2);
    expect(simulatedP999(more, "vm-2", [7, 8])).toBeGreaterThan(5 * alone());
    expect(shippedP999(more, "vm-2", ON)).toBe(shippedP999(more, "vm-2", OFF));
  }, 120_000);

  // packed-1's packed/9977/2 vm-2: the same shape (8 cores, a 2-vCPU victim and a 4-vCPU hog) but
  // 6 VMs (12 > 8): the simulator has it at 5.6x its alone tail (the reference, 1,784 µs); the
  // term must not keep it (it would be an unsafe miss).
  test("packed-1 packed/9977/2 vm-2 (6 VMs x 2 vCPUs on 8 cores): unchanged", () => {
    const t = roundHost("packed-1", "packed/9977/2");
    expect(shippedP999(t, "vm-2", ON)).toBe(shippedP999(t, "vm-2", OFF));
    expect(shippedP999(t, "vm-2", ON)).toBeGreaterThan(1000);
  });
});

// The placer asks feasibility, not estimates: the lowered bound must reach the victim's row and a
// newcomer judging itself (which counts itself among the host's VMs) alike, with the shipped mechanisms.
describe("the placer's paths agree with predict (holdout-29 packed/10182/1 vm-2)", () => {
  lowerBoundFeasibilityTests(roundHost("holdout-29", "packed/10182/1"), "vm-2", {}, OFF, 5, loadPredictor().model);
});
