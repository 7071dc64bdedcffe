import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ClusterSchema } from "../../src/model/cluster.js";
import { parseCluster } from "../../src/model/validate.js";
import { ScenarioSchema } from "../../src/model/scenario.js";

const sample = JSON.parse(readFileSync("data/sample-cluster.json", "utf8")) as unknown;

function problemsOf(doc: unknown): { path: string; message: string }[] {
  const r = parseCluster(doc);
  if (r.ok) throw new Error("expected problems");
  return r.problems;
}

const minimal = () => ({
  hosts: [{ id: "h1", cores: 4, memoryMiB: 16384 }],
  vms: [{ id: "v1", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 10, serviceUs: 100 } }] as Record<string, unknown>[],
  constraints: [] as unknown[],
});

describe("cluster document", () => {
  test("the sample parses and a parsed document round-trips unchanged", () => {
    const r = parseCluster(sample);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const again = ClusterSchema.parse(JSON.parse(JSON.stringify(r.value)));
    expect(again).toEqual(r.value);
  });

  test("parse fills every default so the result is complete", () => {
    const r = parseCluster(minimal());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.value;
    expect(c.hosts[0].cost).toBe(1);
    expect(c.hosts[0].scheduler).toEqual({
      kind: "xen-credit", timesliceMs: 30, ratelimitUs: 1000, accounting: "exact", weightPer: "vcpu",
      inactiveCredit: "halve", boostOnMigrate: false, migrationDelayUs: 0,
    });
    expect(c.vms[0]).toMatchObject({ weight: 256, capPercent: 0, cpuWeight: 100, labels: {} });
    expect(c.vms[0].workload).toMatchObject({ arrival: "poisson" });
    expect(c.policy).toEqual({
      cpuOvercommit: 2, objective: "min-cost", seed: 1, timeBudgetMs: 10000, forbidBobtail: false,
      // QEMU's 300 ms downtime-limit, Xen's 30 pre-copy iterations, a 10 Gbit/s link shared by 2 migrations.
      migration: { bandwidthMbps: 10000, concurrentPerHost: 2, maxDowntimeMs: 300, maxRounds: 30, switchoverMs: 50, dirtyMiBpsPerCpu: 32, cpuCoresPerGbps: 0.1 },
      disruptionBudgets: [],
      pinned: [],
      robustness: "none", headroomPercent: 0, gridKgCo2PerKWh: 0.475,
    });
    expect(c.services).toEqual([]);
  });

  test("kvm-cfs defaults are the single-CPU upstream tunables with log scaling and HZ 1000", () => {
    const doc = minimal();
    (doc.hosts[0] as Record<string, unknown>).scheduler = { kind: "kvm-cfs" };
    const r = parseCluster(doc);
    expect(r.ok && r.value.hosts[0].scheduler).toMatchObject({
      latencyUs: 6000, minGranularityUs: 750, wakeupGranularityUs: 1000, tickUs: 1000, tunableScaling: "log",
      haltPollUs: 200, cfsPeriodUs: 100000, bandwidthSliceUs: 5000, gentleFairSleepers: true,
    });
  });

  test("a scenario parses with its defaults", () => {
    const s = ScenarioSchema.parse({ host: { id: "h", cores: 2, memoryMiB: 1024 }, vms: [] });
    expect(s).toMatchObject({ durationMs: 60000, warmupMs: 2000, seed: 1 });
  });
});

describe("problems name their JSON path", () => {
  test.each([
    ["dutyCycle given as a percentage", (d: ReturnType<typeof minimal>) => { d.vms[0].workload = { kind: "cpu", dutyCycle: 60 }; }, "vms[0].workload.dutyCycle", /\(0, 1\]/],
    ["dutyCycle of zero", (d: ReturnType<typeof minimal>) => { d.vms[0].workload = { kind: "cpu", dutyCycle: 0 }; }, "vms[0].workload.dutyCycle", /\(0, 1\]/],
    ["unknown workload kind", (d: ReturnType<typeof minimal>) => { d.vms[0].workload = { kind: "gpu" }; }, "vms[0].workload.kind", /./],
    ["negative memory", (d: ReturnType<typeof minimal>) => { d.vms[0].memoryMiB = -5; }, "vms[0].memoryMiB", /./],
    ["misspelt field", (d: ReturnType<typeof minimal>) => { d.vms[0].capPercnt = 5; }, "vms[0]", /capPercnt/],
    ["duplicate VM id", (d: ReturnType<typeof minimal>) => { d.vms.push({ ...d.vms[0] }); }, "vms[1].id", /duplicate id "v1"/],
    ["unknown current host", (d: ReturnType<typeof minimal>) => { d.vms[0].host = "nope"; }, "vms[0].host", /"nope" is not a host/],
    ["VM bigger than every host", (d: ReturnType<typeof minimal>) => { d.vms[0].memoryMiB = 1 << 20; }, "vms[0]", /no host can take it/],
    ["more vCPUs than any host has cores", (d: ReturnType<typeof minimal>) => { d.vms[0].vcpus = 6; }, "vms[0]", /no host can take it/],
    ["constraint naming an unknown VM", (d: ReturnType<typeof minimal>) => { d.constraints.push({ kind: "anti-affinity", vms: ["v1", "ghost"] }); }, "constraints[0].vms[1]", /unknown VM "ghost"/],
    ["host label no host carries", (d: ReturnType<typeof minimal>) => { d.constraints.push({ kind: "host-label", vms: ["v1"], label: "rack", value: "r9" }); }, "constraints[0]", /no host has label rack=r9/],
    ["cap above the VM's vCPUs", (d: ReturnType<typeof minimal>) => { d.vms[0].capPercent = 150; }, "vms[0].capPercent", /at most 100/],
  ])("%s", (_name, mutate, path, message) => {
    const doc = minimal();
    mutate(doc);
    const problems = problemsOf(doc);
    expect(problems.some((p) => p.path === path && message.test(p.message)), JSON.stringify(problems)).toBe(true);
  });

  test("an affinity group that fits no single host is reported on the constraint", () => {
    const doc = minimal();
    doc.vms = ["a", "b", "c"].map((id) => ({ id, vcpus: 2, memoryMiB: 8192, workload: { kind: "idle" } }));
    doc.constraints.push({ kind: "affinity", vms: ["a", "b", "c"] });
    const problems = problemsOf(doc);
    expect(problems).toEqual([{ path: "constraints[0]", message: expect.stringMatching(/24576 MiB together/) }]);
  });

  test("every problem is reported at once, not the first only", () => {
    const doc = JSON.parse(readFileSync("test/fixtures/five-mistakes.json", "utf8")) as unknown;
    // One shape mistake (a percentage as dutyCycle) and four semantic ones, all reported.
    expect(problemsOf(doc).map((p) => p.path)).toEqual([
      "constraints[0].vms[1]",
      "hosts[1].id",
      "vms[0].workload.dutyCycle",
      "vms[1]",
      "vms[2].host",
    ]);
  });
});

describe("problems in one part do not echo into others", () => {
  test("a host with a shape mistake is still a host its VMs may name, and VMs are not called too big", () => {
    const doc = minimal();
    (doc.hosts[0] as Record<string, unknown>).cores = 0;
    doc.vms[0].host = "h1";
    expect(problemsOf(doc)).toEqual([{ path: "hosts[0].cores", message: expect.any(String) }]);
  });

  test("with no well-shaped host, reference checks still run", () => {
    const doc = minimal();
    (doc.hosts[0] as Record<string, unknown>).memoryMiB = "lots";
    doc.vms[0].host = "nowhere";
    expect(problemsOf(doc).map((p) => p.path)).toEqual(["hosts[0].memoryMiB", "vms[0].host"]);
  });
});
