import { describe, expect, test } from "vitest";
import { buildInterferenceGraph, mostHarmfulNeighbours, spreadGroups } from "../../src/interference/graph.js";
import { PlacementScoreSchema } from "../../src/interference/current-placement.js";
import { scoreCluster, ScoreReportSchema } from "../../src/interference/score.js";
import { runCli } from "../helpers/cli.js";
import { parseOrThrow } from "../helpers/fixtures.js";
import { bundledPredictor, loadCluster } from "./helpers.js";

const predictor = bundledPredictor();
const sample = loadCluster("data/sample-cluster.json");

describe("scoring the sample cluster", () => {
  const report = scoreCluster(sample, predictor);

  test("names the hot-spot host and the VM that suffers there, and no healthy host", () => {
    expect(ScoreReportSchema.parse(report)).toEqual(report);
    const atRisk = report.hosts.filter((h) => h.breaches > 0 || h.level === "high");
    expect(atRisk.map((h) => h.hostId)).toEqual(["h07"]);
    expect(report.hosts[0]).toMatchObject({ hostId: "h07", bobtail: true, sleepyCpuVcpus: 6, cores: 4 });
    const breaches = report.vms.filter((v) => v.breach);
    expect(breaches.map((v) => v.vmId)).toEqual(["web-3"]);
    expect(breaches[0]).toMatchObject({ hostId: "h07", reason: "bobtail", level: "high" });
    expect(breaches[0].predictedP999Us).toBeGreaterThan(breaches[0].sloP999Us ?? Infinity);
  });

  test("latency-sensitive VMs on healthy hosts are predicted within their SLO", () => {
    for (const v of report.vms.filter((x) => x.hostId !== "h07")) expect(v.breach, v.vmId).toBe(false);
  });

  test("vmplace score prints the hot spot with its reason, exits 3 for its breach, and --json parses", () => {
    const r = runCli(["score", "data/sample-cluster.json"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/host h07: risk high/);
    expect(r.stdout).toMatch(/6 sleepy CPU-intensive vCPU\(s\).*on 4 cores under xen-credit with 30 ms slices/);
    expect(r.stdout).toMatch(/web-3\s+on h07\s+predicted p99.9 [\d.]+ ms \(99.5% bound [\d.]+ ms\) vs SLO 5.00 ms\s+BREACH/);
    expect(r.stdout).not.toMatch(/host h0[1-68]/);
    const j = runCli(["score", "data/sample-cluster.json", "--json"]);
    const doc = PlacementScoreSchema.parse(JSON.parse(j.stdout));
    expect(doc.hosts[0].hostId).toBe("h07");
    expect(doc).toMatchObject({ status: "incomplete", reasons: [{ kind: "breach", count: 1 }], violations: [] });
  });
});

// Issue 11: the level follows predicted harm against the SLO, whatever the scheduler; the Bobtail
// count is the reason, not the verdict. On main the CFS host below was "risk low, 1 breach(es)"
// while the credit1 host, in the Bobtail condition but within its loose SLO, was "risk high".
describe("risk levels follow predicted harm, for every scheduler", () => {
  const vm = (id: string, host: string, workload: object, slo?: number) => ({ id, host, vcpus: 1, memoryMiB: 1024, workload, ...(slo ? { slo: { p999Ms: slo } } : {}) });
  const sleepers = (host: string, n: number, burstMs: number) => Array.from({ length: n }, (_, k) => vm(`${host}-s${k}`, host, { kind: "cpu", dutyCycle: 0.7, burstMs }));
  const doc = parseOrThrow({
    hosts: [
      { id: "cfs", cores: 4, memoryMiB: 65536, scheduler: { kind: "kvm-cfs" } },
      { id: "xen", cores: 4, memoryMiB: 65536, scheduler: { kind: "xen-credit" } },
    ],
    vms: [vm("web-cfs", "cfs", { kind: "io", requestsPerSec: 1500, serviceUs: 80 }, 5), ...sleepers("cfs", 7, 20), vm("web-xen", "xen", { kind: "io", requestsPerSec: 300, serviceUs: 80 }, 500), ...sleepers("xen", 5, 3)],
  });
  const report = scoreCluster(doc, predictor);
  const host = (id: string) => report.hosts.find((h) => h.hostId === id)!;
  const victim = (id: string) => report.vms.find((v) => v.vmId === id)!;

  test("a CFS host whose victim is predicted over its SLO is high; a Bobtail host within a loose SLO is not", () => {
    expect(victim("web-cfs").predictedP999Us).toBeGreaterThan(5000);
    expect(victim("web-cfs")).toMatchObject({ breach: true, level: "high", reason: "cfs-fresh-sleeper" });
    expect(host("cfs")).toMatchObject({ level: "high", breaches: 1 });
    expect(host("xen")).toMatchObject({ bobtail: true, breaches: 0 });
    expect(host("xen").level).not.toBe("high");
    expect(report.hosts[0].hostId).toBe("cfs");
  });

  test("every victim carries its estimate, a bound at or above it with its coverage, and the mechanism's numbers", () => {
    for (const v of report.vms) {
      expect(v.boundP999Us).toBeGreaterThanOrEqual(v.predictedP999Us);
      expect(v.boundCoverage).toBe(0.995);
      expect(v.pAllCoresHeld).toBeGreaterThan(0.1);
    }
  });
});

describe("reasons follow the predicted harm, for every scheduler", () => {
  const kinds = ["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"] as const;
  const io = (id: string, host: string, rps: number, serviceUs: number, sloMs: number) => ({ id, host, vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: rps, serviceUs }, slo: { p999Ms: sloMs } });
  const sleepers = (host: string, n: number) => Array.from({ length: n }, (_, k) => ({ id: `${host}-s${k}`, host, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 0.6, burstMs: 10 } }));
  const hostOf = (id: string, kind: (typeof kinds)[number], extra: object = {}) => ({ id, cores: 4, memoryMiB: 65536, scheduler: { kind }, ...extra });
  const doc = parseOrThrow({
    hosts: kinds.flatMap((k) => [hostOf(`own-${k}`, k), hostOf(`full-${k}`, k), hostOf(`drv-${k}`, k, { driverDomain: { usPerPacket: 3000, packetsPerRequest: 1, rxPacketsPerRequest: 1 } })]),
    vms: kinds.flatMap((k) => [
      // 4,000 req/s x 200 us on one vCPU: 80% busy alone, its p99.9 far over 0.5 ms on any host.
      io(`own-${k}-web`, `own-${k}`, 4000, 200, 0.5),
      // A full host but a loose SLO: the mechanism is there, the harm is not.
      io(`full-${k}-web`, `full-${k}`, 500, 80, 50),
      ...sleepers(`full-${k}`, 6),
      // Every request spends 3 ms in the driver before its guest sees it; the cores are free.
      io(`drv-${k}-web`, `drv-${k}`, 50, 100, 2),
    ]),
  });
  const report = scoreCluster(doc, predictor);
  const vm = (id: string) => report.vms.find((v) => v.vmId === id)!;

  test.each(kinds)("%s: own load is named as such, a driver hop as such, and a full host within a loose SLO carries no risk", (k) => {
    expect(vm(`own-${k}-web`)).toMatchObject({ level: "high", breach: true, reason: "own-load" });
    expect(vm(`drv-${k}-web`)).toMatchObject({ level: "high", breach: true, reason: "driver-hop" });
    expect(vm(`full-${k}-web`).level).toBe("none");
    expect(report.hosts.find((h) => h.hostId === `full-${k}`)?.level).toBe("none");
    expect(report.hosts.find((h) => h.hostId === `own-${k}`)).toMatchObject({ level: "high", reason: "own-load" });
  });
});

describe("interference graph", () => {
  const g = buildInterferenceGraph(sample, predictor);

  test("the most harmful neighbours of the hot-spot victim are its sleepy neighbours", () => {
    const top = mostHarmfulNeighbours(g, "web-3", 3);
    expect(top).toHaveLength(3);
    for (const n of top) {
      expect(n.vmId).toMatch(/^sleepy-/);
      expect(n.harmUs).toBeGreaterThan(0);
    }
  });

  test("constraints become typed edges and hard anti-affinity groups must be spread", () => {
    expect(g.someEdge((_e, a, s, t) => a.kind === "affinity" && a.soft && s === "db-1" && t === "cache-1")).toBe(true);
    const groups = spreadGroups(g);
    expect(groups.some((grp) => grp.includes("web-1") && grp.includes("web-2"))).toBe(true);
    expect(groups.some((grp) => grp.includes("cache-1") && grp.includes("cache-2"))).toBe(true);
    expect(groups.some((grp) => grp.includes("web-3") && grp.some((v) => v.startsWith("sleepy-")))).toBe(true);
  });
});
