import { describe, expect, test } from "vitest";
import { chargingAdvice } from "../../src/interference/driver-advice.js";
import { driverCpusFor } from "../../src/interference/driver-load.js";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { newPrediction, Pct } from "../../src/interference/predictor.js";
import { profileVm } from "../../src/interference/profile.js";
import { scoreCluster } from "../../src/interference/score.js";
import type { ClusterInput } from "../../src/model/cluster.js";
import { PlanSchema } from "../../src/model/plan.js";
import { EnvelopeCache } from "../../src/placement/interference-cap.js";
import { planCluster } from "../../src/placement/plan.js";
import { buildProblem } from "../../src/placement/problem.js";
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
    const vw = victimTerms(web, predictor);
    s.add(web, vw);
    // 1,000 req/s x 2 packets x 60 us = 0.12 CPU, on top of the VM's own 0.1.
    expect(s.driverCpus).toBeCloseTo(0.12, 9);
    expect(s.demandCpus).toBeCloseTo(0.1 + 0.12, 9);
    s.add(cpu, undefined);
    expect(s.driverCpus).toBeCloseTo(0.12, 9);
    s.remove(web, vw);
    expect(s.driverCpus).toBeCloseTo(0, 9);
  });

  test("the same VMs get a later estimate and less SLO slack on the host whose requests cross a driver domain", () => {
    const [withD, without] = c.hosts.map((h) => {
      const s = new HostState(h, predictor);
      s.add(web, victimTerms(web, predictor));
      s.add(cpu, undefined);
      return s;
    });
    const v = victimTerms(web, predictor)!;
    const hop = withD.driverHopUs(Pct.P999);
    // At least the rx service itself (1 packet x 60 us) lies on the path.
    expect(hop).toBeGreaterThanOrEqual(60);
    expect(without.driverHopUs(Pct.P999)).toBe(0);
    const estWith = withD.predictVictim(v, newPrediction()).estimateUs[Pct.P999];
    const estWithout = without.predictVictim(v, newPrediction()).estimateUs[Pct.P999];
    expect(estWith - estWithout).toBeGreaterThanOrEqual(60);
    // The hop is the estimate's driver part: the guest's own part barely moves (the driver's light vCPU joins its neighbours).
    expect(Math.abs(estWith - hop - estWithout)).toBeLessThan(0.1 * estWithout);
    expect(without.worstSlackUs() - withD.worstSlackUs()).toBeGreaterThanOrEqual(60);
    // Uncalibrated: the driver host's bound is widened and says why.
    expect(withD.outsideReasons().some((r) => r.includes("driver domain"))).toBe(true);
  });

  test("asking with an extra io VM equals adding it and asking, driver load included", () => {
    const s = new HostState(c.hosts[0], predictor);
    s.add(cpu, undefined);
    const v = victimTerms(web, predictor)!;
    const fitsIf = s.fits(web, v);
    const slackIf = s.worstSlackUs(web, v);
    const hopIf = s.driverHopUs(Pct.P999, web);
    const estIf = s.predictVictim(v, newPrediction(), web, true).estimateUs[Pct.P999];
    // ...and the what-if leaves the host as it was.
    expect(s.driverCpus).toBe(0);
    expect(s.driverHopUs(Pct.P999)).toBe(0);
    s.add(web, v);
    expect(s.fits()).toBe(fitsIf);
    expect(s.worstSlackUs()).toBeCloseTo(slackIf, 1);
    expect(s.driverHopUs(Pct.P999)).toBeCloseTo(hopIf, 3);
    expect(s.predictVictim(v, newPrediction()).estimateUs[Pct.P999]).toBeCloseTo(estIf, 1);
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

  test("the MILP's interference caps carry the driver: they refuse exactly where the exact filter refuses an empty host, never allow more than without a driver", () => {
    const host = (id: string, usPerPacket?: number) => ({ id, cores: 8, memoryMiB: 65536, ...(usPerPacket ? { driverDomain: { vcpus: 1, usPerPacket, packetsPerRequest: 2, rxPacketsPerRequest: 1 } } : {}) });
    for (const sloMs of [2, 3, 10]) {
      const c = parseOrThrow({
        hosts: [host("plain"), host("light", 100), host("slow", 3000)],
        vms: [
          { id: "web", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 1000, serviceUs: 100 }, slo: { p999Ms: sloMs } },
          ...[0, 1, 2, 3].map((i) => ({ id: `cpu${i}`, vcpus: 2, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 0.6, burstMs: 10 } })),
        ],
      });
      const p = buildProblem(c, predictor);
      const env = new EnvelopeCache(p);
      const caps = p.hosts.map((h, i) => {
        const cap = env.cap(0, p.hostTypeOf[i]);
        // The LP refuses a host type (-1) exactly when the exact filter refuses the VM on an empty host of it.
        expect(cap === -1, `${h.id} at ${sloMs} ms`).toBe(!new HostState(h, predictor).fits(p.profiles[0], p.victims[0]));
        return cap;
      });
      expect(caps[0]).toBeGreaterThan(0);
      expect(caps[1]).toBeLessThanOrEqual(caps[0]);
      // 3 ms of driver service per request (two packets, one before the guest sees it): not even a 3 ms SLO.
      if (sloMs <= 3) expect(caps[2]).toBe(-1);
    }
  });

  test("a driver domain's vCPUs count against cpuOvercommit like a guest's: the host takes that many fewer guest vCPUs", () => {
    const c = parseOrThrow({
      hosts: [
        { id: "drv", cores: 2, memoryMiB: 65536, cost: 1, driverDomain: { vcpus: 2, usPerPacket: 10 } },
        { id: "plain", cores: 2, memoryMiB: 65536, cost: 1 },
      ],
      vms: [],
      policy: { cpuOvercommit: 2 },
    });
    const p = buildProblem(c, predictor);
    expect(p.types.map((t) => t.vcpuCap)).toEqual([2, 4]);
    expect(Array.from(p.hostVcpuCap)).toEqual([2, 4]);
  });
});
