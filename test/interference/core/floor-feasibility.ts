import { expect, test } from "vitest";
import type { Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import { ALL_MECHANISMS } from "../../../src/interference/core/scheduler-core.js";
import { HostState } from "../../../src/interference/host-state.js";
import { newPrediction, Predictor } from "../../../src/interference/predictor.js";
import { profileVm } from "../../../src/interference/profile.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { plainModel } from "../helpers.js";

/**
 * floorFeasibilityTests asserts that a floor under vm0's estimate (the mechanism `on` switches on)
 * reaches the placer's three feasibility paths: the victim's components, its row, and a newcomer
 * judging itself. The placer asks feasibility, not estimates, so a floor missing from one path
 * would let a plan count the victim as fitting.
 */
export function floorFeasibilityTests(s: Scenario, on: Partial<Mechanisms>, minBoundUs: number): void {
  const p = new Predictor(plainModel(Math.log(1.5)), { ...ALL_MECHANISMS, ...on });
  const profiles = s.vms.map(profileVm);
  const build = (slo: number | undefined, withVictim = true): HostState => {
    const hs = new HostState(s.host, p);
    const own = withVictim ? [{ ...profiles[0], ...(slo === undefined ? {} : { sloP999Us: slo }) }] : [];
    for (const x of [...own, ...profiles.slice(1)]) hs.add(x, p.victim(x));
    return hs;
  };
  const bound = build(undefined).predictVictim(p.victim(profiles[0])!, newPrediction()).boundUs[1];

  test("the floor sets the bound", () => {
    expect(bound).toBeGreaterThan(minBoundUs);
  });

  test.each([0.9, 0.99, 1.01, 1.1])("SLO %s x bound: withinSlo, the rows (fits) and the newcomer agree with predict", (f) => {
    const hs = build(f * bound);
    const v = p.victim({ ...profiles[0], sloP999Us: f * bound })!;
    expect(p.withinSlo(hs.model, hs.mix, v, undefined, 0), "withinSlo").toBe(f >= 1);
    expect(hs.fits(), "rows").toBe(f >= 1);
    const newcomer = { ...profiles[0], sloP999Us: f * bound };
    expect(build(undefined, false).fits(newcomer, p.victim(newcomer)), "newcomer").toBe(f >= 1);
  });
}
