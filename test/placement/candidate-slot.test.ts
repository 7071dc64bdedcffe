import { describe, expect, test } from "vitest";
import { VmSchema, type Vm } from "../../src/model/cluster.js";
import { generateCluster } from "../../src/model/generate.js";
import { CANDIDATE_ID, CandidateSlot } from "../../src/placement/candidate-slot.js";
import { buildProblem, type PlacementProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { PlacementState } from "../../src/placement/state.js";
import { cluster, predictor, sampleCluster } from "./helpers.js";

const vm = (v: unknown): Vm => VmSchema.parse(v);
const SHAPES: Vm[] = [
  vm({ id: "a", vcpus: 2, memoryMiB: 4096, workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 }, slo: { p999Ms: 5 } }),
  vm({ id: "b", vcpus: 8, memoryMiB: 60000, workload: { kind: "cpu", dutyCycle: 0.7, burstMs: 15 }, networkMbps: 500 }),
  vm({ id: "c", vcpus: 1, memoryMiB: 512, workload: { kind: "mixed", io: { requestsPerSec: 100, serviceUs: 200 }, cpu: { dutyCycle: 0.3, burstMs: 5 } }, slo: { p99Ms: 2 } }),
  vm({ id: "d", vcpus: 32, memoryMiB: 1024, workload: { kind: "idle" } }),
];

/** perVmRow reads every per-VM field of a problem at index j: any array as long as the VM list. */
function perVmRow(p: PlacementProblem, j: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) {
    if (key === "typeAllowed") row[key] = Array.from((value as Uint8Array).subarray(j * p.types.length, (j + 1) * p.types.length));
    else if ((Array.isArray(value) || ArrayBuffer.isView(value)) && (value as ArrayLike<unknown>).length === p.nVms) row[key] = (value as ArrayLike<unknown>)[j];
  }
  return row;
}

describe("CandidateSlot", () => {
  test.each([
    ["the sample", sampleCluster()],
    ["a generated 20-host cluster with host labels", cluster(generateCluster({ hosts: 20, vms: 120, seed: 3, mix: { io: 0.3, cpu: 0.5, mixed: 0.1, trace: 0.1 }, placed: true, scheduler: "both" }))],
  ])("each rewrite gives, field for field, the problem built with that VM appended (%s)", (_name, c) => {
    const slot = new CandidateSlot(c, predictor());
    for (const shape of [...SHAPES, SHAPES[0]]) {
      slot.set(shape);
      const fresh = buildProblem({ ...c, vms: [...c.vms, { ...shape, id: CANDIDATE_ID }] }, predictor());
      expect(slot.j).toBe(fresh.nVms - 1);
      expect(perVmRow(slot.problem, slot.j)).toEqual(perVmRow(fresh, slot.j));
      expect(Object.keys(perVmRow(slot.problem, slot.j)).length).toBeGreaterThan(8);
    }
  });

  test("the framework judges the slot's VM as it judges a freshly built one (filters, reasons, scores)", () => {
    const c = sampleCluster();
    const fw = frameworkFor(defaultProfile("min-cost"));
    const slot = new CandidateSlot(c, predictor());
    const hostIndex = new Map(c.hosts.map((h, i) => [h.id, i]));
    for (const shape of SHAPES) {
      slot.set(shape);
      const fresh = buildProblem({ ...c, vms: [...c.vms, { ...shape, id: CANDIDATE_ID }] }, predictor());
      const state = PlacementState.fromAssignment(fresh, Int32Array.from(fresh.vms, (v) => (v.host === undefined ? -1 : hostIndex.get(v.host)!)));
      const hosts = c.hosts.map((_h, i) => i);
      expect(hosts.map((i) => fw.filter(slot.state, slot.j, i))).toEqual(hosts.map((i) => fw.filter(state, slot.j, i)));
      const ok = hosts.filter((i) => fw.fits(state, slot.j, i));
      expect(fw.score(slot.state, slot.j, ok)).toEqual(fw.score(state, slot.j, ok));
    }
  });
});
