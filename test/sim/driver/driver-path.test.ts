import { describe, expect, test } from "vitest";
import { ScenarioSchema, type HostSimResult } from "../../../src/model/scenario.js";
import type { SchedulerParams } from "../../../src/model/scheduler.js";
import { runHost } from "../../../src/sim/run-host.js";
import { createRoundRobin } from "../../../src/sim/schedulers/round-robin.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";

const io = (id: string, requestsPerSec: number, serviceUs: number): object => ({
  id,
  vcpus: 1,
  memoryMiB: 1024,
  workload: { kind: "io", requestsPerSec, serviceUs },
});

function scenario(kind: SchedulerParams["kind"], driverDomain: object | undefined, vms: object[], cores = 2): ReturnType<typeof ScenarioSchema.parse> {
  return ScenarioSchema.parse({
    host: { id: "h", cores, memoryMiB: 1 << 20, scheduler: { kind }, ...(driverDomain ? { driverDomain } : {}) },
    vms,
    durationMs: 10_000,
    warmupMs: 1000,
    seed: 7,
  });
}

describe("driver domain: attribution (the XenMon premise)", () => {
  // Two io guests at 300 and 900 req/s, a CPU hog beside them so the driver competes for pCPUs.
  const vms = [io("slow", 300, 100), io("fast", 900, 100), { id: "hog", vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 1, burstMs: 10 } }];
  const d = { usPerPacket: 30, packetsPerRequest: 3, rxPacketsPerRequest: 1 };

  test.each(["xen-credit", "kvm-cfs"] as const)("%s: driver CPU per guest is its packet count x usPerPacket", (kind) => {
    const r = simulateHost(scenario(kind, d, vms));
    const [slow, fast, hog] = r.vms;
    // Every packet costs exactly usPerPacket; only a packet in progress at either edge of the
    // measured window is split, so each guest is off by less than two packets' worth.
    for (const g of [slow, fast]) expect(Math.abs(g.driver!.cpuUs - g.driver!.packets * 30)).toBeLessThan(2 * 30);
    // Packets follow the request rates (3 per request): 18,000 and 54,000 +- Poisson noise (1%).
    expect(fast.driver!.packets / slow.driver!.packets).toBeGreaterThan(2.85);
    expect(fast.driver!.packets / slow.driver!.packets).toBeLessThan(3.15);
    expect(hog.driver!.packets).toBe(0);
    const attributed = slow.driver!.cpuUs + fast.driver!.cpuUs;
    expect(attributed).toBeCloseTo(r.driverDomain!.cpuUs, 6);
  });
});

describe("driver domain: the receive path is on the request's latency path", () => {
  test("on an idle host a request takes rx packets x usPerPacket + its own service", () => {
    const d = { usPerPacket: 40, packetsPerRequest: 4, rxPacketsPerRequest: 2 };
    const r = simulateHost(scenario("xen-credit", d, [io("web", 20, 300)], 4));
    // 2 x 40 us in dom0, then 300 us in the guest; the tx packets come after the response.
    // At 20 req/s on 4 idle pCPUs requests almost never queue: the mean is the sum of the two.
    expect(r.vms[0].requestLatency.meanUs).toBeGreaterThanOrEqual(380);
    expect(r.vms[0].requestLatency.meanUs).toBeLessThan(385);
    const without = simulateHost(scenario("xen-credit", undefined, [io("web", 20, 300)], 4));
    expect(without.vms[0].requestLatency.meanUs).toBeLessThan(305);
    expect(without.driverDomain).toBeUndefined();
    expect(without.vms[0].driver).toBeUndefined();
  });

  test("with no rx packets the guest is woken at once and all driver work follows the response", () => {
    const d = { usPerPacket: 40, packetsPerRequest: 2, rxPacketsPerRequest: 0 };
    const r = simulateHost(scenario("kvm-cfs", d, [io("web", 20, 300)], 4));
    expect(r.vms[0].requestLatency.meanUs).toBeLessThan(305);
    expect(r.vms[0].driver!.packets).toBeGreaterThan(0);
  });
});

describe("driver domain: charging needs a policy that can bill", () => {
  test("a policy without chargeFor refuses a charging host with a clear error", () => {
    const s = scenario("xen-credit", { chargeDriverWork: true }, [io("web", 100, 100)]);
    expect(() => runHost(s, createRoundRobin(2))).toThrow(/round-robin cannot charge driver work/);
  });

  test("rxPacketsPerRequest above packetsPerRequest is rejected by the schema, naming the field", () => {
    const r = ScenarioSchema.safeParse({
      host: { id: "h", cores: 2, memoryMiB: 1024, driverDomain: { packetsPerRequest: 1, rxPacketsPerRequest: 2 } },
      vms: [],
    });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("rxPacketsPerRequest");
  });
});

describe("driver domain: determinism", () => {
  test("same scenario and seed, same bytes, both modes", () => {
    for (const chargeDriverWork of [false, true]) {
      const s = scenario("xen-credit2", { chargeDriverWork }, [io("a", 500, 200), io("b", 800, 100)]);
      const a: HostSimResult = simulateHost(s);
      expect(JSON.stringify(simulateHost(s))).toBe(JSON.stringify(a));
    }
  });
});
