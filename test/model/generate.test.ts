import { describe, expect, test } from "vitest";
import { generateCluster, parseMix } from "../../src/model/generate.js";
import { parseCluster } from "../../src/model/validate.js";

const opts = { hosts: 20, vms: 150, seed: 3, mix: { io: 0.3, cpu: 0.5, mixed: 0.1, trace: 0.1 }, placed: true, scheduler: "both" as const };

describe("generateCluster", () => {
  test("same seed gives identical bytes, another seed a different document", () => {
    const a = JSON.stringify(generateCluster(opts));
    expect(JSON.stringify(generateCluster(opts))).toBe(a);
    expect(JSON.stringify(generateCluster({ ...opts, seed: 4 }))).not.toBe(a);
  });

  test("the generated document is valid and honours counts and mix", () => {
    const doc = generateCluster(opts);
    const r = parseCluster(doc);
    expect(r.ok, r.ok ? "" : JSON.stringify(r.problems.slice(0, 3))).toBe(true);
    expect(doc.hosts).toHaveLength(20);
    expect(doc.vms).toHaveLength(150);
    const cpu = doc.vms.filter((v) => v.workload.kind === "cpu").length;
    // 150 draws at p = 0.5: 3 standard deviations is about 18.
    expect(Math.abs(cpu - 75)).toBeLessThan(19);
    expect(new Set(doc.hosts.map((h) => h.scheduler?.kind))).toEqual(new Set(["xen-credit", "kvm-cfs"]));
  });

  test("placed VMs never overflow a host's memory or overcommitted vCPUs", () => {
    const doc = generateCluster(opts);
    for (const h of doc.hosts) {
      const on = doc.vms.filter((v) => v.host === h.id);
      expect(on.reduce((s, v) => s + v.memoryMiB, 0)).toBeLessThanOrEqual(h.memoryMiB);
      expect(on.reduce((s, v) => s + v.vcpus, 0)).toBeLessThanOrEqual(h.cores * 2);
    }
  });

  test("a mix with only io produces only io VMs", () => {
    const doc = generateCluster({ ...opts, mix: { io: 1 } });
    expect(doc.vms.every((v) => v.workload.kind === "io")).toBe(true);
  });
});

describe("parseMix", () => {
  test.each([
    ["io=0.3,cpu=0.7", { io: 0.3, cpu: 0.7 }],
    ["gpu=1", /unknown workload kind "gpu"/],
    ["io=x", /weight of "io" must be a number/],
    ["io=0", /at least one/],
  ])("%s", (text, expected) => {
    const r = parseMix(text);
    if (expected instanceof RegExp) expect(r).toMatch(expected);
    else expect(r).toEqual(expected);
  });
});
