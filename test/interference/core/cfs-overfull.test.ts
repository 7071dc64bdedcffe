import { describe, expect, test } from "vitest";
import type { Scenario } from "../../../src/model/scenario.js";
import { fairScenario } from "../../sim/kvm-cfs/helpers.js";
import { mechanismP999, simulatedP999 } from "../helpers.js";
import { floorFeasibilityTests } from "./floor-feasibility.js";

/**
 * CFS's over-full host (Mechanisms.cfsOverfull, cfs.ts overfullEpisodes): 8 CPUs, each held by a
 * 1-vCPU hog, and an io VM of 1,000 requests/s of 150 µs. With four vCPUs its group entity on a
 * CPU weighs a third or a quarter of its shares once three are runnable, wakeup_gran in its units
 * (4 ms x 3-4 at the tunables x4) reaches the 12 ms sleeper credit, and its waking vCPU waits out
 * the hog's slice; with two vCPUs it always preempts. The tests set the switch both ways.
 */
function host(ioVcpus: number): Scenario {
  const io = { vcpus: ioVcpus, workload: { kind: "io" as const, requestsPerSec: 1000, serviceUs: 150 } };
  const hog = { workload: { kind: "cpu" as const, dutyCycle: 1, burstMs: 10 } };
  return fairScenario("kvm-cfs", 8, [io, ...Array.from({ length: 8 }, () => hog)], { durationMs: 3000, warmupMs: 1000 });
}

describe("CFS over-full: a multi-vCPU io victim too light to preempt a hog", () => {
  test("4-vCPU io victim, a hog on every CPU: the core waits a slice with the term, as the simulator does; blind without it", () => {
    const s = host(4);
    const sim = simulatedP999(s, "vm0", [1, 2]);
    const on = mechanismP999(s, "vm0", { cfsOverfull: true });
    const off = mechanismP999(s, "vm0", { cfsOverfull: false });
    expect(sim).toBeGreaterThan(6000);
    expect(off, `without: ${off} against ${sim}`).toBeLessThan(0.2 * sim);
    expect(on, `with: ${on} against ${sim}`).toBeGreaterThan(0.7 * sim);
    expect(on, `with: ${on} against ${sim}`).toBeLessThan(1.5 * sim);
  }, 60_000);

  test("2-vCPU io victim: it preempts the hogs, and the term adds nothing", () => {
    const s = host(2);
    expect(simulatedP999(s, "vm0")).toBeLessThan(1000);
    expect(mechanismP999(s, "vm0", { cfsOverfull: true })).toBe(mechanismP999(s, "vm0", { cfsOverfull: false }));
  }, 60_000);
});

// The placer asks feasibility, not estimates (floor-feasibility.ts).
describe("the over-full floor in feasibility questions", () => {
  floorFeasibilityTests(host(4), { cfsOverfull: true }, 5000);
});
