import { describe, expect, test } from "vitest";
import { currentHostOf, energySide, hostDraws } from "../../src/model/energy.js";
import { growCluster, growVm } from "../../src/model/growth.js";
import { DEFAULT_CURVE_SHAPE, defaultPeakWatts, kWhPerMonth, powerCurve, wattsAt } from "../../src/model/power.js";
import { parseCluster } from "../../src/model/validate.js";
import type { Vm } from "../../src/model/cluster.js";
import { parseOrThrow } from "../helpers/fixtures.js";

const io = (requestsPerSec: number) => ({ kind: "io" as const, requestsPerSec, serviceUs: 100 });
const base = (extra: Record<string, unknown> = {}) => ({
  hosts: [
    { id: "h1", cores: 10, memoryMiB: 65536, power: { idleWatts: 100, peakWatts: 300 } },
    { id: "h2", cores: 12, memoryMiB: 65536, power: { standbyWatts: 8 } },
  ],
  vms: [
    { id: "a", vcpus: 2, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 0.5 }, host: "h1" },
    { id: "b", vcpus: 4, memoryMiB: 1024, workload: io(2000), host: "h1" },
    { id: "c", vcpus: 1, memoryMiB: 1024, workload: io(500) },
  ],
  ...extra,
});

function problems(doc: unknown): string[] {
  const r = parseCluster(doc);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("power model", () => {
  test("the default curve is the SPECpower shape scaled to 100 W + 12 W per core", () => {
    const c = powerCurve(undefined, 12);
    expect(c).toHaveLength(11);
    expect(c[10]).toBeCloseTo(244, 9);
    // The x3550's own figures, scaled by 244/247: idle 66 W, 50% load 156 W.
    expect(c[0]).toBeCloseTo((66 * 244) / 247, 9);
    expect(c[5]).toBeCloseTo((156 * 244) / 247, 9);
    expect(DEFAULT_CURVE_SHAPE[10]).toBe(1);
    expect(defaultPeakWatts(64)).toBe(868);
  });

  test("idle and peak give a straight line; a curve is read between its points", () => {
    const line = powerCurve({ idleWatts: 100, peakWatts: 300, standbyWatts: 0 }, 8);
    expect(line[3]).toBeCloseTo(160, 9);
    const curve = [10, 20, 25, 30, 35, 40, 45, 50, 55, 60, 100];
    expect(wattsAt(curve, 0.05)).toBeCloseTo(15, 9);
    expect(wattsAt(curve, 0.95)).toBeCloseTo(80, 9);
    // Demand beyond the cores is charged at the top slope (60 -> 100 W over the last 10%).
    expect(wattsAt(curve, 1.7)).toBeCloseTo(100 + 0.7 * 10 * 40, 9);
    expect(wattsAt(curve, -1)).toBe(10);
  });

  test.each([
    [{ curveWatts: [1, 2, 3] }, "hosts[0].power.curveWatts: give 11 points"],
    [{ curveWatts: [5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4] }, "hosts[0].power.curveWatts: curveWatts must not decrease"],
    [{ idleWatts: 300, peakWatts: 100 }, "hosts[0].power.idleWatts: idleWatts must not exceed peakWatts"],
    [{ idleWatts: 30 }, "hosts[0].power.peakWatts: idleWatts needs peakWatts"],
    [{ idleWatts: 30, peakWatts: 90, curveWatts: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] }, "hosts[0].power: give curveWatts or idleWatts/peakWatts, not both"],
  ])("a bad power model is refused with its path: %j", (power, message) => {
    const doc = { hosts: [{ id: "h1", cores: 4, memoryMiB: 4096, power }], vms: [] };
    expect(problems(doc).some((p) => p.startsWith(message))).toBe(true);
  });

  test("a placement's draw: hosts with VMs on their curve at mean CPU demand, the others at standby", () => {
    const c = parseOrThrow(base());
    const draws = hostDraws(c, currentHostOf(c));
    // h1 holds a (2 vCPUs at 50%: 1 CPU) and b (2000 req/s x 100 us: 0.2 CPU): 1.2 of 10 cores.
    expect(draws[0]).toMatchObject({ on: true });
    expect(draws[0].utilisation).toBeCloseTo(0.12, 9);
    expect(draws[0].watts).toBeCloseTo(100 + 200 * 0.12, 9);
    expect(draws[1]).toEqual({ host: 1, on: false, utilisation: 0, watts: 8 });
    const side = energySide(draws, 0.5);
    // Rounded to 0.1 in the document.
    expect(side.watts).toBeCloseTo(132, 1);
    expect(side.kWhPerMonth).toBeCloseTo(132 * 0.73, 1);
    expect(side.kgCo2PerMonth).toBeCloseTo(132 * 0.73 * 0.5, 1);
    expect(kWhPerMonth(1000)).toBe(730);
  });
});

describe("services in the cluster document", () => {
  test("a valid service parses", () => {
    const c = parseOrThrow(base({ services: [{ id: "s", vms: ["b", "c"], fanout: 2, slo: { p99Ms: 5 } }] }));
    expect(c.services).toEqual([{ id: "s", vms: ["b", "c"], fanout: 2, slo: { p99Ms: 5 } }]);
  });

  test("every service mistake is reported with its path", () => {
    const doc = base({
      services: [
        { id: "s", vms: ["b", "zz", "b"], fanout: 4, slo: { p99Ms: 5 } },
        { id: "s", vms: ["a", "c"], fanout: 1, slo: { p999Ms: 9 } },
        { id: "t", vms: ["c"], fanout: 1, slo: {} },
      ],
    });
    expect(problems(doc)).toEqual([
      "services[0].fanout: fan-out 4 is more than the service's 3 VM(s)",
      "services[0].vms[1]: unknown VM \"zz\"",
      "services[0].vms[2]: VM \"b\" is named twice",
      "services[1].id: duplicate service id \"s\"",
      "services[1].vms[0]: VM \"a\" has no io part: a service's tail is its members' request latency (give its workload requests)",
      "services[2].slo: give p99Ms, p999Ms or both",
    ]);
  });

  test("a VM serves one service only", () => {
    const doc = base({ services: [{ id: "s", vms: ["b"], fanout: 1, slo: { p99Ms: 5 } }, { id: "t", vms: ["b", "c"], fanout: 1, slo: { p99Ms: 5 } }] });
    expect(problems(doc)).toEqual(['services[1].vms[0]: VM "b" already belongs to service "s" (a VM serves one service)']);
  });
});

describe("load growth", () => {
  test("requests and duty cycles grow, duty stops at 1 and sizes stay", () => {
    const c = parseOrThrow(base());
    const [a, b] = growCluster(c, 50).vms as [Vm, Vm];
    expect(a.workload).toMatchObject({ kind: "cpu", dutyCycle: 0.75 });
    expect(b.workload).toMatchObject({ kind: "io", requestsPerSec: 3000, serviceUs: 100 });
    expect([a.vcpus, a.memoryMiB]).toEqual([2, 1024]);
    expect(growVm(a, 3).workload).toMatchObject({ dutyCycle: 1 });
    expect(growCluster(c, 0)).toBe(c);
  });

  test("a tick-dodging attacker keeps its clock window: its demand is not a load that grows", () => {
    const w = { kind: "tick-dodge", tickMs: 10, runUntilMs: 9.5, wakeAfterUs: 50, dodgeFromMs: 0 } as const;
    const vm: Vm = { ...(parseOrThrow(base()).vms[0] as Vm), workload: w };
    expect(growVm(vm, 1.5).workload).toEqual(w);
  });
});
