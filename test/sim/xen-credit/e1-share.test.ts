import { describe, expect, test } from "vitest";
import { cpuVm, vmOf, xen } from "./xen-scenario.js";

// E1: credit1 proportional share, per-vCPU weight and work conservation (sim-fidelity.md 5, E1).
// CPU-bound VMs never block and draw no random numbers, so one seed is the whole distribution.

const pts = (share: number): number => share * 100;

describe("E1 credit1 proportional share", () => {
  test("A: weights 256/512/1024 on 1 pCPU share 1/7, 2/7, 4/7; halving costs the heaviest about a point", () => {
    const r = xen(1, [cpuVm("w256", 1, 10, { weight: 256 }), cpuVm("w512", 1, 10, { weight: 512 }), cpuVm("w1024", 1, 10, { weight: 1024 })], {
      durationMs: 60000,
    });
    const [light, mid, heavy] = ["w256", "w512", "w1024"].map((id) => pts(vmOf(r, id).cpuShare));
    // Measured: 14.70 / 29.33 / 55.97 (spec 14.3 / 28.6 / 57.1; errata 8 reports 14.7 / 29.2 / 56.1).
    //
    // Tolerance, from the mechanism. Per period the three earn ceil(300 w / 1792) = 43 / 86 / 172
    // credits and run whole 30 ms slices; over 2000 periods slice granularity is worth < 0.05 pt.
    // The only systematic error is the inactive rule: a vCPU above +300 at accounting is dropped
    // and halved. Only the heaviest gets there (172 per period: two slices of waiting from above
    // -44 pass +300; the others earn 43 and 86 and never do). A trace shows about one drop every
    // 20 periods, ~155 credits each; the negative balance it leaves is paid back to everyone by
    // weight, so the heaviest nets (3/7) x 155 / 20 / 300 = 1.1 pt below 4/7 and the two others
    // share that 1:2. So the error is one-sided: heaviest in [57.1 - 1.5, 57.1 - 0.5], the others
    // at or above their ideal and within the spec's 1 point. The spec's +-1 on the heaviest is not
    // what credit1 does (errata 8); it only passes when the halving rule is missing.
    expect(light).toBeGreaterThanOrEqual(100 / 7);
    expect(light).toBeLessThan(100 / 7 + 1);
    expect(mid).toBeGreaterThanOrEqual(200 / 7);
    expect(mid).toBeLessThan(200 / 7 + 1);
    expect(heavy).toBeGreaterThan(400 / 7 - 1.5);
    expect(heavy).toBeLessThan(400 / 7 - 0.5);
    expect(light + mid + heavy).toBeCloseTo(100, 1);
  });

  test("B: on 2 pCPUs the weight-1024 VM is clamped at one pCPU and its surplus goes to the others", () => {
    const r = xen(2, [cpuVm("w1024", 1, 10, { weight: 1024 }), cpuVm("a", 1), cpuVm("b", 1)], { durationMs: 10000 });
    // fair 400 > peak 300: the 100 surplus is spread over the later domains (1.00 / 0.50 / 0.50).
    // The spec's "error < 2%" is relative; measured exactly 1.000 / 0.500 / 0.500.
    expect(vmOf(r, "w1024").cpuShare).toBeGreaterThan(0.98);
    expect(vmOf(r, "a").cpuShare).toBeCloseTo(0.5, 2);
    expect(vmOf(r, "b").cpuShare).toBeCloseTo(0.5, 2);
    // Converged within a few periods: a 300 ms window starting 300 ms after boot (10 periods in,
    // one slice of granularity = 10%, and an even number of slices to split) is already exact.
    const early = xen(2, [cpuVm("w1024", 1, 10, { weight: 1024 }), cpuVm("a", 1), cpuVm("b", 1)], { warmupMs: 300, durationMs: 300 });
    for (const [id, share] of [["w1024", 1], ["a", 0.5], ["b", 0.5]] as const) {
      expect(Math.abs(vmOf(early, id).cpuShare / share - 1), id).toBeLessThan(0.02);
    }
  });

  test.each([
    ["vcpu", 200 / 3, 100 / 3],
    ["domain", 50, 50],
  ] as const)("C: weightPer %s gives a 2-vCPU VM %f%% against a 1-vCPU VM of equal weight", (weightPer, two, one) => {
    const r = xen(1, [cpuVm("two", 1, 10, { vcpus: 2 }), cpuVm("one", 1)], { tunables: { weightPer }, durationMs: 30000 });
    // Exact credit split (unit test: 100/100/100 or 75/75/150 per period); +-1 pt for slices.
    expect(Math.abs(pts(vmOf(r, "two").cpuShare) - two)).toBeLessThan(1);
    expect(Math.abs(pts(vmOf(r, "one").cpuShare) - one)).toBeLessThan(1);
  });

  test("D: work conservation: when the heavy VM sleeps half the time the others take the idle time", () => {
    const r = xen(1, [cpuVm("w256", 1, 10, { weight: 256 }), cpuVm("w512", 1, 10, { weight: 512 }), cpuVm("w1024", 0.5, 10, { weight: 1024 })], {
      durationMs: 30000,
    });
    // Its demand (50%) is below its share (57%), so it gets all of it and the pCPU never idles
    // while anyone is runnable; the other half splits by weight, 16.7 / 33.3%. Measured 17.2 /
    // 32.8: the two absorb time the heavy one leaves, mostly while both are OVER, and among OVER
    // vCPUs the queue is FIFO, not weighted, which pulls the split a little toward 1:1. +-1 pt.
    expect(r.utilisation).toBeGreaterThan(0.999);
    expect(Math.abs(pts(vmOf(r, "w1024").cpuShare) - 50)).toBeLessThan(0.5);
    expect(Math.abs(pts(vmOf(r, "w256").cpuShare) - 50 / 3)).toBeLessThan(1);
    expect(Math.abs(pts(vmOf(r, "w512").cpuShare) - 100 / 3)).toBeLessThan(1);
  });
});
