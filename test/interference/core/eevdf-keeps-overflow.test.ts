import { describe, expect, test } from "vitest";
import { eevdfCore, KEEPS_OVERFLOW_PER_SPLIT } from "../../../src/interference/core/eevdf.js";
import { ALL_MECHANISMS } from "../../../src/interference/core/scheduler-core.js";
import { isUnsafeMiss } from "../../../src/interference/eval/stats.js";
import type { KvmEevdfParams } from "../../../src/model/scheduler.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";
import { floorFeasibilityTests, victimBoundUs, victimFirst } from "./floor-feasibility.js";

// Mechanisms.eevdfKeepsOverflow (docs/accuracy.md, "Packed EEVDF: a kept multi-vCPU victim visited
// by the sleepers' overflow (session 25)"): eevdfKeepsMulti's victim keeps its CPUs only while the
// sleepy vCPUs past the cores the never-sleeping ones leave, E[(N - cores)+], stay at most
// KEEPS_OVERFLOW_PER_SPLIT per never-sleeping vCPU of a multi-vCPU VM. A queued sleeper is what the
// busy balancer moves, onto a CPU under the host's mean load: the split hog entities' CPUs. The
// victim's requests all go to its first vCPU while none is queued there, so one visited vCPU sets
// its tail.
const ON = { eevdfKeepsOverflow: true };
const OFF = { eevdfKeepsOverflow: false };

describe("EEVDF: a kept multi-vCPU victim visited by the sleepers' overflow", () => {
  test("on in the shipped mechanisms", () => {
    expect(ALL_MECHANISMS.eevdfKeepsOverflow).toBe(true);
  });

  // 16 cores; vm-2 (8 vCPUs, duty 1, 1,329 requests/s) is the only never-sleeping VM: 8 cores left.
  // The sleepers' mean demand is 7.89 (vm-6 5 x 0.9, vm-3 8 x 0.3, vm-5 0.99), inside
  // eevdfKeepsDemand's line, but N's spread leaves 0.51 of them queued on average: 0.064 per split
  // hog vCPU.
  const s = roundHost("holdout-31", "packed/10206/1", 0, 20000);
  const alone = (): number => simulatedP999({ ...s, vms: s.vms.filter((v) => v.id === "vm-2") }, "vm-2");

  test("holdout-31 packed/10206/1 vm-2: off, the alone estimate (far under); on, not under the simulator", () => {
    const sim = simulatedP999(s, "vm-2", [7, 8]);
    expect(sim, "the victim waits in the simulator").toBeGreaterThan(3 * alone());
    const off = shippedP999(s, "vm-2", OFF);
    const on = shippedP999(s, "vm-2", ON);
    expect(off, "without the term: its alone tail").toBeLessThan(1.2 * alone());
    expect(Math.log(off / sim), "without the term: under by far (the reference: 153 against 1,144 µs, unsafe)").toBeLessThan(-1.4);
    expect(on, "with it: over the simulator").toBeGreaterThan(sim);
    expect(isUnsafeMiss(on, sim)).toBe(false);
  }, 120_000);

  // The same host without vm-5 (the sleepers' demand 6.9 on 8 cores left, 0.023 per split hog
  // vCPU): the simulator keeps the victim at its alone tail, and the term stays out.
  test("without vm-5: kept in the simulator and the model", () => {
    const light = { ...s, vms: s.vms.filter((v) => v.id !== "vm-5") };
    expect(simulatedP999(light, "vm-2", [7, 8])).toBeLessThan(1.2 * alone());
    expect(shippedP999(light, "vm-2", ON)).toBe(shippedP999(light, "vm-2", OFF));
    expect(shippedP999(light, "vm-2", ON)).toBeLessThan(1.2 * alone());
  }, 120_000);

  // holdout-21's packed-32/10103/0: 0.043 per split hog vCPU (11 of them, four VMs), the victims at
  // their alone tails in the reference: unchanged.
  test("holdout-21 packed-32/10103/0 vm-6 and vm-18 (0.043 per split hog vCPU): unchanged", () => {
    const t = roundHost("holdout-21", "packed-32/10103/0");
    for (const id of ["vm-6", "vm-18"]) expect(shippedP999(t, id, ON), id).toBe(shippedP999(t, id, OFF));
  });

  // keepsCpu's own arithmetic: the overflow is read only past the other tests, NaN (not computed) keeps.
  test("keepsCpu: the overflow line, and NaN where the caller did not compute it", () => {
    const sch = roundHost("holdout-31", "packed/10206/1").host.scheduler;
    if (sch.kind !== "kvm-eevdf") throw new Error("not an EEVDF host");
    const p: KvmEevdfParams = sch;
    const core = eevdfCore(p, 16, { eevdfKeepsMulti: true, eevdfKeepsDemand: true, eevdfKeepsOverflow: true });
    const off = eevdfCore(p, 16, { eevdfKeepsMulti: true, eevdfKeepsDemand: true });
    expect(core.keepsOverflow).toBe(true);
    expect(off.keepsOverflow).toBeUndefined();
    const keeps = (c: typeof core, x: number): boolean => c.keepsCpu!(3.9, 8, 8, 2.9, 7.9, 7, x);
    expect(keeps(core, KEEPS_OVERFLOW_PER_SPLIT)).toBe(true);
    expect(keeps(core, KEEPS_OVERFLOW_PER_SPLIT * 1.3)).toBe(false);
    expect(keeps(core, Number.NaN)).toBe(true);
    expect(keeps(off, 1)).toBe(true);
  });
});

// The placer asks feasibility, not estimates: the raised bound must reach the victim's row and a
// newcomer judging itself alike (asked through HostState, as eevdf-keeps-demand.test.ts does).
describe("the placer's paths agree with predict (holdout-31 packed/10206/1 vm-2)", () => {
  const s = victimFirst(roundHost("holdout-31", "packed/10206/1"), "vm-2");
  floorFeasibilityTests(s, {}, (bound) => expect(bound).toBeGreaterThan(2 * victimBoundUs(s, OFF)), false);
});
