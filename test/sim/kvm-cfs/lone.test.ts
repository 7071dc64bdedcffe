import { describe, expect, test } from "vitest";
import type { HostSimResult, Scenario } from "../../../src/model/scenario.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { bobtailVms, cfsFactory, fairScenario, hog, ioVm, sleepy, type FairKind } from "./helpers.js";

// Lone threads (kvm-fair/lone.ts): a one-vCPU VM's thread keeps no thread-level vruntime,
// deadline or lag, because its group's queue never holds a sibling to compare it with. Every
// result must be the one of a run that keeps them (keepLoneThreads), to the byte, events
// included: nothing that decides may read the values left out. The lone runs verify the
// run-queue invariants after every event. The scenarios reach each place the values would be
// read: wake-up placement onto idle and busy CPUs, sleeps that EEVDF could delay, migrations by
// newidle, periodic and active balancing (CFS rebases a mover's vruntime), thread weights other
// than the group's (nice), short requested slices (PREEMPT_SHORT, RUN_TO_PARITY), quota
// throttling, a driver domain billing guests, and VMs with several vCPUs beside lone ones (their
// threads are not lone: a predicate that took them for lone changes these results).

const json = (r: HostSimResult) => JSON.stringify(r);

function compare(s: Scenario, nice?: (v: number) => number): void {
  const vcpuNice = nice ? (info: { index: number }) => nice(info.index) : undefined;
  const lone = simulateHost(s, { factory: cfsFactory({ verify: true, vcpuNice }) });
  const kept = simulateHost(s, { factory: cfsFactory({ keepLoneThreads: true, vcpuNice }) });
  expect(json(lone)).toBe(json(kept));
}

const cell = bobtailVms();

describe.each(["kvm-cfs", "kvm-eevdf"] as const)("%s: lone threads", (kind: FairKind) => {
  test("the Bobtail cell on 8 CPUs: same bytes", () => {
    compare(fairScenario(kind, 8, cell, { durationMs: 2000, seed: 21 }));
  });

  test("overload that migrates threads (newidle, periodic and active balancing), weights 100-800", () => {
    const vms = [
      { workload: hog, cpuWeight: 800 },
      { workload: hog, cpuWeight: 100 },
      { workload: hog, cpuWeight: 400 },
      { workload: sleepy(0.7, 4), cpuWeight: 200 },
      { workload: sleepy(0.5, 2) },
      { workload: ioVm(900, 60) },
    ];
    compare(fairScenario(kind, 3, vms, { durationMs: 3000, seed: 22 }));
  });

  test("thread weights other than the group's (nice -5 to 5)", () => {
    compare(fairScenario(kind, 4, cell.slice(0, 7), { durationMs: 2000, seed: 23 }), (v) => (v % 3) * 5 - 5);
  });

  test("quota on lone VMs (throttling and refill)", () => {
    const vms = [{ workload: hog, capPercent: 30 }, { workload: sleepy(0.8, 6), capPercent: 50 }, { workload: ioVm(500, 70) }, { workload: hog }];
    compare(fairScenario(kind, 2, vms, { durationMs: 2000, seed: 24 }));
  });

  test("VMs of several vCPUs beside lone ones", () => {
    const vms = [{ vcpus: 3, workload: sleepy(0.6, 5) }, { vcpus: 2, cpuWeight: 300, workload: hog }, ...cell.slice(0, 4)];
    compare(fairScenario(kind, 4, vms, { durationMs: 2000, seed: 25 }));
  });

  test("a driver domain billing the guests", () => {
    const s = fairScenario(kind, 4, cell.slice(0, 6), { durationMs: 2000, warmupMs: 300, seed: 26, driver: { chargeDriverWork: true } });
    compare(s);
  });
});

describe("kvm-eevdf: lone threads under EEVDF's own features", () => {
  test.each([
    { name: "a short requested slice for the io VM (PREEMPT_SHORT)", scheduler: {}, runtime: 300 },
    { name: "no RUN_TO_PARITY, no PLACE_LAG", scheduler: { runToParity: false, placeLag: false }, runtime: undefined },
    { name: "no delayed dequeue", scheduler: { delayDequeue: false }, runtime: 500 },
    { name: "a 0.1 ms base slice, unscaled", scheduler: { baseSliceUs: 100, tunableScaling: "none" as const }, runtime: undefined },
  ])("$name: same bytes", ({ scheduler, runtime }) => {
    const vms = [{ workload: ioVm(700, 60), schedRuntimeUs: runtime }, ...cell.slice(1, 7), { workload: hog }];
    compare(fairScenario("kvm-eevdf", 3, vms, { durationMs: 2000, seed: 27, scheduler }));
  });
});
