import { describe, expect, test } from "vitest";
import { ScenarioSchema, type Scenario } from "../../../src/model/scenario.js";
import { mechanismP999, simulatedP999 } from "../helpers.js";

/** CPU-bound VMs as [vCPUs, duty, burst ms]. */
type Cpu = readonly [number, number, number];
/** Victims as [vCPUs, requests/s, service µs, own CPU duty and burst ms (mixed) or none]. */
type Victim = readonly [number, number, number, (readonly [number, number])?];

/** A wide EEVDF host (default parameters: 0.75 ms base slice, 200 µs halt-polling) of these VMs. */
function host(cores: number, victims: readonly Victim[], cpus: readonly Cpu[]): Scenario {
  const io = (rps: number, us: number) => ({ requestsPerSec: rps, serviceUs: us, arrival: "poisson" });
  const vms = [
    ...victims.map(([vcpus, rps, us, own], i) => ({
      id: `victim-${i}`,
      vcpus,
      memoryMiB: 1024,
      workload: own ? { kind: "mixed", io: io(rps, us), cpu: { dutyCycle: own[0], burstMs: own[1] } } : { kind: "io", ...io(rps, us) },
    })),
    ...cpus.map(([vcpus, dutyCycle, burstMs], i) => ({ id: `cpu-${i}`, vcpus, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle, burstMs } })),
  ];
  return ScenarioSchema.parse({ host: { id: "h", cores, memoryMiB: 1 << 20, scheduler: { kind: "kvm-eevdf" } }, vms, durationMs: 20_000, warmupMs: 1000, seed: 1 });
}

/** The core's p99.9 for a victim (no learned correction), with or without the fresh home runner. */
const coreP999 = (s: Scenario, id: string, homeFresh: boolean): number => mechanismP999(s, id, { homeFresh });

/** The simulated p99.9 of a victim: the geometric mean of seeds 1 and 2 (one 20 s run differs from the next by up to 2x here). */
const simP999 = (s: Scenario, id: string): number => simulatedP999(s, id, [1, 2]);

// holdout-5's contended-eevdf/9803/1 (its unsafe miss with model-v7) and holdout-2's
// contended-eevdf/9204/4 (two), as drawn: 12-16 cores, the host full a few tenths of a percent of
// the time. Measured while writing the term (20 s, seeds 1 / 2): 9803/1 victim-1 0.83 / 1.42 ms
// simulated, core 0.79 ms with the term, 0.20 without; 9204/4 0.66 / 1.74 and 1.05 / 1.48 ms,
// core 1.68 and 1.63 with, 0.34 and 0.30 without.
const WIDE_16 = host(
  16,
  [
    [2, 333, 61, [0.57, 14]],
    [1, 773, 66],
  ],
  [
    [1, 0.68, 18],
    [1, 0.58, 2.6],
    [2, 0.3, 21.1],
    [1, 1, 7.2],
    [1, 0.93, 2.3],
    [1, 1, 20.2],
    [2, 0.87, 14.7],
    [2, 0.88, 7.2],
    [1, 1, 6.6],
    [1, 0.46, 17.3],
    [1, 1, 3.8],
  ],
);
const WIDE_12 = host(
  12,
  [
    [1, 436, 31],
    [1, 348, 102],
  ],
  [
    [1, 1, 26.2],
    [1, 0.77, 26.7],
    [1, 0.45, 4.2],
    [1, 0.57, 4.6],
    [1, 0.31, 5.5],
    [2, 0.63, 13.4],
    [2, 0.63, 21.9],
    [1, 0.37, 17.4],
    [2, 1, 8.2],
  ],
);

describe("EEVDF: the runner on a waker's home CPU took it after the waker left, inside its first slice", () => {
  test.each([
    ["16 cores, victim-1", WIDE_16, "victim-1"],
    ["12 cores, victim-0", WIDE_12, "victim-0"],
    ["12 cores, victim-1", WIDE_12, "victim-1"],
  ] as const)("%s: the time-average share is over 2x under; the fresh home runner brings the core within 2x", (_name, s, id) => {
    const sim = simP999(s, id);
    const without = coreP999(s, id, false);
    const withTerm = coreP999(s, id, true);
    expect(sim, "time-average share").toBeGreaterThan(2 * without);
    expect(Math.abs(Math.log(withTerm / sim)), "with the term").toBeLessThan(Math.log(2));
  }, 60_000);

  test("hogs are not sleepy runners: a host of hogs and one io victim is unchanged", () => {
    // Hogs stay on their CPUs; where a waker's home is a hog's, the re-protection term covers it
    // (eevdf-reprotect.test.ts).
    const s = host(4, [[1, 200, 100]], [[4, 1, 10]]);
    expect(coreP999(s, "victim-0", true)).toBe(coreP999(s, "victim-0", false));
  });
});
