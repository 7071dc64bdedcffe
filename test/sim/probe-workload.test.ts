import { describe, expect, test } from "vitest";
import { OversleepRecorder } from "../../src/sim/oversleep.js";
import { runRr, scenario, vmOf } from "./helpers.js";

// The probe as a simulated guest thread (src/sim/workloads/probe.ts), under the round-robin
// reference policy so that what is measured is the loop itself and host-sim's bookkeeping.

const probe = (extra: Record<string, unknown> = {}) => ({ id: "probe", workload: { kind: "probe" as const, sleepUs: 100, ...extra } });

describe("probe workload", () => {
  test("on an idle host every wake is on time, and the loop runs sleep + work per iteration", () => {
    const r = runRr(scenario(2, [probe()], { durationMs: 1000 }));
    const p = vmOf(r, "probe").probe;
    if (!p) throw new Error("no probe summary");
    // Closed loop of 100 us sleep + 5 us work: 1 s / 105 us = 9523.8 iterations.
    expect(Math.abs(p.iterations - 1e6 / 105)).toBeLessThanOrEqual(1);
    expect(p.overThreshold).toBe(0);
    expect(p.maxUs).toBe(0);
    expect(p.counts[0]).toBe(p.iterations);
  });

  test("behind a never-sleeping VM on one pCPU every wake waits out the rest of the 20 ms quantum", () => {
    const s = scenario(1, [probe(), { id: "hog", workload: { kind: "cpu", dutyCycle: 1 } }], { durationMs: 2000, warmupMs: 100 });
    const p = vmOf(runRr(s, 20_000), "probe").probe;
    if (!p) throw new Error("no probe summary");
    // The probe runs 5 us, sleeps 100 us while the hog takes a new quantum, then waits 19.9 ms:
    // one iteration per quantum, each a long oversleep in the 10-20 ms bucket.
    expect(Math.abs(p.iterations - 2000 / 20)).toBeLessThanOrEqual(1);
    expect(p.overThreshold).toBe(p.iterations);
    expect(p.counts[5]).toBe(p.iterations);
    expect(p.maxUs).toBeLessThanOrEqual(20_000);
    expect(p.maxUs).toBeGreaterThan(19_800);
  });

  test("the threshold is the workload's: 20 ms counts none of those 19.9 ms waits", () => {
    const s = scenario(1, [probe({ thresholdMs: 20 }), { id: "hog", workload: { kind: "cpu", dutyCycle: 1 } }], { durationMs: 2000, warmupMs: 100 });
    expect(vmOf(runRr(s, 20_000), "probe").probe?.overThreshold).toBe(0);
  });

  test("an io part shares the vCPU: requests are served and the probe waits behind them in the guest", () => {
    const io = { requestsPerSec: 2000, serviceUs: 200, arrival: "fixed" as const };
    const r = runRr(scenario(2, [probe({ io })], { durationMs: 2000 }));
    const vm = vmOf(r, "probe");
    expect(vm.requestLatency.count).toBeGreaterThan(3990);
    // A wake that finds a request in service waits up to its 200 us: never a long oversleep, but
    // some land in the 0.1-1 ms bucket, which an idle guest never shows.
    expect(vm.probe?.counts[1]).toBeGreaterThan(0);
    expect(vm.probe?.maxUs).toBeLessThanOrEqual(200);
  });

  test("only the probe VM carries a probe summary, and warm-up is not measured", () => {
    const r = runRr(scenario(2, [probe(), { id: "io", workload: { kind: "io", requestsPerSec: 100, serviceUs: 50 } }], { durationMs: 1000, warmupMs: 1000 }));
    expect(vmOf(r, "io").probe).toBeUndefined();
    expect(Math.abs((vmOf(r, "probe").probe?.iterations ?? 0) - 1e6 / 105)).toBeLessThanOrEqual(1);
  });
});

describe("OversleepRecorder", () => {
  test("buckets by the report's edges, counts the threshold inclusively, and treats early wakes as on time", () => {
    const rec = new OversleepRecorder(10);
    for (const us of [-3, 0, 99.9, 100, 9_999, 10_000, 150_000]) rec.record(us);
    const s = rec.summary();
    expect(s.counts).toEqual([3, 1, 0, 0, 1, 1, 0, 0, 1]);
    expect(s.overThreshold).toBe(2);
    expect(s.iterations).toBe(7);
    expect(s.maxUs).toBe(150_000);
  });
});
