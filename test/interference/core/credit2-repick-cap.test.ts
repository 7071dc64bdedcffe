import { describe, expect, test } from "vitest";
import { REPICK_MIN_CPUS } from "../../../src/interference/core/credit2.js";
import { ALL_MECHANISMS, coreFor } from "../../../src/interference/core/scheduler-core.js";
import { defaultScheduler, type XenCredit2Params } from "../../../src/model/scheduler.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";
import { floorFeasibilityTests, victimBoundUs, victimFirst } from "./floor-feasibility.js";

// Mechanisms.credit2RepickCap (docs/accuracy.md, "credit2's contended p90: waits end at the
// re-pick timers (session 20)"): on a credit2 run queue of more than REPICK_MIN_CPUS CPUs, an
// io-only victim's waits end at the pCPUs' timers (MIN_TIMER on a re-pick, the rate limit on a
// fresh pick), so its p99.9 is at most max(alone, service + MIN_TIMER + (rl - MIN_TIMER)(1 -
// e^(-lambda rl))); the correction's figure is brought down to there.
const ON = { credit2RepickCap: true };
const OFF = { credit2RepickCap: false };
const SEEDS = [7, 8];
const credit2 = defaultScheduler("xen-credit2") as XenCredit2Params;

describe("credit2: an io-only victim's waits end at the re-pick timers", () => {
  test("on in the shipped mechanisms, only on credit2 queues of more than REPICK_MIN_CPUS CPUs", () => {
    expect(ALL_MECHANISMS.credit2RepickCap).toBe(true);
    expect(coreFor(credit2, REPICK_MIN_CPUS + 2).repickWaitUs).toBeDefined();
    expect(coreFor(credit2, REPICK_MIN_CPUS).repickWaitUs).toBeUndefined();
    expect(coreFor(credit2, 16, { ...ALL_MECHANISMS, ...OFF }).repickWaitUs).toBeUndefined();
    for (const k of ["xen-credit", "kvm-cfs", "kvm-eevdf"] as const) expect(coreFor(defaultScheduler(k), 16).repickWaitUs, k).toBeUndefined();
  });

  test("the wait: MIN_TIMER for a rare waker, up to the rate limit for a busy one", () => {
    const wait = coreFor(credit2, 8).repickWaitUs!;
    expect(wait(0)).toBe(credit2.minTimerUs);
    expect(wait(1 / credit2.ratelimitUs)).toBeCloseTo(credit2.minTimerUs + (credit2.ratelimitUs - credit2.minTimerUs) * (1 - Math.exp(-1)), 9);
    expect(wait(1)).toBeCloseTo(credit2.ratelimitUs, 9);
  });

  // holdout-16's 6-core host, 9 CPU-bound vCPUs (3 hogs): in the simulator 4% of the victim's
  // wakes wait and almost none past 0.6 ms (the timers), so its p99.9 is service + 0.5 ms; the
  // correction, one fit for every credit2 host, put it at 1.6x that.
  test("holdout-16 contended-credit2/10059/3 victim-0 (502/s): from 1.6x the simulator to within 0.35 over it", () => {
    const s = roundHost("holdout-16", "contended-credit2/10059/3", 0, 20_000);
    const sim = simulatedP999(s, "victim-0", SEEDS);
    const off = shippedP999(s, "victim-0", OFF);
    const on = shippedP999(s, "victim-0", ON);
    expect(sim, "the simulator: service + about MIN_TIMER").toBeLessThan(64 + 1.2 * credit2.minTimerUs);
    expect(Math.log(off / sim), "without the term").toBeGreaterThan(0.4);
    expect(Math.log(on / sim), "with it").toBeLessThan(0.35);
    expect(on, "not under the simulator").toBeGreaterThan(sim);
  }, 120_000);

  // A busier waker (1,498/s) wakes again inside its own pCPU's fresh rate-limit window more often:
  // its waits reach past MIN_TIMER (0.1-0.2% of its wakes to 0.6-1.2 ms in the simulator), and
  // service + MIN_TIMER alone would be far under it; the rate-limit part keeps it close.
  test("holdout-3 contended-credit2/9603/3 victim-0 (1,498/s): the line's rate part keeps it within 0.2", () => {
    const s = roundHost("holdout-3", "contended-credit2/9603/3", 0, 20_000);
    const sim = simulatedP999(s, "victim-0", SEEDS);
    const on = shippedP999(s, "victim-0", ON);
    expect(Math.log((30 + credit2.minTimerUs) / sim), "service + MIN_TIMER alone").toBeLessThan(-0.4);
    expect(Math.abs(Math.log(on / sim))).toBeLessThan(0.2);
  }, 120_000);

  test("a 4-core host (the grant-end kind) is left as it was (holdout-16 contended-credit2/10051/7)", () => {
    const s = roundHost("holdout-16", "contended-credit2/10051/7");
    expect(s.host.cores).toBe(4);
    expect(shippedP999(s, "victim-0", ON)).toBe(shippedP999(s, "victim-0", OFF));
  });

  test("a mixed victim is left as it was (holdout-16 contended-credit2/10052/0)", () => {
    const s = roundHost("holdout-16", "contended-credit2/10052/0");
    const v = s.vms.find((x) => x.id === "victim-0")!;
    expect(v.workload.kind).toBe("mixed");
    expect(shippedP999(s, "victim-0", ON)).toBe(shippedP999(s, "victim-0", OFF));
  });

  test("other schedulers: the switch changes nothing (holdout-16 contended-eevdf/10051/0)", () => {
    const s = roundHost("holdout-16", "contended-eevdf/10051/0");
    expect(s.host.scheduler.kind).toBe("kvm-eevdf");
    for (const v of s.vms) if (v.workload.kind === "io") expect(shippedP999(s, v.id, ON), v.id).toBe(shippedP999(s, v.id, OFF));
  });
});

// The placer asks feasibility, not estimates: the line must reach withinSlo, the host's rows and a
// newcomer judging itself as it reaches predict (query.ts rowWithinSlo), or a plan would count the
// victim as not fitting where its estimate says it fits.
describe("credit2's re-pick line in the placer's feasibility paths", () => {
  const s = victimFirst(roundHost("holdout-16", "contended-credit2/10059/3"), "victim-0");
  floorFeasibilityTests(s, ON, (bound) => expect(bound).toBeLessThan(0.8 * victimBoundUs(s, OFF)));
});
