import { describe, expect, test } from "vitest";
import { VmSchema, type Cluster, type Vm } from "../../src/model/cluster.js";
import { generateCluster } from "../../src/model/generate.js";
import { CandidateSlot } from "../../src/placement/candidate-slot.js";
import { buildProblem, type PlacementProblem } from "../../src/placement/problem.js";
import { insertVm } from "../../src/placement/problem-insert.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { PlacementState } from "../../src/placement/state.js";
import { cluster, predictor, sampleCluster } from "./helpers.js";

const vm = (v: unknown): Vm => VmSchema.parse(v);
const io = (id: string, host?: string): Vm => vm({ id, host, vcpus: 2, memoryMiB: 4096, workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 }, slo: { p999Ms: 5 } });
const hog = (id: string, host?: string): Vm => vm({ id, host, vcpus: 4, memoryMiB: 8192, workload: { kind: "cpu", dutyCycle: 0.9, burstMs: 30 }, networkMbps: 300 });

/** Every field of a problem but the shared predictor, as plain values toEqual can compare. */
function fields(p: PlacementProblem): Record<string, unknown> {
  const { predictor: _p, ...rest } = p;
  return rest;
}

const GENERATED = (): Cluster => cluster(generateCluster({ hosts: 20, vms: 120, seed: 3, mix: { io: 0.3, cpu: 0.5, mixed: 0.1, trace: 0.1 }, placed: true, scheduler: "both" }));
const NO_NETWORK = (): Cluster => {
  const c = sampleCluster();
  return { ...c, vms: c.vms.map(({ networkMbps: _n, ...v }) => v) };
};

describe("insertVm", () => {
  test.each([
    ["the sample (constraints of every kind), in the middle", sampleCluster, 3],
    ["the sample, at the end", sampleCluster, -1],
    ["a generated 20-host cluster, at the front", GENERATED, 0],
    ["the sample without network demand: the VM brings it into play", NO_NETWORK, -1],
  ])("equals, field for field, the problem built with the VM at that index (%s)", (_name, make, where) => {
    const c = make();
    let p = buildProblem(c, predictor());
    let vms = [...c.vms];
    for (const v of [hog("new-hog", c.hosts[1].id), io("new-io", c.hosts[0].id), io("new-io-2")]) {
      const at = where < 0 ? vms.length : where;
      vms = [...vms.slice(0, at), v, ...vms.slice(at)];
      p = insertVm(p, v, at);
      expect(fields(p)).toEqual(fields(buildProblem({ ...c, vms }, predictor())));
    }
    // The inserted VMs were given a network demand: the last comparison covered networkInPlay on.
    expect(p.networkInPlay).toBe(true);
  });

  test("refuses a VM the cluster has or a constraint names: those need a rebuild", () => {
    const c = sampleCluster();
    const p = buildProblem(c, predictor());
    expect(() => insertVm(p, io(c.vms[0].id), 0)).toThrow(/already in the problem/);
    const named = { ...c, constraints: [...c.constraints, { kind: "anti-affinity" as const, soft: false, vms: ["web-1", "pod-x"] }] };
    expect(() => insertVm(buildProblem(named, predictor()), io("pod-x"), 0)).toThrow(/constraint names/);
  });
});

describe("PlacementState.withInserted and CandidateSlot.withPlaced", () => {
  test.each([
    ["the sample", sampleCluster],
    ["the sample without network demand", NO_NETWORK],
    ["a generated cluster", GENERATED],
  ])("judge a VM as a slot built afresh on the cluster with the placed VMs does (%s)", (_name, make) => {
    const c = make();
    const fw = frameworkFor(defaultProfile(c.policy.objective));
    let slot = new CandidateSlot(c, predictor());
    const placed = [hog("pod-1", c.hosts[2].id), io("pod-2", c.hosts[2].id), hog("pod-3", c.hosts[0].id)];
    const hosts = c.hosts.map((_h, i) => i);
    for (let k = 0; k < placed.length; k++) {
      slot = slot.withPlaced(placed[k], c.hosts.findIndex((h) => h.id === placed[k].host));
      const fresh = new CandidateSlot({ ...c, vms: [...c.vms, ...placed.slice(0, k + 1)] }, predictor());
      const a = slot.state;
      const b = fresh.state;
      expect(Array.from(a.hostOf)).toEqual(Array.from(b.hostOf));
      expect([a.placed, a.usedHosts, a.usedCost, a.softViolations]).toEqual([b.placed, b.usedHosts, b.usedCost, b.softViolations]);
      expect(a.riskSum).toBeCloseTo(b.riskSum, 9);
      expect(a.sumLoadSq).toBeCloseTo(b.sumLoadSq, 9);
      expect(Array.from(a.memUsedMiB)).toEqual(Array.from(b.memUsedMiB));
      for (const candidate of [io("ask"), hog("ask")]) {
        slot.set(candidate);
        fresh.set(candidate);
        expect(hosts.map((i) => fw.filter(slot.state, slot.j, i))).toEqual(hosts.map((i) => fw.filter(fresh.state, fresh.j, i)));
        const ok = hosts.filter((i) => fw.fits(fresh.state, fresh.j, i));
        expect(ok.length).toBeGreaterThan(0);
        const [x, y] = [fw.score(slot.state, slot.j, ok), fw.score(fresh.state, fresh.j, ok)];
        expect(Object.keys(x.byPlugin)).toEqual(Object.keys(y.byPlugin));
        x.total.forEach((s, n) => expect(s).toBeCloseTo(y.total[n], 9));
      }
    }
  });

  test("a placed VM past the insertion index is refused (its index would move)", () => {
    const c = sampleCluster();
    const p = buildProblem(c, predictor());
    const hostIndex = new Map(c.hosts.map((h, i) => [h.id, i]));
    const s = PlacementState.fromAssignment(p, Int32Array.from(c.vms, (v) => (v.host ? hostIndex.get(v.host)! : -1)));
    expect(() => s.withInserted(insertVm(p, io("new"), 0), 0)).toThrow(/is placed/);
  });
});
