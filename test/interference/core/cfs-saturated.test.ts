import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS } from "../../../src/interference/core/scheduler-core.js";
import { HostState } from "../../../src/interference/host-state.js";
import { newPrediction, Predictor } from "../../../src/interference/predictor.js";
import { profileVm } from "../../../src/interference/profile.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { fairScenario } from "../../sim/kvm-cfs/helpers.js";
import { mechanismP999, plainModel, simulatedP999 } from "../helpers.js";

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

// The placer asks feasibility, not estimates: the floor must reach its three paths (the victim's
// components, its row, and a newcomer judging itself), or a plan would count the victim as fitting.
describe("the saturated floor in feasibility questions", () => {
  const p = new Predictor(plainModel(Math.log(1.5)), { ...ALL_MECHANISMS, cfsSaturated: true });
  const profiles = host(2, 8).vms.map(profileVm);
  const build = (slo: number | undefined, withVictim = true): HostState => {
    const hs = new HostState(host(2, 8).host, p);
    const own = withVictim ? [{ ...profiles[0], ...(slo === undefined ? {} : { sloP999Us: slo }) }] : [];
    for (const x of [...own, ...profiles.slice(1)]) hs.add(x, p.victim(x));
    return hs;
  };
  const bound = build(undefined).predictVictim(p.victim(profiles[0])!, newPrediction()).boundUs[1];

  test("the floor sets the bound", () => {
    expect(bound).toBeGreaterThan(10_000);
  });

  test.each([0.9, 0.99, 1.01, 1.1])("SLO %s x bound: withinSlo, the rows (fits) and the newcomer agree with predict", (f) => {
    const hs = build(f * bound);
    const v = p.victim({ ...profiles[0], sloP999Us: f * bound })!;
    expect(p.withinSlo(hs.model, hs.mix, v, undefined, 0), "withinSlo").toBe(f >= 1);
    expect(hs.fits(), "rows").toBe(f >= 1);
    const newcomer = { ...profiles[0], sloP999Us: f * bound };
    expect(build(undefined, false).fits(newcomer, p.victim(newcomer)), "newcomer").toBe(f >= 1);
  });
});
