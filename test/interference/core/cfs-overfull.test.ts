import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS } from "../../../src/interference/core/scheduler-core.js";
import { HostState } from "../../../src/interference/host-state.js";
import { newPrediction, Predictor } from "../../../src/interference/predictor.js";
import { profileVm } from "../../../src/interference/profile.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { fairScenario } from "../../sim/kvm-cfs/helpers.js";
import { mechanismP999, plainModel, simulatedP999 } from "../helpers.js";

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

// The placer asks feasibility, not estimates: the floor must reach its three paths (the victim's
// components, its row, and a newcomer judging itself), or a plan would count the victim as fitting.
describe("the over-full floor in feasibility questions", () => {
  const p = new Predictor(plainModel(Math.log(1.5)), { ...ALL_MECHANISMS, cfsOverfull: true });
  const profiles = host(4).vms.map(profileVm);
  const build = (slo: number | undefined, withVictim = true): HostState => {
    const hs = new HostState(host(4).host, p);
    const own = withVictim ? [{ ...profiles[0], ...(slo === undefined ? {} : { sloP999Us: slo }) }] : [];
    for (const x of [...own, ...profiles.slice(1)]) hs.add(x, p.victim(x));
    return hs;
  };
  const bound = build(undefined).predictVictim(p.victim(profiles[0])!, newPrediction()).boundUs[1];

  test("the floor sets the bound", () => {
    expect(bound).toBeGreaterThan(5000);
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
