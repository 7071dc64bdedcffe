import { describe, expect, test } from "vitest";
import type { HostSimResult } from "../../../src/model/scenario.js";
import { bobtail, meanCi95, ms, SEEDS, vmOf, xen } from "./xen-scenario.js";

// E5: credit1 timeslice and rate-limit sensitivity (sim-fidelity.md 5, E5), on the worst E4 cell
// (4 pCPUs, io VM + N = 6 cpu VMs, d = 0.5, b = 30 ms) and on d = 1 hogs for the rate limit.

const cpuShare = (r: HostSimResult) => r.vms.filter((v) => v.id !== "io").reduce((s, v) => s + v.cpuShare, 0);

describe("E5 credit1 timeslice and rate limit", () => {
  test("tslice 5 ms cuts the bad cell's p99.9 several-fold against 30 ms, at the same CPU throughput", () => {
    const runs = (timesliceMs: number) => SEEDS.map((seed) => xen(4, bobtail(6, 0.5, 30), { seed, tunables: { timesliceMs } }));
    const [long, short] = [runs(30), runs(5)];
    const p999 = (rs: HostSimResult[]) => meanCi95(rs.map((r) => ms(vmOf(r, "io").wakeToRun.p999Us)));
    const [t30, t5] = [p999(long), p999(short)];
    // A boosted competitor keeps BOOST until the next tick (tslice / 3) and the pCPU until its
    // slice or burst ends, so one competitor holds the io vCPU for at most min(tslice, b): 30 ms
    // against 5 ms, a 6x bound; the p99.9 sits a little under each. Measured 27.7 vs 5.0 ms (5.6x).
    const ratio = t30.mean / t5.mean;
    expect(ratio).toBeGreaterThan(4);
    expect(ratio).toBeLessThan(7);
    expect(t5.mean + t5.half).toBeLessThan(6);
    // No context-switch cost is modelled, so the cpu VMs' throughput moves < 1% (XenServer saw
    // no loss at 5 ms); switches per second rise as the slice shrinks (measured 300 -> 580/s).
    const mean = (rs: HostSimResult[], f: (r: HostSimResult) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
    expect(Math.abs(mean(short, cpuShare) / mean(long, cpuShare) - 1)).toBeLessThan(0.01);
    expect(mean(short, (r) => r.contextSwitchesPerSec)).toBeGreaterThan(1.5 * mean(long, (r) => r.contextSwitchesPerSec));
  });

  test("rate limit: against d = 1 hogs the io wake-to-run p99.9 is about ratelimitUs", () => {
    const at = (ratelimitUs: number) => xen(4, bobtail(6, 1, 10), { tunables: { ratelimitUs } });
    const [r0, r100, r1000, r5000] = [0, 100, 1000, 5000].map(at);
    const w = (r: HostSimResult) => ms(vmOf(r, "io").wakeToRun.p999Us);
    // The BOOST waker preempts the UNDER/OVER hog as soon as the hog has run ratelimitUs since it
    // was scheduled; the io wakes at random, so the wait is spread up to the limit (histogram
    // buckets are 1% wide).
    expect(w(r0)).toBeLessThan(0.05);
    expect(w(r100)).toBeGreaterThan(0.08);
    expect(w(r100)).toBeLessThan(0.11);
    expect(w(r1000)).toBeGreaterThan(0.9);
    expect(w(r1000)).toBeLessThan(1.05);
    expect(w(r5000)).toBeGreaterThan(4.5);
    expect(w(r5000)).toBeLessThan(5.1);
    // Fewer context switches at peak as the limit rises: 64908a0466 reports -30% at 1 ms;
    // measured -26% (the io VM's preemptions are batched into the hogs' first millisecond).
    const cs = (r: HostSimResult) => r.contextSwitchesPerSec;
    expect(cs(r1000)).toBeLessThan(0.85 * cs(r0));
    expect(cs(r5000)).toBeLessThan(cs(r1000));
  });
});
