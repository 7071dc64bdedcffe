import { describe, expect, test } from "vitest";
import type { Scenario } from "../../../src/model/scenario.js";
import { fairScenario } from "../../sim/kvm-cfs/helpers.js";
import { mechanismP999, simulatedP999 } from "../helpers.js";
import { floorFeasibilityTests } from "./floor-feasibility.js";

/**
 * CFS's saturated mixed victim (Mechanisms.cfsSaturated, cfs.ts saturatedWaitOf): 8 CPUs, `hogs`
 * 1-vCPU hogs, and a mixed VM of `vcpus` vCPUs whose CPU part never sleeps (duty 1) and which
 * serves 1,000 requests/s of 150 µs inside its bursts. With the hogs holding every CPU its vCPU
 * shares one and waits out the co-runners' slices (12 ms at the tunables x4 beside one hog, more
 * the lighter its group entity); model-v13's core predicts its alone latency there.
 */
function host(vcpus: number, hogs: number): Scenario {
  const mixed = { vcpus, workload: { kind: "mixed" as const, io: { requestsPerSec: 1000, serviceUs: 150 }, cpu: { dutyCycle: 1, burstMs: 10 } } };
  const hog = { workload: { kind: "cpu" as const, dutyCycle: 1, burstMs: 10 } };
  return fairScenario("kvm-cfs", 8, [mixed, ...Array.from({ length: hogs }, () => hog)], { durationMs: 3000, warmupMs: 1000 });
}

describe("CFS saturated mixed victim: its vCPU waits its co-runners' slices on a full host", () => {
  test.each([
    [1, 8],
    [8, 8],
  ])("%i-vCPU duty-1 mixed victim, %i hogs on 8 CPUs: the core waits the slices with the term, as the simulator does; blind without it", (vcpus, hogs) => {
    const s = host(vcpus, hogs);
    const sim = simulatedP999(s, "vm0", [1, 2]);
    const on = mechanismP999(s, "vm0", { cfsSaturated: true });
    const off = mechanismP999(s, "vm0", { cfsSaturated: false });
    expect(sim).toBeGreaterThan(10_000);
    expect(off, `without: ${off} against ${sim}`).toBeLessThan(0.1 * sim);
    expect(on, `with: ${on} against ${sim}`).toBeGreaterThan(0.7 * sim);
    expect(on, `with: ${on} against ${sim}`).toBeLessThan(1.5 * sim);
  }, 60_000);

  test("a core left free of hogs: the victim keeps its own CPU, and the term adds nothing", () => {
    const s = host(1, 7);
    expect(simulatedP999(s, "vm0")).toBeLessThan(1000);
    expect(mechanismP999(s, "vm0", { cfsSaturated: true })).toBe(mechanismP999(s, "vm0", { cfsSaturated: false }));
  }, 60_000);
});

// The placer asks feasibility, not estimates (floor-feasibility.ts).
describe("the saturated floor in feasibility questions", () => {
  floorFeasibilityTests(host(2, 8), { cfsSaturated: true }, 10_000);
});
