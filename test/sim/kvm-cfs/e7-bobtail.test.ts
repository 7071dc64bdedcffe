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
// credit 9 ms, HZ 1000, every slice ends at the first tick past it):
// - An idle CPU takes the IO thread at once (select_idle_sibling). With N = 3 there always is one
//   (3 CPU VMs + the IO vCPU <= 4 CPUs), and without an IPI cost the wait is exactly 0.
// - Otherwise the IO thread's group entity is placed at min_vruntime - 9 ms and preempts unless
//   curr is less than wakeup_gran = 3 ms ahead of it. A curr with that little lead is one that got
//   the same credit just before: a sleepy CPU VM that woke < 3 ms earlier, or (d = 1) a hog the
//   balancer just moved there, since a group entity arriving on a CPU is enqueued as a wakeup.
// - Having lost that race the IO thread waits out curr's slice, 18 ms / h_nr_running: < 10 ms
//   (9 ms + the tick) with two runnable, < 7 ms with three. Losing to two credited entities in a
//   row (h_nr_running 3) costs up to 2 x 7 = 14 ms. Whatever the queue, a thread near
//   min_vruntime waits at most the other entities' slices, which add up to less than the period,
//   plus one tick of overrun each: 18 ms + 7 ticks = 25 ms up to nr_latency = 8 runnable.
// So, per cell: hogs (d = 1) give p99 = 0 and, with migrations rare, a p99.9 under one 2-runnable
// slice (10 ms); sleepy VMs (d = 0.5) race often enough that the p99 lies among single-slice waits
// (< 10 ms) and the p99.9 above wakeup_gran, below two 3-runnable slices (14 ms); the maximum
// stays under 25 ms, with no 30 ms-multiple cliff.
//
// Where the spec disagrees: it expects "about one slice or min_gran each (~2-3 ms)", a p99.9
// "<= a few ms" and tails "an order of magnitude below Credit1". The slice is the period split by
// h_nr_running, 6-9 ms at 2-3 runnable per CPU; it shrinks to min_gran only near nr_latency = 8
// runnable per CPU. The mechanics give a p99.9 of ~8-10 ms at N = 6-8 (d = 0.5, and d = 1 at
// N = 6): no cliff and under half Credit1's 20-26 ms (errata), but not 10x below it.
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

  test("p50 stays under a tick and the maximum under the period's bound (no 30 ms cliff)", () => {
    const maxBoundUs = t.latencyUs + (t.nrLatency - 1) * tickUs;
    for (const runs of cells.values())
      for (const w of runs) {
        expect(w.p50Us).toBeLessThanOrEqual(tickUs);
        expect(w.maxUs).toBeLessThanOrEqual(maxBoundUs);
      }
  });

  test.each([6, 8])("N = %i hogs (d = 1): the IO thread preempts at once; p99.9 under one slice", (n) => {
    for (const w of cell(n, 1)) {
      expect(w.p99Us).toBeLessThanOrEqual(tickUs);
      expect(w.p999Us).toBeLessThan(t.latencyUs / 2 + tickUs);
    }
  });

  test.each([6, 8])("N = %i sleepy VMs (d = 0.5): p99 within one slice, p99.9 within two", (n) => {
    for (const w of cell(n, 0.5)) expect(w.p99Us).toBeLessThan(t.latencyUs / 2 + tickUs);
    const p999 = meanP999(n, 0.5);
    expect(p999).toBeGreaterThan(t.wakeupGranularityUs);
    expect(p999).toBeLessThanOrEqual(2 * (t.latencyUs / 3 + tickUs));
  });

  test("the tail rises gradually with N at d = 0.5", () => {
    expect(meanP999(3, 0.5)).toBe(0);
    expect(meanP999(8, 0.5)).toBeGreaterThanOrEqual(meanP999(6, 0.5) - tickUs);
  });
});
