import { describe, expect, test } from "vitest";
import { chargingAdvice } from "../../src/interference/driver-advice.js";
import { driverCpusFor } from "../../src/interference/driver-load.js";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { Metric } from "../../src/interference/predictor.js";
import { profileVm } from "../../src/interference/profile.js";
import { scoreCluster } from "../../src/interference/score.js";
import type { ClusterInput } from "../../src/model/cluster.js";
import { PlanSchema } from "../../src/model/plan.js";
import { planCluster } from "../../src/placement/plan.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { bundledPredictor, parseOrThrow } from "../helpers/fixtures.js";

const predictor = bundledPredictor();
const driver = { vcpus: 1, usPerPacket: 60, packetsPerRequest: 2, rxPacketsPerRequest: 1 };

/** The E11 host as a cluster: a capped web server and a CPU-bound neighbour on 2 cores. */
function e11Cluster(extra: { chargeDriverWork?: boolean; cores?: number; capPercent?: number } = {}): ClusterInput {
  return {
    hosts: [{ id: "h", cores: extra.cores ?? 2, memoryMiB: 65536, driverDomain: { ...driver, chargeDriverWork: extra.chargeDriverWork ?? false } }],
    vms: [
      { id: "web", vcpus: 1, memoryMiB: 1024, capPercent: extra.capPercent ?? 50, host: "h", workload: { kind: "io", requestsPerSec: 2000, serviceUs: 300 } },
      { id: "batch", vcpus: 2, memoryMiB: 1024, host: "h", workload: { kind: "cpu", dutyCycle: 1, burstMs: 10 } },
    ],
  };
}

describe("driver load in HostState", () => {
  const c = parseOrThrow({
    hosts: [
      { id: "with", cores: 4, memoryMiB: 65536, driverDomain: driver },
      { id: "without", cores: 4, memoryMiB: 65536 },
    ],
    vms: [
      { id: "web", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 1000, serviceUs: 100 }, slo: { p999Ms: 10 } },
      { id: "cpu", vcpus: 2, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 10 } },
    ],
  });
  const [web, cpu] = c.vms.map(profileVm);

  test("an io VM adds rate x packets x usPerPacket of driver CPU to its host's demand; a cpu VM adds none", () => {
    const s = new HostState(c.hosts[0], predictor);
    s.add(web, victimTerms(web, predictor));
    // 1,000 req/s x 2 packets x 60 us = 0.12 CPU, on top of the VM's own 0.1.
    expect(s.driverCpus).toBeCloseTo(0.12, 9);
    expect(s.demandCpus).toBeCloseTo(0.1 + 0.12, 9);
    s.add(cpu, undefined);
    expect(s.driverCpus).toBeCloseTo(0.12, 9);
    s.remove(web, victimTerms(web, predictor));
    expect(s.driverCpus).toBeCloseTo(0, 9);
  });

  test("the same VMs leave less SLO slack on the host whose requests cross a driver domain", () => {
    const [withD, without] = c.hosts.map((h) => {
      const s = new HostState(h, predictor);
      s.add(web, victimTerms(web, predictor));
      s.add(cpu, undefined);
      return s;
    });
    const slackWith = withD.worstSlackUs();
    const slackWithout = without.worstSlackUs();
    // At least the rx service itself (1 packet x 60 us) lies on the path.
    expect(slackWithout - slackWith).toBeGreaterThanOrEqual(60);
    withD.delayUs(Metric.RequestP999);
    expect(withD.driverHopUs(Metric.RequestP999)).toBeCloseTo(slackWithout - slackWith, 6);
    expect(without.driverHopUs(Metric.RequestP999)).toBe(0);
  });
});

describe("driver domain in score", () => {
  test("a host's driver block lists per-guest driver CPU, and its VMs' predictions include the hop", () => {
    const r = scoreCluster(parseOrThrow(e11Cluster()), predictor);
    const h = r.hosts[0];
    expect(h.driverDomain?.name).toBe("dom0");
    expect(h.driverDomain?.driverCpus).toBeCloseTo(driverCpusFor({ ...driver, weight: 256, cpuWeight: 100, capPercent: 0, chargeDriverWork: false }, 2000), 3);
    expect(h.driverDomain?.guests.map((g) => g.vmId)).toEqual(["web"]);
    const web = r.vms.find((v) => v.vmId === "web");
    expect(web?.driverHopP999Us).toBeGreaterThanOrEqual(60);
  });

  test("a cluster without driver domains scores exactly as before: no driver fields", () => {
    const doc = e11Cluster();
    delete (doc.hosts[0] as { driverDomain?: unknown }).driverDomain;
    const r = scoreCluster(parseOrThrow(doc), predictor);
    expect(r.hosts[0].driverDomain).toBeUndefined();
    expect(r.vms[0].driverHopP999Us).toBeUndefined();
  });
});

describe("chargingAdvice (the hook for advise)", () => {
  test("E11 host, charging off: the capped web server exceeds its 0.5 by dom0's 0.24, and charging returns that to the others", () => {
    const c = parseOrThrow(e11Cluster());
    const a = chargingAdvice(c.hosts[0], c.vms);
    expect(a?.wouldFix).toBe(true);
    expect(a?.contended).toBe(true);
    expect(a?.enforcement).toBe("exact");
    // own 0.5 (its cap; it wants 0.6) + 2,000 x 2 x 60 us = 0.74 against 0.5.
    expect(a?.overEntitled.map((o) => o.vmId)).toEqual(["web"]);
    expect(a?.recoveredCpus).toBeCloseTo(0.24, 9);
  });

  test("charging already on: nothing to fix", () => {
    const c = parseOrThrow(e11Cluster({ chargeDriverWork: true }));
    expect(chargingAdvice(c.hosts[0], c.vms)?.wouldFix).toBe(false);
    expect(chargingAdvice(c.hosts[0], c.vms)?.alreadyOn).toBe(true);
  });

  test("spare cores: the excess hurts nobody, so charging would not fix anything", () => {
    const c = parseOrThrow(e11Cluster({ cores: 8 }));
    const a = chargingAdvice(c.hosts[0], c.vms);
    expect(a?.overEntitled.length).toBe(1);
    expect(a?.contended).toBe(false);
    expect(a?.wouldFix).toBe(false);
  });

  test("a host without a driver domain has no advice", () => {
    const doc = e11Cluster();
    delete (doc.hosts[0] as { driverDomain?: unknown }).driverDomain;
    const c = parseOrThrow(doc);
    expect(chargingAdvice(c.hosts[0], c.vms)).toBeUndefined();
  });
});

describe("driver domain in placement", () => {
  test("a VM whose SLO the driver hop would break goes to the dearer host without one, and simulation agrees", async () => {
    // h1's dom0 spends 3 ms per request before the guest sees it: a 2 ms p99.9 SLO cannot hold there.
    const c = parseOrThrow({
      hosts: [
        { id: "h1", cores: 4, memoryMiB: 16384, cost: 1, driverDomain: { usPerPacket: 3000, packetsPerRequest: 1, rxPacketsPerRequest: 1 } },
        { id: "h2", cores: 4, memoryMiB: 16384, cost: 1.5 },
      ],
      vms: [{ id: "web", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 50, serviceUs: 100 }, slo: { p999Ms: 2 } }],
      policy: { seed: 3 },
    });
    const plan = PlanSchema.parse(
      await planCluster(c, predictor, { solver: "heuristic", iterations: 50, validation: { runner: inlineRunner, durationMs: 3000, warmupMs: 500, maxRounds: 1 } }),
    );
    expect(plan.assignments).toEqual([{ vm: "web", host: "h2" }]);
    // The predictor chose h2; no repair after simulation moved it there.
    expect(plan.validation.repairs).toEqual([]);
    expect(plan.slo.simulatedBreachesAfter).toBe(0);
  });
});
