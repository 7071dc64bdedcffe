import { expect, test } from "vitest";
import type { Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import { ALL_MECHANISMS } from "../../../src/interference/core/scheduler-core.js";
import { HostState } from "../../../src/interference/host-state.js";
import { newPrediction, Predictor } from "../../../src/interference/predictor.js";
import type { Prediction } from "../../../src/interference/predictor.js";
import { loadPredictor } from "../../../src/io/calibration.js";
import { profileVm } from "../../../src/interference/profile.js";
import type { VmProfile } from "../../../src/interference/profile.js";
import type { InterferenceModel } from "../../../src/interference/model-data.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { plainModel } from "../helpers.js";

/** victimFirst puts the VM `id` first, where floorFeasibilityTests and victimBoundUs look for the victim. */
export function victimFirst(s: Scenario, id: string): Scenario {
  return { ...s, vms: [...s.vms].sort((a, b) => (a.id === id ? -1 : b.id === id ? 1 : 0)) };
}

/** hostWith is the host's state under `p` with the VMs `profiles`: VM `at` given the SLO `slo` (if any), or left out (`withVictim` false, for a newcomer judging itself). */
export function hostWith(host: Scenario["host"], profiles: readonly VmProfile[], at: number, p: Predictor, slo?: number, withVictim = true): HostState {
  const hs = new HostState(host, p);
  for (let i = 0; i < profiles.length; i++) {
    if (i === at && !withVictim) continue;
    const x = i === at && slo !== undefined ? { ...profiles[i], sloP999Us: slo } : profiles[i];
    hs.add(x, p.victim(x));
  }
  return hs;
}

/** victimBoundUs is the first VM's bound (upper p99.9, µs) on the whole host with `set` switched (under `model`). */
export function victimBoundUs(s: Scenario, set: Partial<Mechanisms>, model: InterferenceModel = plainModel(Math.log(1.5))): number {
  const p = new Predictor(model, { ...ALL_MECHANISMS, ...set });
  const hs = new HostState(s.host, p);
  const profiles = s.vms.map(profileVm);
  for (const x of profiles) hs.add(x, p.victim(x));
  return hs.predictVictim(p.victim(profiles[0])!, newPrediction()).boundUs[1];
}

/**
 * floorFeasibilityTests asserts that a term on vm0's estimate (the mechanism `on` switches on; a
 * floor, or a cap) reaches the placer's three feasibility paths: the victim's components, its row,
 * and a newcomer judging itself. The placer asks feasibility, not estimates, so a term missing from
 * one path would let a plan count the victim as fitting where its estimate says it does not, or
 * the reverse. `expectBound` says the term sets the bound here (a number: the bound is above it).
 * `bareWithinSlo` false leaves out the bare Predictor.withinSlo check, for hosts with outside-range
 * reasons, which HostState counts and a bare withinSlo is not given. `model`: a plain one (no
 * correction) unless a term binds only against the learned correction (a floor under it).
 */
export function floorFeasibilityTests(s: Scenario, on: Partial<Mechanisms>, expectBound: number | ((boundUs: number) => void), bareWithinSlo = true, model: InterferenceModel = plainModel(Math.log(1.5))): void {
  const p = new Predictor(model, { ...ALL_MECHANISMS, ...on });
  const profiles = s.vms.map(profileVm);
  const build = (slo: number | undefined, withVictim = true): HostState => {
    const hs = new HostState(s.host, p);
    const own = withVictim ? [{ ...profiles[0], ...(slo === undefined ? {} : { sloP999Us: slo }) }] : [];
    for (const x of [...own, ...profiles.slice(1)]) hs.add(x, p.victim(x));
    return hs;
  };
  const bound = build(undefined).predictVictim(p.victim(profiles[0])!, newPrediction()).boundUs[1];

  test("the term sets the bound", () => {
    if (typeof expectBound === "number") expect(bound).toBeGreaterThan(expectBound);
    else expectBound(bound);
  });

  test.each([0.9, 0.99, 1.01, 1.1])("SLO %s x bound: withinSlo, the rows (fits) and the newcomer agree with predict", (f) => {
    const hs = build(f * bound);
    const v = p.victim({ ...profiles[0], sloP999Us: f * bound })!;
    if (bareWithinSlo) expect(p.withinSlo(hs.model, hs.mix, v, undefined, 0), "withinSlo").toBe(f >= 1);
    expect(hs.fits(), "rows").toBe(f >= 1);
    const newcomer = { ...profiles[0], sloP999Us: f * bound };
    expect(build(undefined, false).fits(newcomer, p.victim(newcomer)), "newcomer").toBe(f >= 1);
  });
}

/**
 * lowerBoundFeasibilityTests is floorFeasibilityTests' other side, for a term that LOWERS VM
 * `id`'s bound (a cap, a faster release) under `model` (the shipped one where the term binds only
 * against the learned correction): the bound falls by more than `ratio`, the host's rows and a
 * newcomer judging itself agree with predict around it, and without the term (`off`) the rows
 * refuse an SLO between the two bounds, so a plan counts the victim as fitting exactly where its
 * estimate says it does.
 */
export function lowerBoundFeasibilityTests(s: Scenario, id: string, on: Partial<Mechanisms>, off: Partial<Mechanisms>, ratio: number, model: InterferenceModel): void {
  const profiles = s.vms.map(profileVm);
  const at = s.vms.findIndex((v) => v.id === id);
  const build = (p: Predictor, slo: number | undefined, withVictim = true): HostState => hostWith(s.host, profiles, at, p, slo, withVictim);
  const p = new Predictor(model, { ...ALL_MECHANISMS, ...on });
  const q = new Predictor(model, { ...ALL_MECHANISMS, ...off });
  const bound = build(p, undefined).predictVictim(p.victim(profiles[at])!, newPrediction()).boundUs[1];
  const offBound = build(q, undefined).predictVictim(q.victim(profiles[at])!, newPrediction()).boundUs[1];

  test("the term lowers the bound", () => {
    expect(at, id).toBeGreaterThanOrEqual(0);
    expect(bound).toBeLessThan(offBound / ratio);
  });

  test.each([0.9, 0.99, 1.01, 1.1])("SLO %s x bound: the rows (fits) and the newcomer agree with predict", (f) => {
    expect(build(p, f * bound).fits(), "rows").toBe(f >= 1);
    const newcomer = { ...profiles[at], sloP999Us: f * bound };
    expect(build(p, undefined, false).fits(newcomer, p.victim(newcomer)), "newcomer").toBe(f >= 1);
  });

  test("without the term the rows refuse an SLO between the two bounds", () => {
    const slo = (bound + offBound) / 2;
    expect(build(p, slo).fits()).toBe(true);
    expect(build(q, slo).fits()).toBe(false);
  });
}

/**
 * shippedPathTests asserts, under the shipped model (its correction on: floors that bind only
 * against it), that VM `id`'s term (`off` switches it off) sets its estimate as `floorSets` says
 * (given the prediction with and without the term), and that the placer's rows and a newcomer
 * judging itself agree with predict around the bound.
 */
export function shippedPathTests(s: Scenario, id: string, off: Partial<Mechanisms>, floorSets: (on: Prediction, off: Prediction) => void): void {
  const profiles = s.vms.map(profileVm);
  const vi = s.vms.findIndex((v) => v.id === id);
  const model = loadPredictor().model;
  const p = new Predictor(model, ALL_MECHANISMS);
  const build = (slo: number | undefined, withVictim = true, pred = p): HostState => hostWith(s.host, profiles, vi, pred, slo, withVictim);
  const predictWith = (pred: Predictor): Prediction => build(undefined, true, pred).predictVictim(pred.victim(profiles[vi])!, newPrediction());
  const on = predictWith(p);
  const bound = on.boundUs[1];

  test("the floor sets the estimate", () => floorSets(on, predictWith(new Predictor(model, { ...ALL_MECHANISMS, ...off }))));

  test.each([0.9, 0.99, 1.01, 1.1])("SLO %s x bound: the rows (fits) and the newcomer agree with predict", (f) => {
    expect(build(f * bound).fits(), "rows").toBe(f >= 1);
    const newcomer = { ...profiles[vi], sloP999Us: f * bound };
    expect(build(undefined, false).fits(newcomer, p.victim(newcomer)), "newcomer").toBe(f >= 1);
  });
}
