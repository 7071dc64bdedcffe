import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { assembleCluster, clusterJson, defaultHostCount } from "../../src/io/import/assemble.js";
import { numberCell } from "../../src/io/import/csv.js";
import { IdAllocator } from "../../src/io/import/ids.js";
import { classifySeries } from "../../src/io/import/trace-workload.js";
import { FIXTURES, PLANETLAB_SAMPLE, importPaths, okCluster } from "./import-helpers.js";

const FIRST = "146-179_surfsnel_dsl_internl_net_colostate_557";
const raw = (name: string): number[] => readFileSync(`${PLANETLAB_SAMPLE}/${name}`, "utf8").trim().split("\n").map(Number);
const series = (vm: { workload: { kind: string } }): number[] =>
  vm.workload.kind === "trace" ? (vm.workload as unknown as { utilisationPercent: number[] }).utilisationPercent : [];

describe("determinism", () => {
  test("the same input and seed give the same bytes; the committed sample is one of them", () => {
    const a = importPaths([PLANETLAB_SAMPLE], { format: "planetlab" });
    const b = importPaths([PLANETLAB_SAMPLE], { format: "planetlab", seed: 1 });
    if (!a.ok || !b.ok) throw new Error("import failed");
    expect(a.json).toBe(b.json);
    expect(a.json).toBe(readFileSync("data/planetlab-sample/cluster.json", "utf8"));
  });

  test("the seed changes sizes only, and a VM's size does not depend on the other files", () => {
    // Forced to batch so the series carry no io part, whose share depends on the size.
    const one = okCluster(importPaths([PLANETLAB_SAMPLE], { format: "planetlab", seed: 1, workloadClass: "batch" }));
    const other = okCluster(importPaths([PLANETLAB_SAMPLE], { format: "planetlab", seed: 2, workloadClass: "batch" }));
    expect(other.vms.map(series)).toEqual(one.vms.map(series));
    expect(other.vms.map((v) => v.vcpus)).not.toEqual(one.vms.map((v) => v.vcpus));
    const alone = okCluster(importPaths([`${PLANETLAB_SAMPLE}/${one.vms[7].labels.origin}`], { format: "planetlab" }));
    expect([alone.vms[0].vcpus, alone.vms[0].memoryMiB]).toEqual([one.vms[7].vcpus, one.vms[7].memoryMiB]);
  });
});

describe("--limit and --window", () => {
  test("--limit takes the first VMs in name order and says it stopped", () => {
    const outcome = importPaths([PLANETLAB_SAMPLE], { format: "planetlab", limit: 7 });
    const c = okCluster(outcome);
    expect(c.vms).toHaveLength(7);
    expect(c.vms[0].id).toBe(FIRST);
    expect(outcome.summary).toMatchObject({ limitReached: true, filesRead: 7 });
  });

  test("--limit counts rows of an Azure table", () => {
    const outcome = importPaths([`${FIXTURES}/vmtable.csv`], { format: "azure-vmtable", limit: 2 });
    expect(okCluster(outcome).vms.map((v) => v.id)).toEqual(["x/Vm_Aa__", "bVm2"]);
    expect(outcome.summary.limitReached).toBe(true);
  });

  test.each([
    ["10:20", 10, 20],
    ["280:", 280, 288],
    [":3", 0, 3],
  ])("--window %s keeps samples [%i, %i)", (window, start, end) => {
    const c = okCluster(importPaths([PLANETLAB_SAMPLE], { format: "planetlab", limit: 1, window, workloadClass: "batch" }));
    expect(series(c.vms[0])).toEqual(raw(FIRST).slice(start, end));
  });

  test("a window past the end of every series leaves the VMs out and says why", () => {
    const outcome = importPaths([PLANETLAB_SAMPLE], { format: "planetlab", limit: 2, window: "300:400" });
    expect(okCluster(outcome).vms).toEqual([]);
    expect(outcome.summary.skipped[0].why).toBe("no samples in window (series has 288)");
  });

  test("an Azure window keeps the VMs alive in it (5-minute samples)", () => {
    const outcome = importPaths([`${FIXTURES}/vmtable.csv`], { format: "azure-vmtable", window: "0:1" });
    expect(okCluster(outcome).vms.map((v) => v.id)).toEqual(["x/Vm_Aa__", "cVm3"]);
    expect(outcome.summary.outsideWindow).toBe(3);
  });
});

describe("helpers", () => {
  test("ids: foreign characters become _, clashes get a suffix in input order", () => {
    const ids = new IdAllocator();
    expect(["a b", "a_b", "a+b", "ok"].map((n) => ids.take(n))).toEqual(["a_b", "a_b-2", "a_b-3", "ok"]);
  });

  test.each([["", false], ["0x1f", false], ["1e3", true], [" 12.5 ", true], ["-1", true], ["1,5", false]])(
    "numberCell %j parses: %s",
    (cell, ok) => {
      expect(numberCell.safeParse(cell).success).toBe(ok);
    },
  );

  test("classification: batch once the 95th percentile reaches 50%", () => {
    const mostlyIdle = [...Array(95).fill(5), ...Array(5).fill(90)];
    expect(classifySeries(mostlyIdle)).toBe("interactive");
    expect(classifySeries([...Array(94).fill(5), ...Array(6).fill(60)])).toBe("batch");
  });

  test("default hosts: vCPUs count against 32 cores x overcommit 2, memory against 256 GiB", () => {
    expect(defaultHostCount(Array(64).fill({ vcpus: 1, memoryMiB: 1024 }))).toBe(1);
    expect(defaultHostCount(Array(65).fill({ vcpus: 1, memoryMiB: 1024 }))).toBe(2);
    expect(defaultHostCount(Array(3).fill({ vcpus: 1, memoryMiB: 100 * 1024 }))).toBe(2);
    expect(defaultHostCount([])).toBe(1);
  });

  test("clusterJson keeps number arrays on one line and round-trips", () => {
    const { cluster } = assembleCluster(
      [{ id: "v", vcpus: 1, memoryMiB: 1, workload: { kind: "trace", utilisationPercent: [1, 2.5, 0] } }],
      undefined,
    );
    const text = clusterJson(cluster);
    expect(text).toContain('"utilisationPercent": [1, 2.5, 0]');
    expect(JSON.parse(text)).toEqual(cluster);
  });
});
