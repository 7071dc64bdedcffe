import type { Cluster } from "../../../src/model/cluster.js";
import { parseOrThrow } from "../../helpers/fixtures.js";

const vm = (id: string, host: string | undefined, workload: Record<string, unknown>, vcpus = 1) => ({ id, vcpus, memoryMiB: 1024, workload, ...(host ? { host } : {}) });
const cpu = (d: number, b: number) => ({ kind: "cpu", dutyCycle: d, burstMs: b });
const io = { kind: "io", requestsPerSec: 1000, serviceUs: 50 };

/**
 * probeCluster: two 4-core credit1 hosts. "bad" holds the tenant io VM with six sleepy CPU VMs
 * (d 0.5, 30 ms bursts: E4's worst kind), an idle VM and a quiet io VM; "good" holds a tenant with
 * one CPU VM. "batch" is a CPU-bound tenant on the bad host; "floating" has no current host.
 */
export function probeCluster(): Cluster {
  return parseOrThrow({
    hosts: [
      { id: "bad", cores: 4, memoryMiB: 65536 },
      { id: "good", cores: 4, memoryMiB: 65536 },
    ],
    vms: [
      vm("tenant", "bad", io),
      ...Array.from({ length: 6 }, (_, i) => vm(`cpu${i}`, "bad", cpu(0.5, 30))),
      vm("idle", "bad", { kind: "idle" }),
      vm("quiet", "bad", { kind: "io", requestsPerSec: 50, serviceUs: 100 }),
      vm("batch", "bad", cpu(0.9, 10), 2),
      vm("tenant2", "good", io),
      vm("one-cpu", "good", cpu(0.5, 30)),
      vm("floating", undefined, io),
    ],
    policy: { cpuOvercommit: 4 },
  });
}
