import { describe, expect, test } from "vitest";
import { ScenarioSchema, type HostSimResult } from "../../../src/model/scenario.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { cfsFactory, fairScenario, hog, ioVm, sleepy } from "./helpers.js";

// Quiet ticks (kvm-fair/quiet-tick.ts) leave the event queue and are owed to each CPU until it is
// next touched (kvm-fair/tick-debt.ts), also inside tick events where only some CPUs are noisy:
// every result must be the one of a run that queues every tick and does it on every CPU, to the
// byte, with fewer events. The lazy runs verify the invariants after every event (on CPUs owed
// ticks too) without syncing them, so they are as lazy as unverified runs. The scenarios reach
// what makes a CPU noisy or quiet: lone and shared CPUs, multi-vCPU VMs (group weights that follow
// other CPUs), caps (quota spent at ticks), halt-polling timers on the tick grid, cpu.weight,
// short slices, and a bandwidth period equal to the tick (its timer and the tick share instants).

const withoutEvents = (r: HostSimResult) => JSON.stringify({ ...r, eventsProcessed: 0 });

const CASES = [
  { name: "1-vCPU VMs, 8 CPUs", cores: 8, vms: [{ workload: ioVm(400, 80) }, ...Array.from({ length: 11 }, () => ({ workload: sleepy(0.6, 12) }))] },
  { name: "multi-vCPU VMs and weights", cores: 3, vms: [{ vcpus: 2, workload: sleepy(0.4, 5) }, { vcpus: 3, cpuWeight: 300, workload: sleepy(0.3, 2) }, { workload: ioVm() }] },
  { name: "caps", cores: 2, vms: [{ capPercent: 50, workload: hog }, { workload: sleepy(0.5) }, { workload: ioVm() }] },
  { name: "short slice, short tick", cores: 2, vms: [{ schedRuntimeUs: 200, workload: ioVm() }, { workload: sleepy(0.7) }], scheduler: { tickUs: 4000, cfsPeriodUs: 4000, haltPollUs: 4000 } },
  { name: "quota period = tick", cores: 2, vms: [{ capPercent: 80, vcpus: 2, workload: sleepy(0.9) }, { workload: sleepy(0.2, 3) }], scheduler: { tickUs: 4000, cfsPeriodUs: 4000 } },
] as const;

describe.each(["kvm-cfs", "kvm-eevdf"] as const)("%s: quiet ticks replayed", (kind) => {
  test.each(CASES)("$name: same results as queueing every tick, fewer events", (c) => {
    const s = fairScenario(kind, c.cores, [...c.vms], { durationMs: 2000, seed: 5, scheduler: "scheduler" in c ? c.scheduler : {} });
    const lazy = simulateHost(s, { factory: cfsFactory({ verify: true }) });
    const every = simulateHost(s, { factory: cfsFactory({ everyTick: true }) });
    expect(withoutEvents(lazy)).toBe(withoutEvents(every));
    expect(lazy.eventsProcessed).toBeLessThanOrEqual(every.eventsProcessed);
  });

  test("a driver domain billing its work to the guests (chargeFor from a timer of the same microsecond)", () => {
    const s = ScenarioSchema.parse({
      host: {
        id: "h",
        cores: 3,
        memoryMiB: 1 << 20,
        scheduler: { kind },
        driverDomain: { vcpus: 1, usPerPacket: 40, packetsPerRequest: 2, rxPacketsPerRequest: 1, chargeDriverWork: true },
      },
      vms: [
        { id: "a", vcpus: 1, memoryMiB: 1024, capPercent: 60, workload: ioVm(800, 100) },
        { id: "b", vcpus: 1, memoryMiB: 1024, workload: sleepy(0.5, 4) },
        { id: "c", vcpus: 1, memoryMiB: 1024, workload: ioVm(300, 60) },
      ],
      durationMs: 2000,
      warmupMs: 200,
      seed: 3,
    });
    const lazy = simulateHost(s, { factory: cfsFactory({ verify: true }) });
    const every = simulateHost(s, { factory: cfsFactory({ everyTick: true }) });
    expect(withoutEvents(lazy)).toBe(withoutEvents(every));
  });

  test("a host where every CPU runs one thread queues almost no ticks", () => {
    // Two hogs on two CPUs: after the first tick finds each alone, no tick decides anything.
    const s = fairScenario(kind, 2, [{ workload: hog }, { workload: hog }], { durationMs: 2000 });
    const lazy = simulateHost(s, { factory: cfsFactory({}) });
    const every = simulateHost(s, { factory: cfsFactory({ everyTick: true }) });
    expect(withoutEvents(lazy)).toBe(withoutEvents(every));
    expect(every.eventsProcessed - lazy.eventsProcessed).toBeGreaterThan(2000);
  });
});
