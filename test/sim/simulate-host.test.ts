import { describe, expect, test } from "vitest";
import { HostSimResultSchema } from "../../src/model/scenario.js";
import { defaultScheduler } from "../../src/model/scheduler.js";
import type { SchedulerFactory } from "../../src/sim/cpu-scheduler.js";
import { createRoundRobin } from "../../src/sim/schedulers/round-robin.js";
import { schedulerFactory } from "../../src/sim/schedulers/registry.js";
import { simulateHost } from "../../src/sim/simulate-host.js";
import { scenario } from "./helpers.js";

const rr: SchedulerFactory = (_params, nCpus) => createRoundRobin(nCpus);

/** Every workload kind on an overcommitted host, so scheduling decisions matter. */
const busy = (seed: number) =>
  scenario(
    2,
    [
      { id: "io", workload: { kind: "io", requestsPerSec: 1000, serviceUs: 50 } },
      { id: "cpu", vcpus: 2, workload: { kind: "cpu", dutyCycle: 0.6, burstMs: 5 } },
      { id: "mixed", workload: { kind: "mixed", io: { requestsPerSec: 300, serviceUs: 80 }, cpu: { dutyCycle: 0.4 } } },
      { id: "trace", workload: { kind: "trace", intervalSec: 0.5, utilisationPercent: [10, 70, 0, 100] } },
      { id: "idle", workload: { kind: "idle" } },
    ],
    { durationMs: 2000, warmupMs: 200, seed },
  );

describe("simulateHost", () => {
  test("same input and seed give byte-identical JSON; another seed does not", () => {
    const a = JSON.stringify(simulateHost(busy(3), { factory: rr }));
    const b = JSON.stringify(simulateHost(busy(3), { factory: rr }));
    const c = JSON.stringify(simulateHost(busy(4), { factory: rr }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  test("output parses with HostSimResultSchema and keeps the scenario's VM order", () => {
    const r = simulateHost(busy(1), { factory: rr });
    expect(HostSimResultSchema.parse(r)).toEqual(r);
    expect(r.vms.map((v) => v.id)).toEqual(["io", "cpu", "mixed", "trace", "idle"]);
    expect(r).toMatchObject({ hostId: "h1", scheduler: "round-robin", cores: 2, measuredUs: 2e6, seed: 1 });
    expect(r.eventsProcessed).toBeGreaterThan(1000);
    // Round-robin never leaves a vCPU without work on a pCPU, so the cores' busy time is exactly
    // the VMs' work; demand is about 2.1 CPUs, so the two cores are mostly busy.
    const total = r.vms.reduce((s, v) => s + v.cpuShare, 0);
    expect(total).toBeCloseTo(2 * r.utilisation, 9);
    expect(r.utilisation).toBeGreaterThan(0.75);
  });

  test.each(["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"] as const)("runs the %s policy from the registry deterministically", (kind) => {
    const s = busy(5);
    const a = simulateHost(s, { scheduler: defaultScheduler(kind) });
    expect(a.scheduler).toBe(kind);
    expect(HostSimResultSchema.safeParse(a).success).toBe(true);
    expect(JSON.stringify(simulateHost(s, { scheduler: defaultScheduler(kind) }))).toBe(JSON.stringify(a));
  });

  test("a policy built for other parameters is refused, not silently replaced", () => {
    const factory = schedulerFactory(defaultScheduler("xen-credit2"));
    expect(() => factory(defaultScheduler("kvm-eevdf"), 1)).toThrow(/xen-credit2 factory given "kvm-eevdf" parameters/);
  });
});
