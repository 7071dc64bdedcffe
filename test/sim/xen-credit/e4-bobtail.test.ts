import { describe, expect, test } from "vitest";
import type { HostSimResult } from "../../../src/model/scenario.js";
import { bobtail, cpuVm, ioVm, meanCi95, ms, SEEDS, vmOf, xen, type XenTunables } from "./xen-scenario.js";

// E4: the Bobtail grid on credit1 (sim-fidelity.md 5, E4, and errata 8). 4 pCPUs; one io VM
// (Poisson 1000 req/s, 50 us) and N 1-vCPU cpu VMs of duty d, burst b ms (+-20% jitter); weight
// 256, uncapped; 2 s warm-up, 20 s measured (20 000 requests: the p99.9 rests on 20 samples, so
// each cell is run on 5 seeds and judged on the mean with its 95% CI).
//
// Mechanism. The io vCPU is BOOSTed on every wake (it stays UNDER: it uses 5% of a pCPU) and
// waits only when (1) no pCPU is idle and (2) the vCPU on its own pCPU is also BOOST (BOOST does
// not preempt BOOST; against UNDER or OVER it waits at most the 1 ms rate limit). (1) needs the
// cpu vCPUs plus the io vCPU to outnumber the cores (errata 8: N + 1 > 4, not N > 4). (2) needs
// cpu VMs that sleep (d < 1): only a waking vCPU is boosted. A boosted cpu vCPU keeps BOOST until
// a tick catches it (<= 10 ms) and then keeps the pCPU, demoted but not rescheduled, to the end
// of its burst; meanwhile any pCPU that finishes a burst with nothing better queued steals the
// io vCPU. So one competitor holds it at most its remaining burst, <= 1.2 b.

const cache = new Map<string, HostSimResult>();
function cell(n: number, d: number, b: number, seed: number, tunables: XenTunables = {}): HostSimResult {
  const key = JSON.stringify([n, d, b, seed, tunables]);
  let r = cache.get(key);
  if (!r) {
    r = xen(4, bobtail(n, d, b), { seed, tunables });
    cache.set(key, r);
  }
  return r;
}
const io = (r: HostSimResult) => vmOf(r, "io");
const p999WakeMs = (n: number, d: number, b: number, t: XenTunables = {}) =>
  SEEDS.map((s) => ms(io(cell(n, d, b, s, t)).wakeToRun.p999Us));
const p999RequestMs = (n: number, d: number, b: number, t: XenTunables = {}) =>
  SEEDS.map((s) => ms(io(cell(n, d, b, s, t)).requestLatency.p999Us));

describe("E4 Bobtail grid on credit1", () => {
  test("p50 stays below 1 ms (rate limit plus service) in every cell", () => {
    for (const [n, d] of [[3, 0.5], [6, 0.5], [8, 0.5], [6, 1], [8, 1]] as const) {
      expect(ms(io(cell(n, d, 10, 1)).requestLatency.p50Us), `N=${n} d=${d}`).toBeLessThan(1);
    }
  });

  test("non-condition N <= 3: an idle pCPU is always there, so the io tail stays at baseline", () => {
    const baseline = ms(io(cell(0, 0.5, 10, 1)).requestLatency.p999Us);
    expect(baseline).toBeLessThan(0.2); // 50 us service plus Poisson queueing
    for (const w of p999WakeMs(3, 0.5, 10)) expect(w).toBeLessThan(0.2);
    for (const r of p999RequestMs(3, 0.5, 10)) expect(r).toBeLessThan(2 * baseline);
  });

  test("both conditions (N + 1 > 4 cores, d < 1): p99.9 jumps to the burst scale and grows with N", () => {
    const at = (n: number) => meanCi95(p999WakeMs(n, 0.5, 10));
    const [n4, n5, n6, n8] = [4, 5, 6, 8].map(at);
    // Measured means: 6.0 / 7.7 / 9.4 / 16.0 ms (N = 4 / 5 / 6 / 8), CI half-widths <= 1.2 ms.
    // N = 4 is already past the boundary (errata 8: 5 vCPUs on 4 pCPUs).
    expect(n4.mean).toBeGreaterThan(3);
    // N = 5, 6: one boosted competitor ahead, bounded by its remaining burst: [0.5 b, 1.25 b].
    for (const c of [n5, n6]) {
      expect(c.mean - c.half).toBeGreaterThan(5);
      expect(c.mean + c.half).toBeLessThan(12.5);
    }
    // N = 8 (9 vCPUs): another boosted vCPU is often queued ahead (FIFO within BOOST): [b, 3b].
    expect(n8.mean - n8.half).toBeGreaterThan(10);
    expect(n8.mean + n8.half).toBeLessThan(30);
    // The tail grows with N rather than jumping once (errata 8).
    expect(n5.mean).toBeGreaterThan(n4.mean);
    expect(n6.mean).toBeGreaterThan(n5.mean);
    expect(n8.mean).toBeGreaterThan(n6.mean);
    // More than 10x the baseline, in requests too.
    const base = ms(io(cell(0, 0.5, 10, 1)).requestLatency.p999Us);
    expect(meanCi95(p999RequestMs(5, 0.5, 10)).mean).toBeGreaterThan(10 * base);
    // The spec's "p99.9 >= 10 ms" for N = 5-6 does not follow from the mechanism with a jittered
    // 10 ms burst: one competitor holds the pCPU at most 12 ms, and it takes the rare case that
    // every other pCPU has just started its burst to get near that. The errata's 15 / 20 ms come
    // from bursts without an upper bound; see the exponential test below.
  });

  test("exponential bursts (unbounded remaining burst) give the errata's larger tails", () => {
    const vms = [ioVm("io"), ...Array.from({ length: 6 }, (_, i) => cpuVm(`cpu${i}`, 0.5, 10, {}))];
    for (const v of vms.slice(1)) v.workload = { kind: "cpu", dutyCycle: 0.5, burstMs: 10, burstDistribution: "exponential" };
    const expo = ms(io(xen(4, vms)).wakeToRun.p999Us);
    // Measured 16.5 ms (request p99.9 21.6 ms) against 9.7 with jitter; errata 8 reports 20 ms.
    // Request p99.9 at N = 4 / 5 / 6 / 8: 10.2 / 12.6 / 21.6 / 27.3 ms (errata: 10 / 15 / 20 / 26).
    expect(expo).toBeGreaterThan(12);
    expect(expo).toBeGreaterThan(meanCi95(p999WakeMs(6, 0.5, 10)).mean * 1.3);
  });

  test("burst length, not average use, sets the tail: b = 1 / 10 / 30 ms at N = 6, d = 0.5", () => {
    const [b1, b10, b30] = [1, 10, 30].map((b) => ms(io(cell(6, 0.5, b, 1)).wakeToRun.p999Us));
    // Bounded by min(b, tslice): measured 0.9 / 9.7 / 25.7 ms.
    expect(b1).toBeLessThan(1.5);
    expect(b10).toBeGreaterThan(5 * b1);
    expect(b30).toBeGreaterThan(2 * b10);
    expect(b30).toBeLessThan(36);
  });

  test("Bobtail probe contrast: >= 10 ms delays appear only in the bad cells", () => {
    const over10 = (n: number) => io(cell(n, 0.5, 10, 1)).requestsOver10ms;
    // 0-1 CPU-intensive neighbours: none; N = 8: hundreds per 20 s (measured 349).
    expect(over10(1)).toBe(0);
    expect(over10(8)).toBeGreaterThan(100);
  });

  describe("non-condition d = 1.0: hogs never wake, so never BOOST; the io vCPU preempts them", () => {
    test.each(["exact", "sampling"] as const)("wake-to-run p99.9 <= the 1 ms rate limit at N = 6 and 8 (%s)", (accounting) => {
      for (const n of [6, 8]) for (const w of p999WakeMs(n, 1, 10, { accounting })) expect(w).toBeLessThanOrEqual(1.05);
    });

    test("sampling (Xen 3.x): request p99.9 stays at the rate limit in every seed", () => {
      for (const n of [6, 8]) for (const r of p999RequestMs(n, 1, 10, { accounting: "sampling" })) expect(r).toBeLessThan(1.2);
    });

    test("exact (Xen >= 4.0): request p99.9 is inflated in most seeds by the inactive-credit drift (errata 8)", () => {
      // The io vCPU goes inactive (credit > 300, halved) and is debited exactly while inactive but
      // re-activated only when a tick catches it running (0.5% of its runs). Its credit drifts,
      // now and then below about -200; the next accounting leaves it OVER for 30-60 ms: no BOOST,
      // no preemption of UNDER hogs, no idle pCPU. Requests then wait up to a slice or two.
      // Sampling debits it only when a tick catches it, so it stays UNDER.
      // Measured request p99.9, seeds 1-5: N = 6: 32 / 42 / 18 / 53 / 40 ms; N = 8: 48 / 9 / 42 / 90 / 57.
      for (const n of [6, 8]) {
        const inflated = p999RequestMs(n, 1, 10, { accounting: "exact" }).filter((r) => r > 10).length;
        expect(inflated, `N=${n}`).toBeGreaterThanOrEqual(3);
      }
      // The request p99 stays at baseline at N = 6 (errata 8); at N = 8 two seeds of five inflate it.
      for (const s of SEEDS) expect(ms(io(cell(6, 1, 10, s, { accounting: "exact" })).requestLatency.p99Us)).toBeLessThan(1.2);
    });
  });

  test("regression sub-case: boostOnMigrate (pre-4.7) lets a kicked-away hog re-BOOST and block the io vCPU", () => {
    // 1 pCPU; a light io VM (1000 req/s, 100 us) and a busy loop. Fixed: the io waker preempts the
    // hog within the rate limit. Bug: the preempted hog is "migrated" back and boosted if UNDER;
    // the next io wake meets a BOOST cur, which is demoted by a tick but keeps the pCPU to the end
    // of its 30 ms slice. Throughput is not modelled (no TCP stream); the tail shows the same cause.
    const run = (boostOnMigrate: boolean) =>
      xen(1, [{ ...ioVm("io"), workload: { kind: "io", requestsPerSec: 1000, serviceUs: 100 } }, cpuVm("hog", 1)], {
        tunables: { boostOnMigrate },
      });
    const fixed = run(false);
    const buggy = run(true);
    expect(ms(io(fixed).wakeToRun.p99Us)).toBeLessThanOrEqual(1.05);
    expect(ms(io(buggy).wakeToRun.p99Us)).toBeGreaterThan(10);
    expect(vmOf(fixed, "hog").boosts).toBe(0);
    expect(vmOf(buggy, "hog").boosts).toBeGreaterThan(0);
  });
});
