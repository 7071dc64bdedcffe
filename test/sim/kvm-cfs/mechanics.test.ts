import { describe, expect, test } from "vitest";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { cfsFactory, cfsParams, cfsScenario, hog, ioVm, sleepy } from "./helpers.js";

// Mechanisms the E-experiments lean on, isolated: KVM halt-polling and run determinism.
const DURATION_MS = 10000;
const HALT_POLL_US = 200;
const SERVICE_US = 50;

describe("kvm-cfs halt-polling (fidelity 3, KVM_HALT_POLL_NS_DEFAULT 200 us)", () => {
  test("a lone IO vCPU polls up to 200 us after each busy period, burning CPU", () => {
    // Poisson arrivals: an idle gap is Exp(1 ms), so a poll lasts E[min(gap, 200 us)] =
    // 1 ms x (1 - e^-0.2) = 181.3 us, once per busy period; busy periods start at arrivals that
    // find the vCPU idle, lambda x (1 - rho) of them (PASTA). Noise over ~9,500 polls is < 0.001.
    const r = simulateHost(cfsScenario(1, [{ workload: ioVm() }], { durationMs: DURATION_MS }));
    const rho = r.vms[0].cpuShare;
    const arrivalsPerSec = (rho * 1e6) / SERVICE_US;
    const pollUs = 1000 * (1 - Math.exp(-HALT_POLL_US / 1000));
    const expected = rho + arrivalsPerSec * (1 - rho) * pollUs * 1e-6;
    expect(Math.abs(r.utilisation - expected)).toBeLessThanOrEqual(0.002);
    const noPoll = simulateHost(cfsScenario(1, [{ workload: ioVm() }], { durationMs: DURATION_MS, scheduler: { haltPollUs: 0 } }));
    expect(noPoll.utilisation).toBeCloseTo(rho, 6);
  });

  test("no polling while another thread is runnable on the CPU (single_task_running)", () => {
    // With a hog always runnable the IO vCPU never polls, so the run is the same as without it.
    const run = (haltPollUs: number) =>
      simulateHost(cfsScenario(1, [{ workload: ioVm() }, { workload: hog }], { durationMs: DURATION_MS, scheduler: { haltPollUs } })).vms;
    expect(run(HALT_POLL_US)).toEqual(run(0));
  });

  test("a poll ends as soon as another thread wakes onto the CPU", () => {
    // Wakeup preemption is switched off (huge wakeup_gran) so only the poll rule can let the
    // sleepy VM in. It then waits at most for an IO request in service (<= 2 x 50 us at p99);
    // were the poll to run on, the ~17% of its wakes that land in a poll would wait out the
    // 200 us window.
    const r = simulateHost(
      cfsScenario(1, [{ workload: ioVm() }, { workload: sleepy(0.5) }], {
        durationMs: DURATION_MS,
        scheduler: { wakeupGranularityUs: 100000 },
      }),
    );
    expect(r.utilisation).toBeGreaterThan(r.vms[0].cpuShare + r.vms[1].cpuShare + 0.05); // it did poll
    expect(r.vms[1].wakeToRun.p99Us).toBeLessThanOrEqual(2 * SERVICE_US);
    expect(r.vms[1].wakeToRun.maxUs).toBeLessThan(HALT_POLL_US);
  });
});

describe("kvm-cfs determinism", () => {
  const cell = (seed: number) =>
    cfsScenario(4, [{ workload: ioVm() }, ...Array.from({ length: 6 }, () => ({ workload: sleepy(0.5) }))], {
      durationMs: DURATION_MS,
      seed,
    });

  test("same scenario and seed give an identical result", () => {
    expect(JSON.stringify(simulateHost(cell(7)))).toBe(JSON.stringify(simulateHost(cell(7))));
  });

  test("another seed gives another run", () => {
    expect(JSON.stringify(simulateHost(cell(8)))).not.toBe(JSON.stringify(simulateHost(cell(7))));
  });
});

describe("kvm-cfs invariants under a mixed load", () => {
  // Every event re-checks the two-level queues, counts, loads and host-sim's view (verify option):
  // multi-vCPU VMs, weights, caps, halt-polling, migrations and throttling all interleave here.
  const vms = [
    { vcpus: 2, workload: ioVm(2000, 80) },
    { vcpus: 2, capPercent: 150, workload: { kind: "mixed", io: { requestsPerSec: 500, serviceUs: 100 }, cpu: { dutyCycle: 0.7, burstMs: 3 } } },
    { vcpus: 4, cpuWeight: 300, workload: { kind: "cpu", dutyCycle: 0.6, burstMs: 3 } },
    { capPercent: 30, workload: hog },
    { workload: hog },
    { cpuWeight: 20, workload: sleepy(0.9, 30) },
    { workload: { kind: "idle" } },
  ] as const;
  const configs = [
    {},
    { tickUs: 4000, tunableScaling: "none", haltPollUs: 0, gentleFairSleepers: false, cfsPeriodUs: 5000, bandwidthSliceUs: 1000 },
    { tunableScaling: "linear", haltPollUs: 5000, cfsPeriodUs: 20000 },
  ] as const;

  test.each(configs.map((c, i) => [i, c] as const))("config %i keeps every invariant; caps hold", (_i, scheduler) => {
    const s = cfsScenario(4, [...vms], { durationMs: 4000, scheduler });
    const r = simulateHost(s, { factory: cfsFactory({ verify: true }) });
    const periodUs = cfsParams(s).cfsPeriodUs;
    // A cap holds per period up to what per-CPU slices already drawn and one tick's overrun per
    // CPU can add at the window's edges.
    const slackShare = (4 * (cfsParams(s).bandwidthSliceUs + cfsParams(s).tickUs)) / (s.durationMs * 1000) + periodUs / (s.durationMs * 1000);
    expect(r.vms[1].cpuShare).toBeLessThanOrEqual(1.5 + slackShare);
    expect(r.vms[3].cpuShare).toBeLessThanOrEqual(0.3 + slackShare);
    expect(r.vms[3].throttledPeriods).toBeGreaterThan(0);
    expect(r.utilisation).toBeLessThanOrEqual(1);
    expect(r.vms.reduce((a, v) => a + v.cpuShare, 0)).toBeLessThanOrEqual(4 + 1e-9);
  });
});
