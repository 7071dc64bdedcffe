import { describe, expect, test } from "vitest";
import { FIXTURES, PLANETLAB_SAMPLE, importPaths, okCluster } from "./import-helpers.js";
import { DEFAULT_VM_MIX } from "../../src/io/import/vm-sizes.js";
import { BURST_MS, INTERACTIVE_IO } from "../../src/io/import/trace-workload.js";
import { PLANETLAB_SOURCE } from "../../src/io/import/planetlab.js";

describe("planetlab", () => {
  test("the 50-VM sample becomes a valid cluster of trace VMs with attribution", () => {
    const c = okCluster(importPaths([PLANETLAB_SAMPLE], { format: "planetlab" }));
    expect(c.vms).toHaveLength(50);
    for (const vm of c.vms) {
      if (vm.workload.kind !== "trace") throw new Error(`${vm.id} is ${vm.workload.kind}`);
      expect(vm.workload.utilisationPercent).toHaveLength(288);
      expect(vm.workload.intervalSec).toBe(300);
      expect(vm.workload.source).toBe(PLANETLAB_SOURCE);
      expect(DEFAULT_VM_MIX).toContainEqual({ vcpus: vm.vcpus, memoryMiB: vm.memoryMiB });
    }
  });

  test("a file name with a space becomes a valid id and keeps its name as origin", () => {
    const c = okCluster(importPaths([PLANETLAB_SAMPLE], { format: "planetlab" }));
    const vm = c.vms.find((v) => v.labels.origin === "aladdin_planetlab_extranet_uni-passau_de_ rnp_dcc_ufjf");
    expect(vm?.id).toBe("aladdin_planetlab_extranet_uni-passau_de__rnp_dcc_ufjf");
  });

  test("--vcpus and --memory-mib size every VM", () => {
    const c = okCluster(importPaths([PLANETLAB_SAMPLE], { format: "planetlab", vcpus: 3, memoryMiB: 5000, limit: 5 }));
    expect(c.vms.map((v) => [v.vcpus, v.memoryMiB])).toEqual(Array(5).fill([3, 5000]));
  });

  test("batch VMs keep the recorded series; interactive ones hand 0.5% of a vCPU to their io part", () => {
    const c = okCluster(importPaths([PLANETLAB_SAMPLE], { format: "planetlab", vcpus: 1, memoryMiB: 1024, window: "0:4" }));
    const raw = okCluster(importPaths([PLANETLAB_SAMPLE], { format: "planetlab", vcpus: 1, memoryMiB: 1024, window: "0:4", workloadClass: "batch" }));
    for (const [i, vm] of c.vms.entries()) {
      const w = vm.workload;
      const r = raw.vms[i].workload;
      if (w.kind !== "trace" || r.kind !== "trace") throw new Error("not a trace");
      expect(w.burstMs).toBe(BURST_MS[vm.labels.class as keyof typeof BURST_MS]);
      const expected = r.utilisationPercent.map((u) => (w.io ? Math.max(0, u - 0.5) : u));
      expect(w.utilisationPercent).toEqual(expected);
      expect(vm.slo !== undefined).toBe(w.io !== undefined);
    }
  });
});

describe("bitbrains", () => {
  test("sizes come from the data and off samples count as 0%", () => {
    const outcome = importPaths([`${FIXTURES}/bitbrains`], { format: "bitbrains" });
    const c = okCluster(outcome);
    expect(c.vms.map((v) => [v.id, v.vcpus, v.memoryMiB])).toEqual([
      ["1", 4, 65536],
      // 1,048,577 KB then 2,097,152 KB provisioned: the largest, rounded up to whole MiB.
      ["2", 2, 2048],
    ]);
    const w = c.vms[0].workload;
    if (w.kind !== "trace") throw new Error("not a trace");
    // 25, 100, off, 110 clamped to 100, 5 (batch: p95 reaches 50%, so no io part).
    expect(w.utilisationPercent).toEqual([25, 100, 0, 100, 5]);
    expect(outcome.summary.skipped).toEqual([{ what: `${FIXTURES}/bitbrains/3-never-on.csv`, why: "never on (0 CPU cores in every sample)" }]);
  });
});

describe("azure-vmtable", () => {
  test("rows map to sized VMs whose workload follows the category", () => {
    const c = okCluster(importPaths([`${FIXTURES}/vmtable.csv`], { format: "azure-vmtable" }));
    const summary = c.vms.map((v) => [v.id, v.vcpus, v.memoryMiB, v.workload.kind, v.labels.class, v.slo?.p99Ms]);
    expect(summary).toEqual([
      ["x/Vm_Aa__", 2, 4096, "mixed", "interactive", 10],
      // avg cpu 0.1% is below what the io part alone costs (0.5% of one of 4 vCPUs): io only.
      ["bVm2", 4, 8192, "io", "interactive", 10],
      ["cVm3", 8, 32768, "cpu", "batch", undefined],
      // ">24" cores and ">64" GB become the next power of two.
      ["dVm4", 32, 131072, "cpu", "batch", undefined],
      ["eVm5", 24, 65536, "cpu", "unknown", undefined],
    ]);
    const [mixed, , batch, idle] = c.vms.map((v) => v.workload);
    // 12.25% of 2 vCPUs minus the io part's 0.25%.
    expect(mixed).toMatchObject({ io: INTERACTIVE_IO, cpu: { dutyCycle: 0.12, burstMs: BURST_MS.interactive } });
    expect(batch).toMatchObject({ dutyCycle: 0.655, burstMs: BURST_MS.batch });
    // 0% avg cpu is clamped into the schema's (0, 1].
    expect(idle).toMatchObject({ dutyCycle: 0.01 });
  });
});

describe("host inventories", () => {
  test("a hosts CSV gives hosts with optional fields and labels", () => {
    const c = okCluster(importPaths([`${FIXTURES}/hosts.csv`], { format: "hosts-csv" }));
    expect(c.vms).toEqual([]);
    expect(c.hosts.map((h) => [h.id, h.cores, h.memoryMiB, h.networkMbps, h.cost, h.scheduler.kind, h.labels])).toEqual([
      ["h1", 16, 131072, undefined, 1, "xen-credit", { rack: "r1", zone: "a" }],
      ["h2", 16, 131072, 10000, 1.5, "xen-credit", { rack: "r1", zone: "a" }],
      ["h3", 32, 262144, undefined, 1, "kvm-cfs", { rack: "r2" }],
    ]);
  });

  test("an Alibaba node list gives hosts, millicores floored to cores, other columns as labels", () => {
    const c = okCluster(importPaths([`${FIXTURES}/alibaba-nodes.csv`], { format: "alibaba-nodes" }));
    expect(c.hosts.map((h) => [h.id, h.cores, h.memoryMiB, h.labels])).toEqual([
      ["openb-node-0001", 96, 786432, { num_gpu: "8", model: "V100M32" }],
      ["openb-node-0002", 64, 262144, { num_gpu: "0" }],
      ["openb-node-0003", 32, 131072, { num_gpu: "2", model: "T4" }],
    ]);
  });

  test.each([["hosts.csv", 3], ["alibaba-nodes.csv", 3]])("--hosts %s gives the VMs their hosts (format detected)", (file, n) => {
    const outcome = importPaths([PLANETLAB_SAMPLE], { format: "planetlab", limit: 10 }, `${FIXTURES}/${file}`);
    const c = okCluster(outcome);
    expect(c.hosts).toHaveLength(n);
    expect(outcome.summary.hostsFrom).toContain(file);
  });

  test("without --hosts, enough default hosts are generated and the summary says so", () => {
    const outcome = importPaths([`${FIXTURES}/vmtable.csv`], { format: "azure-vmtable" });
    const c = okCluster(outcome);
    expect(c.hosts.every((h) => h.cores === 32 && h.memoryMiB === 262144 && h.scheduler.kind === "xen-credit")).toBe(true);
    // 70 vCPUs against 64 per host (32 cores x overcommit 2).
    expect(c.hosts).toHaveLength(2);
    expect(outcome.summary.hostsFrom).toMatch(/^no --hosts: generated 2 default host/);
  });
});
