import { describe, expect, test } from "vitest";
import type { Percentiles } from "../../../src/model/scenario.js";
import { KvmEevdfSchema } from "../../../src/model/scheduler.js";
import { eevdfTunables } from "../../../src/sim/schedulers/kvm-eevdf.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { cfsFactory, fairScenario, hog, ioVm, mean, sleepy } from "../kvm-cfs/helpers.js";

// E7 for EEVDF (shared/reference/sim-fidelity.md 5, 3.7): the Bobtail grid on KVM/EEVDF. 4 CPUs;
// one 1-vCPU IO VM (Poisson 1000 req/s, 50 us); N 1-vCPU CPU VMs (d, 10 ms bursts +-20%); all at
// cpu.weight 100; 3 seeds x 20 s per cell after 2 s of warm-up.
//
// Mechanism (fair.c 6.6-6.12): base_slice 0.75 ms x 3 = 2.25 ms; HZ 1000, so a slice ends at the
// first tick past it (<= 3.25 ms). The io thread sleeps between requests; leaving ineligible its
// group entity is delayed, and is dequeued with its lag clipped to 0 (DELAY_ZERO), so it wakes at
// V (PLACE_LAG), eligible, with a deadline one slice ahead. It preempts only if it is then the
// eligible entity with the earliest deadline and curr is not protected (RUN_TO_PARITY). So:
// - N = 3: an idle CPU is always free (select_idle_sibling): no wait.
// - Else a wake that does not preempt waits for curr's slice: p99 <= slice + tick.
// - Behind a waiter with an earlier deadline it waits one more slice: p99.9 and every wait
//   <= 2 x (slice + tick) at <= 3 runnable per CPU. No 30 ms cliff, unlike credit1's E4 cells.
// - A short sched_runtime for the io VM (100 us; its group entity takes its child's slice, as
//   cfs_rq_min_slice gives it). Its deadline then lies 100 us past its placement, the earliest on
//   the CPU as soon as it is eligible, and PREEMPT_SHORT (6.12) lifts curr's RUN_TO_PARITY
//   protection for it (do_preempt_short: shorter slice, eligible, and due before curr or curr
//   ineligible; cancel_protect_slice). So an eligible waker preempts at once, or, when curr's
//   own deadline is earlier still (curr is in the last 100 us of its slice), waits for the tick
//   that ends curr's slice: <= one tick. Only a waker that left with negative lag (ineligible)
//   waits longer, until it is eligible or curr's slice ends (<= one slice + tick), and behind a
//   waiter that is due first, one slice more: the p99.9 stays within slice + tick (the default's
//   reaches 4.8 ms at N = 8) and every wait within two. The typical remaining wait is a tick,
//   not a slice: at N = 6 the p99 falls
//   below the midpoint of the two, (tick + slice) / 2 (measured 1.0-1.1 ms against 2.5-2.6 ms;
//   500 us slices: 1.1-1.2 ms), and at N = 8 (up to three runnable per CPU, more ineligible
//   wakes) it falls less (2.0-2.3 against 3.0 ms; 500 us: 1.9 ms).
//   Before this was modelled the protection was lifted for the wake-up check only and the pick
//   that followed protected curr again, so the short slice barely helped (2.5 against 2.6 ms).
// Where the spec says "<= about one slice of the current task": that holds for p99; the p99.9 is
// up to two (a waiter with an earlier deadline goes first), as derived above.
const DURATION_MS = 20000;
const SEEDS = [1, 2, 3];
const t = eevdfTunables(KvmEevdfSchema.parse({ kind: "kvm-eevdf" }), 4);
const turnUs = t.baseSliceUs + t.tickUs;

function cell(n: number, d: number, schedRuntimeUs?: number): Percentiles[] {
  return SEEDS.map(
    (seed) =>
      simulateHost(
        fairScenario("kvm-eevdf", 4, [{ workload: ioVm(), schedRuntimeUs }, ...Array.from({ length: n }, () => ({ workload: d === 1 ? hog : sleepy(d) }))], {
          durationMs: DURATION_MS,
          seed,
        }),
      ).vms[0].wakeToRun,
  );
}

describe("E7 kvm-eevdf on the Bobtail grid (4 CPUs, 3 seeds x 20 s per cell)", () => {
  const grid = new Map<string, Percentiles[]>();
  for (const n of [3, 6, 8]) for (const d of [0.5, 1]) grid.set(`${n}/${d}`, cell(n, d));
  const get = (n: number, d: number) => grid.get(`${n}/${d}`) ?? [];

  test("the setup is the spec's: base slice 0.75 ms x 3 = 2.25 ms", () => {
    expect(t.baseSliceUs).toBe(2250);
  });

  test("N = 3: an idle CPU is always free, so no wake waits", () => {
    for (const d of [0.5, 1]) for (const w of get(3, d)) expect(w.maxUs).toBe(0);
  });

  test("p99 within one slice of the running task, p99.9 and the maximum within two", () => {
    for (const runs of grid.values())
      for (const w of runs) {
        expect(w.p50Us).toBe(0);
        expect(w.p99Us).toBeLessThanOrEqual(turnUs);
        expect(w.p999Us).toBeLessThanOrEqual(2 * turnUs);
        expect(w.maxUs).toBeLessThanOrEqual(2 * turnUs);
      }
  });

  test("a 100 us sched_runtime for the io VM: waits of a tick, not a slice; p99.9 within slice + tick", () => {
    const midpointUs = (t.tickUs + t.baseSliceUs) / 2;
    const p99 = (runs: Percentiles[]) => mean(runs.map((w) => w.p99Us));
    for (const n of [6, 8]) {
      const short = cell(n, 0.5, 100);
      for (const w of short) {
        expect(w.p999Us).toBeLessThanOrEqual(turnUs);
        expect(w.maxUs).toBeLessThanOrEqual(2 * turnUs);
      }
      expect(p99(short)).toBeLessThan(p99(get(n, 0.5)));
      if (n === 6) {
        expect(p99(get(n, 0.5))).toBeGreaterThan(midpointUs);
        expect(p99(short)).toBeLessThan(midpointUs);
      }
    }
  });
});

describe("kvm-eevdf invariants and determinism", () => {
  const vms = [
    { vcpus: 2, schedRuntimeUs: 300, workload: ioVm(2000, 80) },
    { vcpus: 2, capPercent: 150, workload: { kind: "mixed", io: { requestsPerSec: 500, serviceUs: 100 }, cpu: { dutyCycle: 0.7, burstMs: 3 } } },
    { vcpus: 4, cpuWeight: 300, workload: { kind: "cpu", dutyCycle: 0.6, burstMs: 3 } },
    { capPercent: 30, workload: hog },
    { workload: hog },
    { cpuWeight: 20, workload: sleepy(0.9, 30) },
  ] as const;

  test.each([{}, { delayDequeue: false, runToParity: false, haltPollUs: 0, cfsPeriodUs: 5000 }, { placeLag: false, preemptShort: false, tickUs: 4000 }])(
    "every invariant holds under a mixed load with %j",
    (scheduler) => {
      // Every event re-checks both queue levels, delayed counts, loads and host-sim's view.
      const s = fairScenario("kvm-eevdf", 4, [...vms], { durationMs: 3000, scheduler });
      const r = simulateHost(s, { factory: cfsFactory({ verify: true }) });
      expect(r.vms[3].throttledPeriods).toBeGreaterThan(0);
      expect(r.vms.reduce((a, v) => a + v.cpuShare, 0)).toBeLessThanOrEqual(4 + 1e-9);
    },
  );

  const golden = () => fairScenario("kvm-eevdf", 2, [{ workload: ioVm() }, ...Array.from({ length: 3 }, () => ({ workload: sleepy(0.5) }))], { durationMs: 3000, seed: 3 });

  test("same seed, identical bytes", () => {
    expect(JSON.stringify(simulateHost(golden()))).toBe(JSON.stringify(simulateHost(golden())));
  });

  // Golden numbers: any change to EEVDF, the fair class, host-sim or the workloads' draws moves
  // them. Refresh (vitest -u) only after deciding the change is meant, and say so in the commit.
  // `events` alone moved with issue 13's event-count work (byte-identity.test.ts says what and
  // why); switches, ioP99Us and cpuUs are the numbers main had.
  test("a fixed scenario keeps its golden numbers", () => {
    const r = simulateHost(golden());
    expect({ events: r.eventsProcessed, switches: r.contextSwitches, ioP99Us: r.vms[0].wakeToRun.p99Us, cpuUs: r.vms.map((v) => v.cpuUs) }).toMatchInlineSnapshot(`
      {
        "cpuUs": [
          151700,
          1423913,
          1416360,
          1419257,
        ],
        "events": 13105,
        "ioP99Us": 1943.5,
        "switches": 3235,
      }
    `);
  });
});
