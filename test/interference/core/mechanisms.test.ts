import { describe, expect, test } from "vitest";
import { cfsCore } from "../../../src/interference/core/cfs.js";
import { credit1Core } from "../../../src/interference/core/credit1.js";
import { Components, HostMix } from "../../../src/interference/core/host-mix.js";
import { coreFor } from "../../../src/interference/core/scheduler-core.js";
import { quantileUs, tailAt } from "../../../src/interference/core/tail.js";
import { victimTail } from "../../../src/interference/core/victim.js";
import { defaultScheduler, type KvmCfsParams, type XenCreditParams } from "../../../src/model/scheduler.js";
import { plainModel } from "../helpers.js";

const credit30 = defaultScheduler("xen-credit") as XenCreditParams;
const credit5 = { ...credit30, timesliceMs: 5 };
const cfs = defaultScheduler("kvm-cfs") as KvmCfsParams;
const baseline = plainModel().baseline;

describe("credit1 core", () => {
  test("a burst is boosted until a tick on the tslice/3 grid catches it: E[min(B, U tau)] / b", () => {
    const c = credit1Core(credit30, 8);
    // b -> 0: boosted for the whole (short) burst; b = tau: 1 - (1 - 1/e) = 1/e; long bursts: ~tau / (2b).
    expect(c.blockShare(10)).toBeGreaterThan(0.99);
    expect(c.blockShare(10_000)).toBeCloseTo(Math.exp(-1), 6);
    expect(c.blockShare(1_000_000)).toBeCloseTo(10_000 / 2_000_000, 3);
    // A 5 ms slice ticks every 1.67 ms: the same burst stays boosted for less of its run.
    expect(credit1Core(credit5, 8).blockShare(5000)).toBeLessThan(c.blockShare(5000) / 2);
  });

  test("a blocked waker waits at most the runner's slice less what it ran boosted; the rate limit protects fresh runners", () => {
    const c = credit1Core(credit30, 8);
    expect(c.waitCapUs(0)).toBe(30_000 - 5000);
    expect(c.rateLimitUs).toBe(1000);
    expect(c.rateLimitShare(Infinity, true)).toBeCloseTo(1000 / 30_000, 9);
    expect(credit1Core({ ...credit30, ratelimitUs: 0 }, 8).rateLimitShare(5000, false)).toBe(0);
  });
});

describe("CFS core", () => {
  test("a runner is fresh (unpreemptable) while it has run less than wakeup_gran, scaled by the CPU count", () => {
    // factor 1 + log2(min(cpus, 8)): 3 at 4 cores (gran 3 ms), 4 at 8+ (gran 4 ms).
    expect(cfsCore(cfs, 4, []).blockShare(3000)).toBeCloseTo(1 - Math.exp(-1), 9);
    expect(cfsCore(cfs, 16, []).blockShare(4000)).toBeCloseTo(1 - Math.exp(-1), 9);
  });

  test("the wait cap is the runner's slice with the victim queued: period / 2 less half the granularity", () => {
    expect(cfsCore(cfs, 8, []).waitCapUs(0)).toBe(24_000 / 2 - 2000);
    expect(cfsCore(cfs, 4, []).waitCapUs(0)).toBe(18_000 / 2 - 1500);
  });

  test("credit2 and EEVDF borrow the CFS core and say so", () => {
    expect(coreFor(defaultScheduler("kvm-eevdf"), 8).name).toBe("cfs");
    expect(coreFor(defaultScheduler("xen-credit2"), 8).approximations.join()).toMatch(/xen-credit2 has no mechanistic core yet/);
  });
});

describe("tail", () => {
  const v = victimTail({ vcpus: 1, requestsPerSec: 1000, serviceUs: 100 }, baseline);

  test("alone, the p99.9 is the baseline's (3x service here)", () => {
    const c = new Components();
    new HostMix(credit1Core(credit30, 4), 4).components(c, undefined, undefined);
    expect(c.pFull).toBe(0);
    expect(quantileUs(c, v, 0.001)).toBeCloseTo(300, 0);
    expect(quantileUs(c, v, 0.01)).toBeCloseTo(200, 0);
  });

  test("quantileUs solves tailAt, and the tail never rises with x", () => {
    const mix = new HostMix(credit1Core(credit30, 4), 4);
    mix.apply({ vcpus: 4, duty: 0.6, burstUs: 10_000 }, 1);
    const c = new Components();
    mix.components(c, undefined, undefined);
    const x = quantileUs(c, v, 0.001);
    expect(tailAt(c, v, x)).toBeLessThanOrEqual(0.001 + 1e-9);
    expect(tailAt(c, v, x * 0.999)).toBeGreaterThan(0.001);
    let last = 1;
    for (let t = 50; t < 40_000; t *= 1.1) {
      const y = tailAt(c, v, t);
      expect(y).toBeLessThanOrEqual(last + 1e-12);
      last = y;
    }
  });

  test("the Bobtail shape: the p99.9 jumps once sleepers plus the victim outnumber the cores, and grows with the burst", () => {
    const p999 = (sleepers: number, burstUs: number): number => {
      const mix = new HostMix(credit1Core(credit30, 4), 4);
      mix.apply({ vcpus: sleepers, duty: 0.5, burstUs }, 1);
      const c = new Components();
      mix.components(c, undefined, undefined);
      return quantileUs(c, v, 0.001);
    };
    expect(p999(3, 10_000)).toBeLessThan(1000);
    expect(p999(6, 10_000)).toBeGreaterThan(5000);
    expect(p999(6, 30_000)).toBeGreaterThan(p999(6, 3000));
  });

  test("a busier victim suffers more from the same neighbours (requests queue behind a blocked wake)", () => {
    const mix = new HostMix(cfsCore(cfs, 4, []), 4);
    mix.apply({ vcpus: 5, duty: 0.6, burstUs: 5000 }, 1);
    const c = new Components();
    mix.components(c, undefined, undefined);
    const light = victimTail({ vcpus: 1, requestsPerSec: 200, serviceUs: 50 }, baseline);
    const busy = victimTail({ vcpus: 1, requestsPerSec: 2000, serviceUs: 50 }, baseline);
    expect(quantileUs(c, busy, 0.001)).toBeGreaterThan(quantileUs(c, light, 0.001));
  });
});
