import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { Components, HostMix } from "../../../src/interference/core/host-mix.js";
import { coreFor } from "../../../src/interference/core/scheduler-core.js";
import { QUANTILE_REL_TOL, quantileUs, tailAt, type VictimTail } from "../../../src/interference/core/tail.js";
import { victimTail } from "../../../src/interference/core/victim.js";
import { defaultScheduler, type SchedulerParams } from "../../../src/model/scheduler.js";
import { plainModel } from "../helpers.js";

const baseline = plainModel().baseline;
const KINDS = ["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"] as const;

/**
 * The root by plain bisection on log x to a width far below QUANTILE_REL_TOL (an independent
 * reference: the tail is non-increasing, so the first x with tail <= eps is a well-defined point).
 */
function bisected(c: Components, v: VictimTail, eps: number): number {
  let lo = v.serviceUs;
  let hi = 2 * lo;
  while (tailAt(c, v, hi) > eps) hi *= 2;
  for (let i = 0; i < 200 && hi > lo * (1 + 1e-15); i++) {
    const mid = Math.sqrt(lo * hi);
    if (tailAt(c, v, mid) > eps) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** A random host (scheduler, cores, sleepy neighbours of mixed duty and burst, maybe hogs) and victim. */
function draw(rng: () => number): { c: Components; v: VictimTail } {
  const kind = KINDS[Math.floor(rng() * KINDS.length)];
  const cores = [4, 8, 16][Math.floor(rng() * 3)];
  const mix = new HostMix(coreFor(defaultScheduler(kind) as SchedulerParams, cores), cores);
  const groups = Math.floor(rng() * 8);
  for (let g = 0; g < groups; g++) mix.apply({ vcpus: 1 + Math.floor(rng() * 4), duty: rng() < 0.15 ? 1 : 0.1 + 0.85 * rng(), burstUs: 200 + 30_000 * rng() }, 1);
  const c = new Components();
  mix.components(c, undefined, undefined);
  const v = victimTail({ vcpus: 1 + Math.floor(rng() * 2), requestsPerSec: 50 + 3000 * rng(), serviceUs: 20 + 400 * rng() }, baseline);
  return { c, v };
}

describe("quantileUs", () => {
  test("agrees with a fine bisection within its stated tolerance, and brackets the root, on 400 random hosts", () => {
    const rng = seedrandom.alea("quantile-vs-bisection");
    let contended = 0;
    for (let n = 0; n < 400; n++) {
      const { c, v } = draw(rng);
      if (c.pFull > 0) contended++;
      for (const eps of [0.01, 0.001]) {
        const q = quantileUs(c, v, eps);
        const ref = bisected(c, v, eps);
        expect(Math.abs(q - ref)).toBeLessThanOrEqual(2 * QUANTILE_REL_TOL * ref);
        // The answer is the upper end of the bracket: at or past the tail's crossing...
        expect(tailAt(c, v, q)).toBeLessThanOrEqual(eps * (1 + 1e-9));
        // ...and not past it by more than the tolerance.
        if (q > v.serviceUs * (1 + 1e-9)) expect(tailAt(c, v, q * (1 - 4 * QUANTILE_REL_TOL))).toBeGreaterThan(eps);
      }
    }
    // The draw must exercise the root finder, not only the quiet host's closed form.
    expect(contended).toBeGreaterThan(100);
  });

  test("on a quiet host the quantiles are the alone ones, and the closed form inverts the alone tail", () => {
    const c = new Components();
    new HostMix(coreFor(defaultScheduler("kvm-cfs") as SchedulerParams, 8), 8).components(c, undefined, undefined);
    const v = victimTail({ vcpus: 1, requestsPerSec: 1000, serviceUs: 100 }, baseline);
    const q = quantileUs(c, v, 0.001);
    // The alone exponential runs through the alone p99 and p99.9 (victimTail): a quiet host adds nothing.
    expect(q).toBe(v.base999Us);
    expect(quantileUs(c, v, 0.01)).toBe(v.base99Us);
    expect(tailAt(c, v, q)).toBeCloseTo(0.001, 12);
    expect(Math.abs(q - bisected(c, v, 0.001))).toBeLessThanOrEqual(2 * QUANTILE_REL_TOL * q);
  });
});
