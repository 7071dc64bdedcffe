import { describe, expect, test } from "vitest";
import { generateTightCluster, tightHostCost } from "../../src/model/generate-tight.js";
import { parseCluster } from "../../src/model/validate.js";

describe("generateTightCluster (issue 11's tight multi-resource family)", () => {
  test("same seed gives identical bytes, another seed a different document", () => {
    const a = JSON.stringify(generateTightCluster({ hosts: 100, vms: 300, seed: 1 }));
    expect(JSON.stringify(generateTightCluster({ hosts: 100, vms: 300, seed: 1 }))).toBe(a);
    expect(JSON.stringify(generateTightCluster({ hosts: 100, vms: 300, seed: 2 }))).not.toBe(a);
  });

  test.each([
    [100, 300, 1],
    [400, 1200, 7],
  ])("%i hosts / %i VMs (seed %i): valid, in range, and demand over capacity is 0.67 CPU, 0.42 memory, 0.73 network", (hosts, vms, seed) => {
    const r = parseCluster(generateTightCluster({ hosts, vms, seed }));
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    const c = r.value;
    expect(c.policy.cpuOvercommit).toBe(1);
    expect(c.vms.every((v) => v.workload.kind === "idle")).toBe(true);
    for (const h of c.hosts) {
      expect(h.cores).toBeGreaterThanOrEqual(3);
      expect(h.cores).toBeLessThanOrEqual(24);
      expect(h.memoryMiB / 1024).toBeGreaterThanOrEqual(2);
      expect(h.memoryMiB / 1024).toBeLessThanOrEqual(96);
      expect(h.networkMbps! / 1000).toBeGreaterThanOrEqual(2);
      expect(h.networkMbps! / 1000).toBeLessThanOrEqual(20);
      expect(h.cost).toBeGreaterThanOrEqual(350);
      expect(h.cost).toBeLessThanOrEqual(5000);
    }
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const ratio = (d: (v: (typeof c.vms)[number]) => number, k: (h: (typeof c.hosts)[number]) => number): number => sum(c.vms.map(d)) / sum(c.hosts.map(k));
    // Whole units per VM: the totals hit the targets to within half a unit over the fleet.
    expect(ratio((v) => v.vcpus, (h) => h.cores)).toBeCloseTo(0.67, 2);
    expect(ratio((v) => v.memoryMiB, (h) => h.memoryMiB)).toBeCloseTo(0.42, 2);
    expect(ratio((v) => v.networkMbps!, (h) => h.networkMbps!)).toBeCloseTo(0.73, 2);
    for (const v of c.vms) {
      expect([v.vcpus, v.memoryMiB / 1024, v.networkMbps! / 1000].every(Number.isInteger)).toBe(true);
      expect(v.vcpus).toBeLessThanOrEqual(12);
      expect(v.memoryMiB / 1024).toBeLessThanOrEqual(32);
      expect(v.networkMbps! / 1000).toBeLessThanOrEqual(12);
      // Every VM fits some host alone: what the plan fails to place, the search failed to place.
      expect(c.hosts.some((h) => h.cores >= v.vcpus && h.memoryMiB >= v.memoryMiB && h.networkMbps! >= v.networkMbps!)).toBe(true);
    }
    // Most VMs are small: over half need at most a third of the largest demand on each resource.
    expect(c.vms.filter((v) => v.vcpus <= 4).length).toBeGreaterThan(vms / 2);
    expect(c.vms.filter((v) => v.networkMbps! <= 4000).length).toBeGreaterThan(vms / 2);
  });

  test("host cost rises with each resource, from 350 to 5,000", () => {
    const base = { cores: 8, gib: 16, net: 8 };
    expect(tightHostCost({ cores: 3, gib: 2, net: 2 })).toBe(350);
    expect(tightHostCost({ cores: 24, gib: 96, net: 20 })).toBe(5000);
    expect(tightHostCost({ ...base, cores: 12 })).toBeGreaterThan(tightHostCost(base));
    expect(tightHostCost({ ...base, gib: 32 })).toBeGreaterThan(tightHostCost(base));
    expect(tightHostCost({ ...base, net: 12 })).toBeGreaterThan(tightHostCost(base));
  });
});
