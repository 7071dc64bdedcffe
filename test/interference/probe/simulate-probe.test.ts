import { describe, expect, test } from "vitest";
import { findSite, goodNeighbours, withProbe } from "../../../src/interference/probe/neighbourhood.js";
import { probeJobs, simulateProbe, type SimulatedProbe } from "../../../src/interference/probe/simulate-probe.js";
import { ProbeReportSchema, type ProbeParams } from "../../../src/model/probe.js";
import { defaultScheduler } from "../../../src/model/scheduler.js";
import { inlineRunner } from "../../../src/sim/runner.js";
import { SIMULATED_KINDS } from "../../../src/sim/schedulers/registry.js";
import { probeCluster } from "./probe-cluster.js";

const PARAMS: ProbeParams = { sleepUs: 100, thresholdMs: 10, lowMark: 13, highMark: 65, durationMs: 20_000, iterations: null };
const cluster = probeCluster();
const run = (hostId: string, vmId: string, extra: Partial<SimulatedProbe> = {}) =>
  simulateProbe({ site: findSite(cluster, hostId, vmId), params: PARAMS, seed: 1, failOn: "needs-test", ...extra }, inlineRunner);

describe("where the simulated probe runs", () => {
  test.each([
    ["bad", "nobody", /no VM "nobody"/],
    ["good", "tenant", /runs on host "bad", not "good"/],
    ["nowhere", "tenant", /no host "nowhere"/],
    [undefined, "floating", /has no current host/],
  ])("host %s, VM %s: %s", (host, vmId, message) => {
    expect(() => findSite(cluster, host, vmId)).toThrow(message);
  });

  test("without a host, the VM's current one", () => {
    const site = findSite(cluster, undefined, "tenant2");
    expect(site.host.id).toBe("good");
    expect(site.vms.map((v) => v.id)).toEqual(["tenant2", "one-cpu"]);
  });

  test("the tenant keeps its io part beside the probe; a CPU-bound tenant's bursts are set aside, and said so", () => {
    const tenant = withProbe(cluster.vms[0], PARAMS);
    expect(tenant.vm.workload).toEqual({ kind: "probe", sleepUs: 100, serviceUs: 5, thresholdMs: 10, io: { requestsPerSec: 1000, serviceUs: 50, arrival: "poisson" } });
    expect(tenant.note).toBeNull();
    const batch = withProbe(cluster.vms.find((v) => v.id === "batch")!, PARAMS);
    expect(batch.vm.workload).toEqual({ kind: "probe", sleepUs: 100, serviceUs: 5, thresholdMs: 10 });
    expect(batch.note).toMatch(/own CPU work \(cpu\) was set aside/);
  });

  test("a typical good neighbourhood keeps io and idle VMs and CPU VMs only while a core stays free", () => {
    // 4 cores, a 1-vCPU tenant: 2 CPU vCPUs fit (2 + 1 = 3 = cores - 1); the 2-vCPU batch VM does not.
    const ids = goodNeighbours(findSite(cluster, "bad", "tenant"), 1).map((v) => v.id);
    expect(ids).toEqual(["cpu0", "cpu1", "idle", "quiet"]);
  });

  test("a tenant without io gets the reference io part for the gain estimate: three runs, not two", () => {
    expect(probeJobs({ site: findSite(cluster, "bad", "tenant"), params: PARAMS, seed: 1, failOn: "needs-test" })).toHaveLength(2);
    const jobs = probeJobs({ site: findSite(cluster, "bad", "batch"), params: PARAMS, seed: 1, failOn: "needs-test" });
    expect(jobs).toHaveLength(3);
    expect(jobs[1].scenario.vms[0].workload).toMatchObject({ kind: "probe", io: { requestsPerSec: 1000, serviceUs: 50 } });
  });
});

describe("the simulated probe's report", () => {
  test("credit1, six sleepy 30 ms CPU VMs on 4 cores: BAD, replace, with a gain of more than 10 ms at p99.9", async () => {
    const r = ProbeReportSchema.parse(await run("bad", "tenant"));
    expect(r.mode).toBe("simulated");
    expect(r.verdict).toBe("BAD");
    expect(r.status).toBe("incomplete");
    expect(r.recommendation.action).toBe("replace");
    expect(r.recommendation.expectedP999?.gainMs).toBeGreaterThan(10);
    // "this" is the probe run's own io p99.9 (the tenant has io), reported in the neighbourhood too.
    expect(r.recommendation.expectedP999?.thisMs).toBe(r.neighbourhood?.ioP999Ms);
    expect(r.neighbourhood).toMatchObject({ hostId: "bad", vmId: "tenant", cores: 4, sleepyCpuVcpus: 6 + 2, hogVcpus: 0, victimVcpus: 1, simulatedMs: 20_000 });
    expect(r.oversleep.counts.reduce((s, c) => s + c, 0)).toBe(r.oversleep.iterations);
  });

  test("same site, seed and parameters: the same report, byte for byte", async () => {
    expect(JSON.stringify(await run("bad", "tenant"))).toBe(JSON.stringify(await run("bad", "tenant")));
  });

  // Scheduler-agnostic: every policy the registry simulates, through the registry (no list here).
  test.each(SIMULATED_KINDS)("%s: one CPU VM on 4 cores reads GOOD, keep, and replacing would gain nothing", async (kind) => {
    const r = await run("good", "tenant2", { scheduler: defaultScheduler(kind) });
    expect(r.neighbourhood?.scheduler).toBe(kind);
    expect(r.verdict).toBe("GOOD");
    expect(r.status).toBe("ok");
    expect(r.recommendation.action).toBe("keep");
    // The good neighbourhood of this host is this host: the same run, the same p99.9.
    expect(r.recommendation.expectedP999?.gainMs).toBe(0);
  });
});
