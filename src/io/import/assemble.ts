import { HostSchema, PolicySchema, type ClusterInput } from "../../model/cluster.js";
import { vcpuCapacity } from "../../model/validate.js";
import type { HostInput, VmInput } from "./options.js";

/**
 * DEFAULT_HOST is the host generated when no inventory is given: a common two-socket server
 * (32 cores, 256 GiB) under the model's default scheduler, Xen credit.
 */
export const DEFAULT_HOST = { cores: 32, memoryMiB: 256 * 1024 } as const;

/**
 * defaultHostCount is how many default hosts hold the VMs at the default policy (vCPU overcommit,
 * memory never overcommitted), found by first-fit decreasing: an actual packing, so the planner
 * is never handed an infeasible cluster, and close to the fewest (FFD is within 11/9 of optimal in
 * one dimension). It is O(VMs x hosts), fine for the tens of thousands of VMs an import yields.
 */
export function defaultHostCount(vms: readonly { vcpus: number; memoryMiB: number }[]): number {
  const host = HostSchema.parse({ id: "default", ...DEFAULT_HOST });
  const vcpuCap = vcpuCapacity(host, PolicySchema.parse({}).cpuOvercommit);
  const size = (v: { vcpus: number; memoryMiB: number }): number => Math.max(v.vcpus / vcpuCap, v.memoryMiB / host.memoryMiB);
  const order = vms.map((v, i) => ({ v, i })).sort((a, b) => size(b.v) - size(a.v) || a.i - b.i);
  const bins: { vcpus: number; memoryMiB: number }[] = [];
  for (const { v } of order) {
    const bin = bins.find((b) => b.vcpus + v.vcpus <= vcpuCap && b.memoryMiB + v.memoryMiB <= host.memoryMiB);
    if (bin) {
      bin.vcpus += v.vcpus;
      bin.memoryMiB += v.memoryMiB;
    } else bins.push({ vcpus: v.vcpus, memoryMiB: v.memoryMiB });
  }
  return Math.max(1, bins.length);
}

/** defaultHosts names n default hosts host-001, host-002, ... (zero-padded so they sort). */
export function defaultHosts(n: number): HostInput[] {
  const width = Math.max(3, String(n).length);
  return Array.from({ length: n }, (_, i) => ({ id: `host-${String(i + 1).padStart(width, "0")}`, ...DEFAULT_HOST }));
}

/** assembleCluster joins imported VMs with the given hosts, or with enough default ones. */
export function assembleCluster(vms: VmInput[], hosts: HostInput[] | undefined): { cluster: ClusterInput; generatedHosts: number } {
  if (hosts !== undefined) return { cluster: { hosts, vms }, generatedHosts: 0 };
  const n = defaultHostCount(vms);
  return { cluster: { hosts: defaultHosts(n), vms }, generatedHosts: n };
}

/**
 * clusterJson renders a cluster document deterministically: two-space JSON (key order is the
 * order the importer builds objects in) with arrays of plain numbers kept on one line, so a
 * 288-sample trace is one line rather than 288.
 */
export function clusterJson(doc: ClusterInput): string {
  const text = JSON.stringify(doc, null, 2);
  const numberArray = /\[\n(?:\s+-?\d[\d.eE+-]*,\n)*\s+-?\d[\d.eE+-]*\n\s*\]/g;
  return `${text.replace(numberArray, (m) => `[${m.slice(1, -1).split(",").map((s) => s.trim()).join(", ")}]`)}\n`;
}
