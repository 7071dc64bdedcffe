import { describe, expect, test } from "vitest";
import { localRescueShare } from "../../../src/interference/core/local-waiters.js";
import { ScenarioSchema, type Scenario } from "../../../src/model/scenario.js";
import { mechanismP999, simulatedP999 } from "../helpers.js";

/** CPU-bound VMs as [vCPUs, duty, burst ms]. */
type Cpu = readonly [number, number, number];

/** A full 4-core credit1 host (30 ms slices) of these CPU-bound VMs and one 500/s io victim. */
function host(cpus: readonly Cpu[]): Scenario {
  const vms = [
    { id: "victim", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 } },
    ...cpus.map(([vcpus, dutyCycle, burstMs], i) => ({ id: `cpu-${i}`, vcpus, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle, burstMs } })),
  ];
  return ScenarioSchema.parse({ host: { id: "h", cores: 4, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit", timesliceMs: 30 } }, vms, durationMs: 20_000, warmupMs: 1000, seed: 1 });
}

/** The core's p99.9 for the victim (no learned correction), with or without local waiters. */
const coreP999 = (s: Scenario, localWaiters: boolean): number => mechanismP999(s, "victim", { localWaiters });

const simP999 = (s: Scenario): number => simulatedP999(s, "victim");

describe("credit1: a freed core runs its own waiter before it steals the blocked victim", () => {
  // holdout-4's contended/9703/17 reduced to its mechanism: two hogs (OVER, they reschedule only at
  // slice ends), a 20 ms sleeper the victim waits behind, and a pair of short-burst sleepers whose
  // releases the core counted as rescues; in the simulator half of those releases go to a waiter
  // queued on the same pCPU. Measured while writing the term (20 s, seeds 1 / 2; core with /
  // without): 0.94 x2 at 2.1 ms: 18.0 / 20.9 ms simulated, 10.4 / 7.7 ms; 0.9 x2 at 2 ms: 16.8 /
  // 18.8 ms, 9.9 / 7.5 ms. The term closes about a third of the log gap, not all of it.
  test.each([
    [[[1, 0.77, 20], [2, 1, 10], [2, 0.94, 2.1]]],
    [[[1, 0.8, 20], [2, 1, 10], [2, 0.9, 2]]],
  ] as const)("sleepers %j: every release a rescue is more than 2x under; local waiters move the core toward the simulator", (cpus) => {
    const s = host(cpus);
    const sim = simP999(s);
    const without = coreP999(s, false);
    const withTerm = coreP999(s, true);
    expect(sim, "every release a rescue").toBeGreaterThan(2 * without);
    expect(Math.log(sim / without) - Math.log(sim / withTerm), "log gap closed").toBeGreaterThan(0.2);
    expect(withTerm, "still under: the term is partial").toBeLessThan(sim);
  }, 60_000);

  test("with no other sleeper to queue (hogs and the one sleeper), the term changes nothing and the core holds", () => {
    // Simulated 27.5 / 25.2 ms (seeds 1 / 2), core 25.1 ms either way: the victim waits out the
    // sleeper's burst or a hog's slice end, as the core says.
    const s = host([
      [1, 0.8, 20],
      [3, 1, 10],
    ]);
    const withTerm = coreP999(s, true);
    expect(Math.abs(withTerm / coreP999(s, false) - 1)).toBeLessThan(0.01);
    expect(Math.abs(Math.log(withTerm / simP999(s)))).toBeLessThan(Math.log(1.25));
  }, 60_000);
});

describe("localRescueShare", () => {
  test("is 1 with no full host or no other wakers, e^-x / (1 + waiters elsewhere) otherwise, and falls as wakers grow", () => {
    expect(localRescueShare(0, 1e-3, 2000, 4, 0.4)).toBe(1);
    expect(localRescueShare(0.9, 0, 2000, 4, 0.4)).toBe(1);
    // x = 0.9 x 1e-3 x 2000 / 4 = 0.45 waiters per blocking core; 4 x 0.4 x 0.45 = 0.72 waiting.
    expect(localRescueShare(0.9, 1e-3, 2000, 4, 0.4)).toBeCloseTo(Math.exp(-0.45) / 1.72, 12);
    expect(localRescueShare(0.9, 2e-3, 2000, 4, 0.4)).toBeLessThan(localRescueShare(0.9, 1e-3, 2000, 4, 0.4));
  });
});
