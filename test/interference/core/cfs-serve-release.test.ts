import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS, coreFor } from "../../../src/interference/core/scheduler-core.js";
import { scoreHost } from "../../../src/interference/score.js";
import { profileVm } from "../../../src/interference/profile.js";
import { loadPredictor } from "../../../src/io/calibration.js";
import { defaultScheduler } from "../../../src/model/scheduler.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { Predictor } from "../../../src/interference/predictor.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";
import { lowerBoundFeasibilityTests } from "./floor-feasibility.js";

// Mechanisms.cfsServeRelease (docs/accuracy.md, "Packed CFS: io waits behind a serve end with the
// serve (session 24)"). On a CFS host whose CPU-bound vCPUs leave cores to the io, an io waker that
// finds no idle CPU is queued behind a serving io vCPU (inside wakeup_gran of that vCPU's own
// wake-up, so it does not preempt it). At the serve's end the server is not alone on its queue, so
// it does not halt-poll (kvm-fair scheduler.ts block: kvm_vcpu_can_poll); it blocks and the waker
// runs. Traced (10 s, seed 7) on holdout-12 packed/10013/4: 0.9% of the victims' wakes wait, behind
// io runners only, 58 µs on average and at most 264, where the hold-length release said 340 µs
// on average, unbounded: the light-only io victims came out 1.6-2.3x the simulator.
// The shipped mechanisms (the term on in ALL_MECHANISMS): these tests fail with it off there.
const SHIPPED = {};
const ON = { cfsServeRelease: true };
const OFF = { cfsServeRelease: false };
const SEEDS = [7, 8];

function rowOf(s: Scenario, id: string, set: Partial<typeof ALL_MECHANISMS>) {
  const p = new Predictor(loadPredictor().model, { ...ALL_MECHANISMS, ...set });
  return scoreHost(s.host, s.vms.map(profileVm), p).vms.find((v) => v.vmId === id)!;
}

describe("CFS: a waker behind a serving io vCPU is released by the rest of the serve", () => {
  test("on in the shipped mechanisms, on CFS's core only, from 4 cores left", () => {
    expect(ALL_MECHANISMS.cfsServeRelease).toBe(true);
    const cfs = coreFor(defaultScheduler("kvm-cfs"), 8);
    expect(cfs.serveRelease).toBe(true);
    expect(cfs.serveReleaseFree).toBe(4);
    expect(coreFor(defaultScheduler("kvm-cfs"), 8, { ...ALL_MECHANISMS, ...OFF }).serveRelease).toBeUndefined();
    // Without light holds there is no serving io vCPU blocking the waker to release it from.
    expect(coreFor(defaultScheduler("kvm-cfs"), 8, { ...ALL_MECHANISMS, cfsLightHolds: false }).serveRelease).toBeUndefined();
    // EEVDF's own switch, and its gate (host-mix.ts SERVE_RELEASE_FREE), are untouched.
    expect(coreFor(defaultScheduler("kvm-eevdf"), 8, { ...ALL_MECHANISMS, eevdfServeRelease: false }).serveRelease).toBeUndefined();
    expect(coreFor(defaultScheduler("kvm-eevdf"), 8).serveReleaseFree).toBeUndefined();
  });

  // holdout-12 packed/10013/4 (8 cores; one hog and a 2-vCPU duty-1 mixed VM: 5 cores left; io
  // otherwise), holdout-25 packed/10142/3 and holdout-23 packed/10126/7 (16 cores, 6 and 7
  // CPU-bound vCPUs): light-only io victims at or near their alone p99.9 in the simulator.
  test.each([
    ["holdout-12", "packed/10013/4", "vm-3", 0.75, 0.45],
    ["holdout-12", "packed/10013/4", "vm-7", 0.55, 0.3],
    ["holdout-25", "packed/10142/3", "vm-6", 0.4, 0.15],
    ["holdout-25", "packed/10142/3", "vm-10", 0.55, 0.25],
    ["holdout-23", "packed/10126/7", "vm-1", 0.4, 0.2],
  ])("%s %s %s: over-predicted without the term, near the simulator with it", (round, id, vm, offOver, onOver) => {
    const s = roundHost(round, id);
    const sim = simulatedP999(s, vm, SEEDS);
    const off = shippedP999(s, vm, OFF);
    const on = rowOf(s, vm, SHIPPED);
    expect(Math.log(off / sim), "without the term: over-predicted").toBeGreaterThan(offOver);
    expect(Math.log(on.predictedP999Us / sim), "with it: over by much less").toBeLessThan(onOver);
    expect(Math.log(on.predictedP999Us / sim), "and not under").toBeGreaterThan(-0.1);
    expect(on.boundP999Us, "bound above the simulator").toBeGreaterThan(sim);
  }, 120_000);

  // holdout-27 packed/10161/0: 16 cores, 14 CPU-bound vCPUs, 2 left. Traced (10 s, seed 7), its io
  // victims wait behind io serves on 4.2% of their wakes (58 µs on average, at most 333) but behind
  // fresh sleepy CPU-bound runners on 1.65% (132 µs, up to 985): those set the p99.9, no other
  // component counts them here, and the rest of a serve put vm-5 at 0.48x the simulator (201
  // against 422 µs). At 2 or 3 cores left the release stays the hold's (SERVE_RELEASE_FREE_CFS).
  test.each([
    ["holdout-27", "packed/10161/0", "vm-5"],
    ["holdout-27", "packed/10161/0", "vm-3"],
    ["holdout-26", "packed/10153/0", "vm-0"],
  ])("%s %s %s: fewer than 4 cores left, as without the term", (round, id, vm) => {
    const s = roundHost(round, id);
    expect(shippedP999(s, vm, ON)).toBe(shippedP999(s, vm, OFF));
  });

  // holdout-16 packed/10052/5 (8 cores, 4 left): the term's core is near the simulator (416 against
  // 357 µs for vm-2) and the correction, fitted with the hold release, takes the estimate under it
  // (265): the bound stays above.
  test("holdout-16 packed/10052/5 vm-2: lowered past the simulator by the correction, the bound above it", () => {
    const s = roundHost("holdout-16", "packed/10052/5");
    const sim = simulatedP999(s, "vm-2", SEEDS);
    const on = rowOf(s, "vm-2", SHIPPED);
    expect(on.predictedP999Us).toBeLessThan(shippedP999(s, "vm-2", OFF));
    expect(on.predictedP999Us / sim).toBeGreaterThan(0.6);
    expect(on.boundP999Us).toBeGreaterThan(sim);
  }, 120_000);

  test("other schedulers: the switch changes nothing (holdout-22 packed/10111/4, kvm-eevdf)", () => {
    const s = roundHost("holdout-22", "packed/10111/4");
    expect(s.host.scheduler.kind).toBe("kvm-eevdf");
    for (const v of s.vms) if (v.workload.kind === "io") expect(shippedP999(s, v.id, ON), v.id).toBe(shippedP999(s, v.id, OFF));
  });
});

// The placer asks feasibility: the lower bound must reach the host's rows and a newcomer judging
// itself as it reaches predict (the release is read from the same HostMix sums on every path).
describe("the CFS serve release in the placer's feasibility paths (holdout-12 packed/10013/4 vm-3)", () => {
  lowerBoundFeasibilityTests(roundHost("holdout-12", "packed/10013/4"), "vm-3", SHIPPED, OFF, 1.2, loadPredictor().model);
});
