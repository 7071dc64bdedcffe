import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS, coreFor } from "../../../src/interference/core/scheduler-core.js";
import { pollSurvival } from "../../../src/interference/core/host-mix.js";
import { scoreHost } from "../../../src/interference/score.js";
import { profileVm } from "../../../src/interference/profile.js";
import { loadPredictor } from "../../../src/io/calibration.js";
import { defaultScheduler } from "../../../src/model/scheduler.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { Predictor } from "../../../src/interference/predictor.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";
import { floorFeasibilityTests, victimBoundUs, victimFirst } from "./floor-feasibility.js";

// Mechanisms.cfsPollPulls (docs/accuracy.md, "Packed CFS: a busy 1-vCPU io victim's waits end at
// the pulls of cores that go idle (session 25)"). An io waker blocked behind a fresh sleepy runner
// waits for the runner's burst to end, its slice to end, or another CPU to go idle and pull it
// (kvm-fair pick-put.ts pullTo). A sleepy vCPU that blocks alone on its CPU halt-polls first
// (scheduler.ts block: hNr 1), so its CPU goes idle, and pulls, only when it sleeps past the
// window: e^(-window / sleep) of its blocks (0.17 for duty 0.9 with 1 ms bursts). Traced on
// holdout-32's packed/10211/2 (10 s, seed 7): vm-8's waits behind the 1-vCPU sleepers (5-30 ms
// bursts) average 1.4-2.3 ms, 76-100% of them ended by a pull, at 5.9e-4 pulls per µs of waiting
// where the release said 6.5e-3 per µs (every block of every sleeper). The busy 1-vCPU io victims
// (their requests queue behind each wait) were at 0.33-0.55x the simulator there.
// The shipped mechanisms (the term on in ALL_MECHANISMS): these tests fail with it off there.
const SHIPPED = {};
const OFF = { cfsPollPulls: false };
const SEEDS = [7, 8];

function rowOf(s: Scenario, id: string, set: Partial<typeof ALL_MECHANISMS>) {
  const p = new Predictor(loadPredictor().model, { ...ALL_MECHANISMS, ...set });
  return scoreHost(s.host, s.vms.map(profileVm), p).vms.find((v) => v.vmId === id)!;
}

describe("CFS: a busy 1-vCPU io victim's blocked waits end at the pulls of cores that go idle", () => {
  test("on in the shipped mechanisms, on CFS's core only, with its halt-poll window and gates", () => {
    expect(ALL_MECHANISMS.cfsPollPulls).toBe(true);
    const cfs = defaultScheduler("kvm-cfs");
    expect(coreFor(cfs, 8).pollPulls).toEqual({ pollUs: "haltPollUs" in cfs ? cfs.haltPollUs : NaN, minRho: 0.3, minFull: 0.5 });
    expect(coreFor(cfs, 8, { ...ALL_MECHANISMS, ...OFF }).pollPulls).toBeUndefined();
    expect(coreFor({ ...cfs, haltPollUs: 0 } as typeof cfs, 8).pollPulls, "no window: every block idles the CPU").toBeUndefined();
    expect(coreFor(defaultScheduler("kvm-eevdf"), 8).pollPulls).toBeUndefined();
  });

  test("pollSurvival: the sleeps past the window, an exponential at burst x (1 - duty) / duty", () => {
    expect(pollSurvival(200, 0.9, 1000)).toBeCloseTo(Math.exp(-1.8), 12);
    expect(pollSurvival(200, 0.5, 30_000)).toBeCloseTo(Math.exp(-200 / 30_000), 12);
    expect(pollSurvival(200, 0.7, 1000)).toBeLessThan(pollSurvival(200, 0.5, 1000));
    expect(pollSurvival(0, 0.9, 1000)).toBe(1);
    expect(pollSurvival(200, 1, 1000)).toBe(1);
  });

  // holdout-32 packed/10211/2 (16 cores; an 8-vCPU VM at 0.9 with 1 ms bursts, 6 never-sleeping
  // mixed vCPUs, 1-vCPU sleepers at 0.5 with 5-30 ms bursts) and 10211/6 (8 cores; an 8-vCPU VM at
  // 0.7 with 1 ms bursts, 2 hogs, two sleepy mixed VMs), holdout-19 packed-32/10085/0 (32 cores),
  // holdout-9 packed/9983/6 and holdout-17 packed/10070/7 (16 cores): 1-vCPU io victims at 0.32-0.51
  // of their vCPU on hosts held full 0.68-0.97 of the time.
  test.each([
    ["holdout-32", "packed/10211/2", "vm-8"],
    ["holdout-32", "packed/10211/6", "vm-2"],
    ["holdout-32", "packed/10211/6", "vm-6"],
    ["holdout-19", "packed-32/10085/0", "vm-5"],
    ["holdout-9", "packed/9983/6", "vm-14"],
    ["holdout-17", "packed/10070/7", "vm-3"],
  ])("%s %s %s: under the simulator without the term, nearer it with it", (round, id, vm) => {
    const s = roundHost(round, id);
    const sim = simulatedP999(s, vm, SEEDS);
    const off = shippedP999(s, vm, OFF);
    const on = rowOf(s, vm, SHIPPED);
    expect(Math.log(off / sim), "without the term: under").toBeLessThan(-0.45);
    expect(Math.log(on.predictedP999Us / sim), "with it: at more than half the simulator").toBeGreaterThan(-0.7);
    expect(Math.log(on.predictedP999Us / sim), "and not far over").toBeLessThan(0.3);
    expect(Math.log(on.predictedP999Us / off), "raised").toBeGreaterThan(0.35);
    expect(on.boundP999Us, "bound above the simulator").toBeGreaterThan(sim);
  }, 120_000);

  // The gates: a multi-vCPU io victim (its next request goes to an idle sibling), a 1-vCPU one under
  // 0.3 of its vCPU (10211/6's vm-2 at half its rate: 0.19), a host held full under half the time
  // (holdout-18 contended/10074/5), and another scheduler.
  test("gated off: 2-vCPU io victims of 10211/2, a light 1-vCPU one, a host seldom full, EEVDF", () => {
    const s2 = roundHost("holdout-32", "packed/10211/2");
    for (const vm of ["vm-0", "vm-1", "vm-4"]) expect(shippedP999(s2, vm, SHIPPED), vm).toBe(shippedP999(s2, vm, OFF));
    const s6 = roundHost("holdout-32", "packed/10211/6");
    const light = { ...s6, vms: s6.vms.map((v) => (v.id === "vm-2" && v.workload.kind === "io" ? { ...v, workload: { ...v.workload, requestsPerSec: v.workload.requestsPerSec / 2 } } : v)) };
    expect(shippedP999(light, "vm-2", SHIPPED)).toBe(shippedP999(light, "vm-2", OFF));
    const c = roundHost("holdout-18", "contended/10074/5");
    for (const v of c.vms) if (v.workload.kind === "io") expect(shippedP999(c, v.id, SHIPPED), v.id).toBe(shippedP999(c, v.id, OFF));
    const e = { ...s6, host: { ...s6.host, scheduler: defaultScheduler("kvm-eevdf") } };
    for (const v of e.vms) if (v.workload.kind === "io") expect(shippedP999(e, v.id, SHIPPED), v.id).toBe(shippedP999(e, v.id, OFF));
  });
});

// The placer asks feasibility: the slower pulls must reach the victim's components, its row and a
// newcomer judging itself as they reach predict (markPull on every io path of query.ts). The host
// has an outside-range reason (its bound in HostState is twice a bare predict's), which a bare
// withinSlo is not given: that check is left out (it agrees with a bare predict, checked by hand).
describe("the CFS poll pulls in the placer's feasibility paths (holdout-32 packed/10211/2 vm-8)", () => {
  const s = victimFirst(roundHost("holdout-32", "packed/10211/2"), "vm-8");
  const model = loadPredictor().model;
  floorFeasibilityTests(s, SHIPPED, victimBoundUs(s, OFF, model) * 1.5, false, model);
});
