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

// Mechanisms.eevdfServeRelease (docs/accuracy.md, "Packed EEVDF: the light holds' release from the
// rest of a serve (session 21)"). On a host whose CPU-bound vCPUs leave cores, an io waker that
// finds no idle CPU is queued behind a serving io vCPU and is the only thread there: at the serve's
// end that vCPU is not alone on its queue, so it does not halt-poll (kvm_vcpu_can_poll); it blocks
// and the waker runs. The wait is the rest of a serve (and, where the io holds crowd the cores
// left, of the serves queued ahead), not an exponential hold of serve + poll window: without the
// term such victims are estimated 300-500 µs over their alone p99.9 where the simulator shows
// 0-200.
const ON = { eevdfServeRelease: true };
const OFF = { eevdfServeRelease: false };
const SEEDS = [7, 8];

function rowOf(s: Scenario, id: string, set: Partial<typeof ALL_MECHANISMS>) {
  const p = new Predictor(loadPredictor().model, { ...ALL_MECHANISMS, ...set });
  return scoreHost(s.host, s.vms.map(profileVm), p).vms.find((v) => v.vmId === id)!;
}

describe("EEVDF: a waker behind a serving io vCPU is released by the rest of the serve", () => {
  test("on in the shipped mechanisms, on EEVDF's core only", () => {
    expect(ALL_MECHANISMS.eevdfServeRelease).toBe(true);
    expect(coreFor(defaultScheduler("kvm-eevdf"), 8).serveRelease).toBe(true);
    expect(coreFor(defaultScheduler("kvm-eevdf"), 8, { ...ALL_MECHANISMS, ...OFF }).serveRelease).toBeUndefined();
    // Without light holds there is no serving io vCPU blocking the waker to release it from.
    expect(coreFor(defaultScheduler("kvm-eevdf"), 8, { ...ALL_MECHANISMS, lightHolds: false }).serveRelease).toBeUndefined();
    // CFS has its own switch (Mechanisms.cfsServeRelease, cfs-serve-release.test.ts).
    expect(coreFor(defaultScheduler("kvm-cfs"), 8, { ...ALL_MECHANISMS, cfsServeRelease: false }).serveRelease).toBeUndefined();
  });

  // holdout-22's packed/10111/4 (8 cores, 5 CPU-bound vCPUs of two mixed VMs, 3 cores left) and
  // packed/10120/7 (16 cores, 9 never-sleeping vCPUs and 4 sleepy ones): traced, 1.3% and 4.6% of
  // the victims' wakes find no idle CPU, and on all but a few the queue holds only the runner.
  test.each([
    ["packed/10111/4", "vm-5"],
    ["packed/10111/4", "vm-3"],
    ["packed/10120/7", "vm-0"],
    ["packed/10120/7", "vm-5"],
  ])("holdout-22 %s %s: near its alone p99.9, as the simulator", (id, vm) => {
    const s = roundHost("holdout-22", id);
    const sim = simulatedP999(s, vm, SEEDS);
    const off = shippedP999(s, vm, OFF);
    const on = shippedP999(s, vm, ON);
    expect(sim - rowOf(s, vm, ON).aloneP999Us, "the simulator: within 100 µs of alone").toBeLessThan(100);
    expect(Math.log(off / sim), "without the term: over-predicted").toBeGreaterThan(0.65);
    expect(Math.log(on / sim), "with it: over by much less").toBeLessThan(0.3);
    expect(on, "still above the simulator").toBeGreaterThan(sim);
  }, 120_000);

  // holdout-22's packed/10112/7: 8 cores, 4 hogs, 10 io vCPUs with 0.97 of a CPU of serving on the
  // 4 left. A quarter of the wakes find no idle CPU and wait behind chains of 3-4 serves (requests
  // queued at the server, other wakers queued ahead): half a serve alone took these estimates to
  // 417 and 410 µs, their bounds under the simulator. The chains' count (rho, the holds' load on
  // the cores left) keeps them at 0.8x and their bounds above it.
  test.each(["vm-3", "vm-6"])("holdout-22 packed/10112/7 %s: the chains keep the bound over the simulator", (vm) => {
    const s = roundHost("holdout-22", "packed/10112/7");
    const sim = simulatedP999(s, vm, SEEDS);
    const on = rowOf(s, vm, ON);
    expect(on.predictedP999Us, "lowered, not past the waits").toBeLessThan(shippedP999(s, vm, OFF));
    expect(on.predictedP999Us / sim).toBeGreaterThan(0.75);
    expect(on.boundP999Us).toBeGreaterThan(sim);
  }, 120_000);

  // Contended hosts (2 io victims among sleepy CPU-bound vCPUs): an io victim that serves a few
  // percent of a vCPU (VictimTail.rho 0.033 on holdout-6's 9906/3 victim-0, 0.014 on
  // holdout-12's 10012/5 victim-0, 0.025 on holdout-21's 10109/5 victim-0) leaves its vCPUs idle
  // almost all the time. In the simulator (20 s, seed 1) its home CPU is held by a CPU-bound
  // runner on 27 of the 35, 17 of the 19 and 9 of the 13 wakes of its top 0.1%: no serve ends
  // those waits, and the rest of a serve put these victims at 0.35-0.5x the simulator (99 µs
  // against 282 on 9906/3). The io holds load the cores left under SERVE_RELEASE_CROWD (0.21,
  // 0.16, 0.13), so the hold-length release stays (SERVE_RELEASE_OWN).
  test.each([
    ["holdout-6", "contended-eevdf/9906/3", "victim-0"],
    ["holdout-12", "contended-eevdf/10012/5", "victim-0"],
    ["holdout-21", "contended-eevdf/10109/5", "victim-0"],
  ])("%s %s %s: a victim that serves little waits behind CPU-bound runners, the hold release stays", (round, id, vm) => {
    const s = roundHost(round, id);
    const sim = simulatedP999(s, vm, SEEDS);
    const on = shippedP999(s, vm, ON);
    expect(on, "as without the term").toBe(shippedP999(s, vm, OFF));
    expect(Math.abs(Math.log(on / sim)), "near the simulator, not at half of it").toBeLessThan(0.35);
  }, 120_000);

  // holdout-11's 10004/5 (6 cores, 3 hogs' worth of CPU-bound vCPUs): victim-1 serves 0.106 of
  // each vCPU, victim-0 0.025. victim-1's tail waits are behind its own VM's serves (23 of the 28
  // wakes of its top 0.1%), victim-0's behind CPU-bound runners (14 of 15). The release is the
  // serve's for the first only: one host, two releases.
  test("holdout-11 contended-eevdf/10004/5: the busy victim released by the serve, the idle one not", () => {
    const s = roundHost("holdout-11", "contended-eevdf/10004/5");
    const busy = shippedP999(s, "victim-1", ON);
    const busySim = simulatedP999(s, "victim-1", SEEDS);
    expect(busy, "lowered").toBeLessThan(shippedP999(s, "victim-1", OFF) / 1.3);
    expect(Math.abs(Math.log(busy / busySim)), "near the simulator").toBeLessThan(0.25);
    expect(shippedP999(s, "victim-0", ON), "as without the term").toBe(shippedP999(s, "victim-0", OFF));
  }, 120_000);

  // With one core left (10111/4 on 6 cores: its 5 CPU-bound vCPUs leave one) the simulator's
  // waits are milliseconds (vm-3 1.7 ms, vm-5 1.5 ms), not the rest of a serve (SERVE_RELEASE_FREE).
  test("one core left: as it was (holdout-22 packed/10111/4 on 6 cores)", () => {
    const s = roundHost("holdout-22", "packed/10111/4", -2);
    for (const vm of ["vm-3", "vm-5"]) expect(shippedP999(s, vm, ON), vm).toBe(shippedP999(s, vm, OFF));
  });

  test("other schedulers: the switch changes nothing (holdout-17 packed/10070/3, kvm-cfs)", () => {
    const s = roundHost("holdout-17", "packed/10070/3");
    expect(s.host.scheduler.kind).toBe("kvm-cfs");
    for (const v of s.vms) if (v.workload.kind === "io") expect(shippedP999(s, v.id, ON), v.id).toBe(shippedP999(s, v.id, OFF));
  });
});

// The placer asks feasibility: the lower bound must reach the host's rows and a newcomer judging
// itself as it reaches predict (the release is read from the same HostMix sums on every path).
describe("the serve release in the placer's feasibility paths (holdout-22 packed/10120/7 vm-5)", () => {
  lowerBoundFeasibilityTests(roundHost("holdout-22", "packed/10120/7"), "vm-5", ON, OFF, 1.2, loadPredictor().model);
});
