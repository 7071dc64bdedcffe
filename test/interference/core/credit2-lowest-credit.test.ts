import { describe, expect, test } from "vitest";
import { HostMix } from "../../../src/interference/core/host-mix.js";
import { ALL_MECHANISMS, coreFor } from "../../../src/interference/core/scheduler-core.js";
import { ScenarioSchema, type Scenario } from "../../../src/model/scenario.js";
import { defaultScheduler, type SchedulerKind } from "../../../src/model/scheduler.js";
import { mechanismP999, shippedP999, simulatedP999 } from "../helpers.js";

/**
 * credit2's lowest-credit mixed victim (Mechanisms.credit2LowestCredit, credit2.ts preemptedInBurst,
 * HostMix.outburns). A host built for the test, not a round's composition, on holdout-30
 * packed/10198/4's pattern: 8 cores in one run queue; the victim a 2-vCPU mixed VM (CPU bursts of
 * 30 ms at duty 0.9, and 950 requests/s of 220 µs: runnable 0.99 per vCPU); eight 1-vCPU-burst
 * sleepers at duty 0.5 in one VM, a pair at `pairDuty`, and an io VM. The victim burns the most, so
 * it holds the least credit: every waker that finds the CPUs held preempts it, and every waiter
 * queued while it waits is picked first.
 */
function host(pairDuty = 0.7, kind: SchedulerKind = "xen-credit2", cores = 8): Scenario {
  const vm = (id: string, vcpus: number, workload: unknown) => ({ id, vcpus, memoryMiB: 1024, workload });
  const vms = [
    vm("victim", 2, { kind: "mixed", io: { requestsPerSec: 950, serviceUs: 220, arrival: "poisson" }, cpu: { dutyCycle: 0.9, burstMs: 30, burstDistribution: "exponential" } }),
    vm("sleepers", 8, { kind: "cpu", dutyCycle: 0.5, burstMs: 1, burstDistribution: "exponential" }),
    vm("pair", 2, { kind: "cpu", dutyCycle: pairDuty, burstMs: 1, burstDistribution: "exponential" }),
    vm("io", 2, { kind: "io", requestsPerSec: 335, serviceUs: 156 }),
  ];
  return ScenarioSchema.parse({ host: { id: "h", cores, memoryMiB: 1 << 20, scheduler: defaultScheduler(kind) }, vms, durationMs: 10_000, warmupMs: 1000, seed: 1 });
}

const coreP999 = (s: Scenario, credit2LowestCredit: boolean): number => mechanismP999(s, "victim", { credit2LowestCredit });

describe("credit2: a mixed victim that outburns its run queue waits below every waiter", () => {
  // Simulated (10 s, seeds 1 / 2): 1,720 / 1,560 µs. The shipped model: 825 µs without the term
  // (the episodes of one runner in 8, ended by any release), 1,555 with it.
  test("the pair at duty 0.7: without the term far under the simulated p99.9, with it within 1.5x of it", () => {
    const s = host();
    const sim = simulatedP999(s, "victim", [1, 2]);
    const off = shippedP999(s, "victim", { credit2LowestCredit: false });
    const on = shippedP999(s, "victim");
    expect(sim, `without: ${off}`).toBeGreaterThan(1.6 * off);
    expect(on, `with: ${on} against ${sim}`).toBeGreaterThan(sim / 1.5);
    expect(on, `with: ${on} against ${sim}`).toBeLessThan(1.5 * sim);
    // The core alone (no learned correction) moves the same way.
    expect(coreP999(s, true)).toBeGreaterThan(1.3 * coreP999(s, false));
  }, 120_000);

  // The pair at 0.9 runs 0.909 of the victim's 0.99: within one rate limit per reset period of it,
  // so the two swap places in the credit order and the term does not apply (a known limit: the
  // simulator has 1.6-2.0 ms there too, docs/accuracy.md).
  test("a neighbour within a rate limit per reset of the victim's share: the term changes nothing", () => {
    const s = host(0.9);
    expect(coreP999(s, true)).toBe(coreP999(s, false));
  });

  test.each(["xen-credit", "kvm-cfs", "kvm-eevdf"] as const)("%s: the switch changes nothing (credit2 only)", (kind) => {
    const s = host(0.7, kind);
    expect(coreP999(s, true)).toBe(coreP999(s, false));
    expect(coreFor(defaultScheduler(kind), 8).lowestCreditRatio).toBeUndefined();
  });

  test("one run queue only, and the switch off leaves credit2's core without it", () => {
    const p = defaultScheduler("xen-credit2");
    expect(coreFor(p, 8).lowestCreditRatio).toBeCloseTo(0.9, 12);
    expect(coreFor(p, 8, { ...ALL_MECHANISMS, credit2LowestCredit: false }).lowestCreditRatio).toBeUndefined();
    expect(coreFor(p, 32).lowestCreditRatio).toBeUndefined();
    const s = host(0.7, "xen-credit2", 32);
    expect(coreP999(s, true)).toBe(coreP999(s, false));
  });
});

describe("HostMix.outburns", () => {
  const mix = (parts: readonly [number, number][]): HostMix => {
    const m = new HostMix(coreFor(defaultScheduler("xen-credit2"), 8), 8);
    for (const [vcpus, duty] of parts) m.apply({ vcpus, duty, burstUs: 1000 }, 1);
    return m;
  };

  test("every other CPU-bound vCPU at or under the share x (1 - rate limit / CREDIT_INIT), its own vCPUs out", () => {
    // 0.99 x 0.9 = 0.891.
    expect(mix([[2, 0.99], [8, 0.5], [2, 0.89]]).outburns(0.99, 2, undefined, true)).toBe(true);
    expect(mix([[2, 0.99], [8, 0.5], [2, 0.895]]).outburns(0.99, 2, undefined, true)).toBe(false);
    // A sibling VM at the victim's own share is another VM: it does not outburn it.
    expect(mix([[2, 0.99], [2, 0.99]]).outburns(0.99, 2, undefined, true)).toBe(false);
    // A newcomer judging itself is not in the sums.
    expect(mix([[8, 0.5]]).outburns(0.99, 2, undefined, false)).toBe(true);
    expect(mix([[8, 0.5]]).outburns(0.5, 2, undefined, false)).toBe(false);
  });

  test("a hog, or an extra VM over the line, outburns it; removing a part takes it out of the count", () => {
    expect(mix([[2, 0.99], [1, 1]]).outburns(0.99, 2, undefined, true)).toBe(false);
    expect(mix([[2, 0.99]]).outburns(0.99, 2, { vcpus: 1, duty: 0.95, burstUs: 1000 }, true)).toBe(false);
    expect(mix([[2, 0.99]]).outburns(0.99, 2, { vcpus: 1, duty: 0.5, burstUs: 1000 }, true)).toBe(true);
    const m = mix([[2, 0.99], [2, 0.95]]);
    expect(m.outburns(0.99, 2, undefined, true)).toBe(false);
    m.apply({ vcpus: 2, duty: 0.95, burstUs: 1000 }, -1);
    expect(m.outburns(0.99, 2, undefined, true)).toBe(true);
  });

  test("a core that does not ask (credit1) never answers yes", () => {
    const m = new HostMix(coreFor(defaultScheduler("xen-credit"), 8), 8);
    m.apply({ vcpus: 2, duty: 0.99, burstUs: 1000 }, 1);
    expect(m.outburns(0.99, 2, undefined, true)).toBe(false);
  });
});
