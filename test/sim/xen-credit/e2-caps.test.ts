import { describe, expect, test } from "vitest";
import { cpuVm, ms, vmOf, xen } from "./xen-scenario.js";

// E2: credit1 caps (non-work-conserving): the parking cycle and ALERT-style allocation error
// (sim-fidelity.md 1.6 and 5, E2). One CPU-bound 1-vCPU VM alone on 1 pCPU, cap c% of a pCPU.
//
// Derivation. The capped domain earns E = ceil(3c) credits per 30 ms period and burns 300 per
// period it runs. Accounting parks it once its credit is below -E and unparks it (without BOOST)
// once it is >= 0 again; parking is checked only at period boundaries. So it runs whole periods:
// for c <= 20 one period (x + E - 300 < -E for any start 0 <= x < E), for c = 50 two (after one
// it is at x - 150 >= -150, not below -150), then stays parked for ceil(debt / E) periods:
// OFF = 30 (100 - c) / c ms, i.e. 2970 ms at c = 1, 270 at 10, 60 at 50. The long-run share is c
// to within one burst over the run; with one debit per tick while running, sampling charges the
// same 300 credits per 30 ms period, so both modes land on c.

const capped = (c: number) => [cpuVm("capped", 1, 10, { capPercent: c })];

describe("E2 credit1 caps", () => {
  test.each(["exact", "sampling"] as const)("long-run share equals the cap to 0.5 pt (%s accounting)", (accounting) => {
    for (const c of [1, 5, 10, 20, 50, 90]) {
      // 60 s hold 20 cycles even at c = 1 (3 s each): one 30 ms burst more or less is 0.05 pt.
      const v = vmOf(xen(1, capped(c), { tunables: { accounting }, durationMs: 60000 }), "capped");
      expect(Math.abs(v.cpuShare * 100 - c), `c=${c}`).toBeLessThan(0.5);
    }
  });

  test.each([
    [1, 30, 2970],
    [10, 30, 270],
    [50, 60, 60],
  ])("c=%i%%: ON %i ms, OFF %i ms", (c, onMs, offMs) => {
    const durationMs = 60000;
    const v = vmOf(xen(1, capped(c), { durationMs }), "capped");
    // One park per cycle: cycle = window / parks; ON = share x cycle. A cycle cut by the window
    // edges moves the count by one, 1/20 of it at c = 1: hence 6%.
    const cycleMs = durationMs / v.throttledPeriods;
    expect(Math.abs(v.cpuShare * cycleMs - onMs) / onMs).toBeLessThan(0.06);
    expect(Math.abs((1 - v.cpuShare) * cycleMs - offMs) / offMs).toBeLessThan(0.06);
  });

  test("ALERT shape: the 1 s-window allocation error is large at low caps and shrinks as the cap grows", () => {
    // Ten consecutive 1 s windows of one run (same seed, the measured window slides).
    const worstRelativeError = (c: number): number => {
      let worst = 0;
      for (let k = 0; k < 10; k++) {
        const v = vmOf(xen(1, capped(c), { durationMs: 1000, warmupMs: 2000 + 1000 * k }), "capped");
        worst = Math.max(worst, Math.abs(v.cpuShare * 100 - c) / c);
      }
      return worst;
    };
    const [e1, e10, e50] = [1, 10, 50].map(worstRelativeError);
    // c = 1: a 3 s cycle gives a window 0 or 1 burst: -100% or +200%.
    expect(e1).toBeGreaterThanOrEqual(1);
    // c = 10: a 300 ms cycle gives 3 or 4 bursts of 30 ms: 9% or 12%, i.e. -10% / +20%.
    expect(e10).toBeGreaterThanOrEqual(0.09);
    expect(e10).toBeLessThanOrEqual(0.21);
    // c = 50: a 120 ms cycle, 60 ms ON: 8 or 9 ON stretches, at most one cut: within about 8%.
    expect(e50).toBeLessThanOrEqual(0.08);
    expect(e1).toBeGreaterThan(e10);
    expect(e10).toBeGreaterThan(e50);
  });

  test("add-on: 1 ms pings in the capped VM (c = 10%) that also burns CPU wait out the OFF period", () => {
    const r = xen(
      1,
      [
        {
          id: "m",
          vcpus: 1,
          memoryMiB: 1024,
          capPercent: 10,
          workload: { kind: "mixed", io: { requestsPerSec: 1000, serviceUs: 50, arrival: "fixed" }, cpu: { dutyCycle: 1 } },
        },
      ],
      { durationMs: 20000 },
    );
    const v = vmOf(r, "m");
    // The vCPU always has work (it never blocks), so there are no wake-ups to time: the wait shows
    // in request latency. 90% of pings arrive while it is parked (OFF = 270 ms of each 300) and
    // wait uniformly up to 270 ms, so p99 = 270 x (1 - 0.01 / 0.9) = 267 ms ("hundreds of ms").
    expect(ms(v.requestLatency.p99Us)).toBeGreaterThan(240);
    expect(ms(v.requestLatency.p99Us)).toBeLessThan(300);
    expect(v.boosts).toBe(0);
  });
});
