import { describe, expect, test } from "vitest";
import type { Percentiles } from "../../../src/model/scenario.js";
import { scaledTunables } from "../../../src/sim/schedulers/kvm-cfs/tunables.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { cfsParams, cfsScenario, ioVm, mean, sleepy } from "./helpers.js";

// E7 (shared/reference/sim-fidelity.md 5): the Bobtail grid on KVM/CFS. 4 CPUs; one 1-vCPU IO VM
// (Poisson 1000 req/s, 50 us); N 1-vCPU CPU VMs with duty d and 10 ms bursts (+-20% jitter); all
// cgroups at cpu.weight 100; 5 seeds x 30 s per cell after 2 s of warm-up.
//
// Mechanism, with factor 3 on 4 CPUs (latency 18 ms, min_gran 2.25 ms, wakeup_gran 3 ms, sleeper
// credit 9 ms):
// - An idle CPU takes the IO thread at once (select_idle_sibling). With N = 3 there always is one
//   (3 CPU VMs + the IO vCPU <= 4 CPUs), and without an IPI cost the wait is exactly 0.
// - Otherwise the IO thread's group entity is placed at min_vruntime - 9 ms and preempts unless
//   curr is less than wakeup_gran = 3 ms ahead of it. Hogs (d = 1) never sleep, so they never
//   have that lead: the IO thread preempts at once (p99 = 0) except right after a hog migrated,
//   because a group entity arriving on a CPU is enqueued as a wakeup and gets the same credit.
// - Sleepy CPU VMs (d = 0.5) get the credit on every wake too. A CPU VM that woke less than 3 ms
//   before the IO thread, on the same CPU, cannot be preempted; the IO thread then waits out its
//   slice, 18 ms / h_nr_running: 9 ms with two runnable, ended at the first tick past it. So the
//   p99.9 sits between wakeup_gran and latency/2 + 1 tick, and nothing exceeds one period
//   (latency + 1 tick, fidelity 6: "everything is <= the period").
//
// Where the spec disagrees: it expects "about one slice or min_gran each (~2-3 ms)" and tails "an
// order of magnitude below Credit1". The slice is the period split by h_nr_running, 6-9 ms at
// 2-3 runnable per CPU; it shrinks to min_gran only near nr_latency = 8 runnable per CPU. The
// mechanics give a p99.9 of ~8-10 ms at N = 6-8: still no 30 ms-multiple cliff and under half
// Credit1's 20-26 ms (errata), but not 10x below it.
const DURATION_MS = 30000;
const SEEDS = [1, 2, 3, 4, 5];
const NS = [3, 6, 8] as const;
const DUTIES = [0.5, 1.0] as const;

function runCell(n: number, d: number): Percentiles[] {
  return SEEDS.map(
    (seed) =>
      simulateHost(
        cfsScenario(4, [{ workload: ioVm() }, ...Array.from({ length: n }, () => ({ workload: sleepy(d) }))], {
          durationMs: DURATION_MS,
          seed,
        }),
      ).vms[0].wakeToRun,
  );
}

describe("E7 kvm-cfs on the Bobtail grid (4 CPUs, 5 seeds x 30 s per cell)", () => {
  const t = scaledTunables(cfsParams(cfsScenario(4, [], { durationMs: 1 })), 4);
  const tickUs = t.tickUs;
  const cells = new Map<string, Percentiles[]>();
  for (const n of NS) for (const d of DUTIES) cells.set(`${n}/${d}`, runCell(n, d));
  const cell = (n: number, d: number) => cells.get(`${n}/${d}`) ?? [];
  const meanP999 = (n: number, d: number) => mean(cell(n, d).map((w) => w.p999Us));

  test("the setup is the spec's: latency 18 ms, wakeup_gran 3 ms, sleeper credit 9 ms", () => {
    expect([t.latencyUs, t.wakeupGranularityUs, t.sleeperCreditUs]).toEqual([18000, 3000, 9000]);
    // Wakes, not requests: arrivals inside a halt-poll or behind a queued request wake nothing.
    // >= 10^4 per run (>= 10 beyond the p99.9), 5 runs per cell; the spec's 10^5 per cell would
    // need 100 s runs per seed, past this suite's time budget.
    for (const runs of cells.values()) for (const w of runs) expect(w.count).toBeGreaterThan(10000);
  });

  test.each(DUTIES)("N = 3, d = %s: an idle CPU is always free, so no wake waits", (d) => {
    for (const w of cell(3, d)) expect(w.maxUs).toBe(0);
  });

  test("p50 stays under a tick and nothing exceeds one period (no 30 ms cliff) in any cell", () => {
    for (const runs of cells.values())
      for (const w of runs) {
        expect(w.p50Us).toBeLessThanOrEqual(tickUs);
        expect(w.maxUs).toBeLessThanOrEqual(t.latencyUs + tickUs);
      }
  });

  test.each([6, 8])("N = %i hogs (d = 1): the IO thread preempts at once; p99.9 <= one slice", (n) => {
    for (const w of cell(n, 1)) {
      expect(w.p99Us).toBeLessThanOrEqual(tickUs);
      expect(w.p999Us).toBeLessThanOrEqual(t.latencyUs / 2 + tickUs);
    }
  });

  test.each([6, 8])("N = %i sleepy VMs (d = 0.5): p99.9 between wakeup_gran and one slice", (n) => {
    const p999 = meanP999(n, 0.5);
    expect(p999).toBeGreaterThan(t.wakeupGranularityUs);
    expect(p999).toBeLessThanOrEqual(t.latencyUs / 2 + tickUs);
  });

  test("the tail rises gradually with N at d = 0.5", () => {
    expect(meanP999(3, 0.5)).toBe(0);
    expect(meanP999(8, 0.5)).toBeGreaterThanOrEqual(meanP999(6, 0.5) - tickUs);
  });
});
