import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { CandidateTable } from "../../../src/interference/candidates.js";
import { ALL_MECHANISMS, coreFor } from "../../../src/interference/core/scheduler-core.js";
import { ONE_WAIT_CORES } from "../../../src/interference/core/eevdf.js";
import { HostState } from "../../../src/interference/host-state.js";
import { newPrediction, Predictor } from "../../../src/interference/predictor.js";
import { profileVm } from "../../../src/interference/profile.js";
import { loadPredictor } from "../../../src/io/calibration.js";
import { defaultScheduler } from "../../../src/model/scheduler.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";
import { lowerBoundFeasibilityTests } from "./floor-feasibility.js";

// Mechanisms.eevdfOneWait (docs/accuracy.md, "Packed EEVDF's over-predicted tail (session 19)"):
// on EEVDF hosts of 16 cores and up, not saturated, a waking io-only vCPU waits at most one
// protected slice plus a tick; the learned correction may lift its p99.9 up to its alone p99.9 +
// slice + tick (or the core's own quantile), not past it.
const ON = { eevdfOneWait: true };
const OFF = { eevdfOneWait: false };
const SEEDS = [7, 8];

describe("EEVDF: one wait for an io-only victim on a large host", () => {
  test("on in the shipped mechanisms, only on EEVDF hosts of ONE_WAIT_CORES and up", () => {
    expect(ALL_MECHANISMS.eevdfOneWait).toBe(true);
    const eevdf = defaultScheduler("kvm-eevdf");
    // 750 µs base slice x (1 + ilog2(8)) + a 1 ms tick.
    expect(coreFor(eevdf, ONE_WAIT_CORES).oneWaitUs).toBe(4000);
    expect(coreFor(eevdf, ONE_WAIT_CORES - 1).oneWaitUs).toBeUndefined();
    expect(coreFor(eevdf, 32, { ...ALL_MECHANISMS, ...OFF }).oneWaitUs).toBeUndefined();
    expect(coreFor(defaultScheduler("kvm-cfs"), 32).oneWaitUs).toBeUndefined();
  });

  // holdout-17's 32-core host (45 CPU-bound vCPUs, load 0.99, P(all held) 0.32): the simulator
  // puts the io victims under alone + slice + tick; the correction put vm-7 at 2.1x the reference.
  test("holdout-17 packed-32/10067/0 vm-7: under alone + slice + tick, as the simulator", () => {
    const s = roundHost("holdout-17", "packed-32/10067/0");
    const sim = simulatedP999(s, "vm-7", SEEDS);
    const off = shippedP999(s, "vm-7", OFF);
    const on = shippedP999(s, "vm-7", ON);
    expect(sim, "the simulator: under the one-wait line").toBeLessThan(4000);
    expect(Math.log(off / sim), "without the term: over-predicted").toBeGreaterThan(0.6);
    expect(on).toBeLessThan(off);
    expect(Math.log(on / sim), "with it: over by less").toBeLessThan(0.55);
    expect(on, "never under the simulator here").toBeGreaterThan(sim);
  }, 120_000);

  test("holdout-9 packed-32/9987/0 vm-7 (load 1.02, P(all held) 0.47): the same", () => {
    const s = roundHost("holdout-9", "packed-32/9987/0");
    const sim = simulatedP999(s, "vm-7", SEEDS);
    const off = shippedP999(s, "vm-7", OFF);
    const on = shippedP999(s, "vm-7", ON);
    expect(Math.log(off / sim)).toBeGreaterThan(0.6);
    expect(Math.log(on / sim)).toBeLessThan(0.45);
    expect(on).toBeGreaterThan(sim);
  }, 120_000);

  // Saturated (P(all held) 1.00): eevdfOneWait stays out (ONE_WAIT_P_FULL); Mechanisms.eevdfOneWaitFull
  // lifts that gate (eevdf-one-wait-full.test.ts), so it is off on both sides here. vm-2's
  // reference is past the line (5.3 ms against alone + 4 ms = 4.2 ms): with the gate lifted it is
  // under-predicted by 0.24, not an unsafe miss (an estimate under half a level the reference passes).
  test("a saturated 16-core host is left as it was (holdout-17 packed/10062/5 vm-2)", () => {
    const s = roundHost("holdout-17", "packed/10062/5");
    const gated = { eevdfOneWaitFull: false };
    expect(shippedP999(s, "vm-2", { ...ON, ...gated })).toBe(shippedP999(s, "vm-2", { ...OFF, ...gated }));
  });

  // 8 cores: the simulator crosses the line on a third of such victims (the correction's lift).
  test("an 8-core host is left as it was (holdout-17 packed/10065/2 vm-1)", () => {
    const s = roundHost("holdout-17", "packed/10065/2");
    expect(s.host.cores).toBe(8);
    expect(shippedP999(s, "vm-1", ON)).toBe(shippedP999(s, "vm-1", OFF));
  });

  // A mixed victim's requests queue behind its own bursts too: not one wait (10029/2 vm-5 is
  // under-predicted already; lowering it would widen that).
  test("a mixed victim is left as it was (holdout-13 packed/10029/2 vm-5)", () => {
    const s = roundHost("holdout-13", "packed/10029/2");
    expect(shippedP999(s, "vm-5", ON)).toBe(shippedP999(s, "vm-5", OFF));
  });

  test("other schedulers: the switch changes nothing (holdout-17 packed/10070/3, kvm-cfs)", () => {
    const s = roundHost("holdout-17", "packed/10070/3");
    expect(s.host.scheduler.kind).toBe("kvm-cfs");
    for (const v of s.vms) if (v.workload.kind === "io") expect(shippedP999(s, v.id, ON)).toBe(shippedP999(s, v.id, OFF));
  });
});

// The placer asks feasibility (withinSlo's thresholds on the core's quantile), not estimates: the
// one-wait line must reach the victims' rows and a newcomer judging itself, or a plan would count
// the victim as breaching where its estimate says it fits.
describe("the placer's paths agree with predict under the one-wait line (holdout-17 packed-32/10067/0 vm-7)", () => {
  lowerBoundFeasibilityTests(roundHost("holdout-17", "packed-32/10067/0"), "vm-7", ON, OFF, 1.2, loadPredictor().model);
});

// Every what-if path (fits: the query's rows; fitsAt: the candidate table with its kept shapes
// and answers) against predict's bounds, on the 32-core host with the io victims' SLOs set
// around their bounds: the one-wait line moves the thresholds of most of these what-ifs.
describe("what-ifs on a one-wait host agree with predict (holdout-17 packed-32/10067/0)", () => {
  const s = roundHost("holdout-17", "packed-32/10067/0");
  const p = new Predictor(loadPredictor().model, ALL_MECHANISMS);
  const q = new Predictor(loadPredictor().model, { ...ALL_MECHANISMS, ...OFF });
  const rng = seedrandom.alea("one-wait");
  const io = s.vms.filter((v) => v.workload.kind === "io").map((v) => v.id);
  const vm = (id: string, vcpus: number, workload: (typeof s.vms)[number]["workload"]) => profileVm({ ...s.vms[0], id, vcpus, workload });
  const candidates = [
    ...[1, 2, 4, 8].flatMap((vcpus) => [0.2, 0.5, 1].map((duty) => vm(`c${vcpus}-${duty}`, vcpus, { kind: "cpu", dutyCycle: duty, burstMs: 10, burstDistribution: "exponential" }))),
    ...[1, 4].map((vcpus) => vm(`n${vcpus}`, vcpus, { kind: "io", requestsPerSec: 1500, serviceUs: 150, arrival: "poisson" })),
  ];
  // The SLOs: f x the bound with the term, both predictors asked the same (absolute) ones.
  const own = s.vms.map(profileVm);
  const plain = new HostState(s.host, p);
  for (const x of own) plain.add(x, p.victim(x));
  const boundOf = new Map(own.filter((x) => io.includes(x.id)).map((x) => [x.id, plain.predictVictim(p.victim(x)!, newPrediction()).boundUs[1]]));

  test("fits and fitsAt give predict's answer, and the term changes some", () => {
    let moved = 0;
    for (let trial = 0; trial < 12; trial++) {
      const slo = new Map(io.map((id) => [id, (0.9 + 0.7 * rng()) * boundOf.get(id)!]));
      const answers = [p, q].map((pr) => {
        const withSlo = own.map((x) => (slo.has(x.id) ? { ...x, sloP999Us: slo.get(x.id)! } : x));
        const victims = withSlo.map((x) => pr.victim(x));
        const hs = new HostState(s.host, pr);
        withSlo.forEach((x, i) => hs.add(x, victims[i]));
        const table = CandidateTable.of(candidates, candidates.map(() => undefined), pr);
        return candidates.map((c, j) => {
          const want = withSlo.every((x, i) => !slo.has(x.id) || hs.predictVictim(victims[i]!, newPrediction(), c).boundUs[1] <= x.sloP999Us!);
          expect(hs.fits(c), `fits ${c.id} trial ${trial}`).toBe(want);
          expect(hs.fitsAt(table, j, undefined), `fitsAt ${c.id} trial ${trial}`).toBe(want);
          return want;
        });
      });
      moved += answers[0].filter((a, j) => a !== answers[1][j]).length;
    }
    expect(moved, "what-ifs the term turns").toBeGreaterThan(0);
  });
});
