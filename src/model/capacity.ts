import { z } from "zod";
import type { Cluster } from "./cluster.js";
import { vcpuCapacity } from "./validate.js";
import { cpuDemandVcpus } from "./workload.js";

/**
 * Aggregate capacity checks on a well-formed cluster: proofs that no placement of every VM can
 * exist (errors), and demand that may still fit but leaves little or no room (warnings). A
 * document can be valid and still impossible to place whole; `validate` says which.
 */
export const CapacityFindingSchema = z.strictObject({
  /** error: no placement of every VM can exist; warning: it may fit, with risk or luck. */
  level: z.enum(["error", "warning"]),
  /** memoryMiB, vcpus, networkMbps, cpuDemand (mean CPUs the workloads want), or hosts (an anti-affinity group). */
  resource: z.enum(["memoryMiB", "vcpus", "networkMbps", "cpuDemand", "hosts"]),
  demand: z.number(),
  capacity: z.number(),
  /** demand / capacity. */
  ratio: z.number(),
  /** The constraint it comes from, for a group (e.g. "constraints[2]"). */
  path: z.string().optional(),
  message: z.string(),
});
export type CapacityFinding = z.infer<typeof CapacityFindingSchema>;

/** Above this share of a hard capacity, packing whole VMs onto hosts may leave some out. */
export const TIGHT_SHARE = 0.9;

/** ratioText: "1.47x" or "473x" when over, "93%" when under. */
export function ratioText(r: number): string {
  if (r < 1) return `${Math.round(r * 100)}%`;
  return r >= 10 ? `${Math.round(r)}x` : `${r.toFixed(2)}x`;
}

/** capacityFindings: errors first, then warnings, each resource once. */
export function capacityFindings(c: Cluster): CapacityFinding[] {
  const sum = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((s, x) => s + f(x), 0);
  const over = c.policy.cpuOvercommit;
  const out: CapacityFinding[] = [];
  hard(out, "memoryMiB", "memory", "MiB", sum(c.vms, (v) => v.memoryMiB), sum(c.hosts, (h) => h.memoryMiB), "memory is never overcommitted");
  hard(out, "vcpus", "vCPUs", "", sum(c.vms, (v) => v.vcpus), sum(c.hosts, (h) => vcpuCapacity(h, over)), `cores x cpuOvercommit ${over}`);
  // A host that declares no network is not limited by it, so only a fully declared fleet proves anything.
  if (c.hosts.every((h) => h.networkMbps !== undefined))
    hard(out, "networkMbps", "network", "Mbps", sum(c.vms, (v) => v.networkMbps ?? 0), sum(c.hosts, (h) => h.networkMbps ?? 0), "network is never overcommitted");
  const cpu = sum(c.vms, (v) => cpuDemandVcpus(v.workload, v.vcpus));
  const cores = sum(c.hosts, (h) => h.cores);
  if (cpu > cores)
    out.push(finding("warning", "cpuDemand", cpu, cores, `mean CPU demand ${round(cpu)} CPUs is ${ratioText(cpu / cores)} the ${cores} cores: a placement may exist, but busy hosts put SLOs at risk`));
  antiAffinityFindings(c, out);
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === "error" ? -1 : 1));
}

function hard(out: CapacityFinding[], resource: CapacityFinding["resource"], name: string, unit: string, demand: number, capacity: number, why: string): void {
  if (demand === 0) return;
  const u = unit === "" ? "" : ` ${unit}`;
  const ratio = capacity > 0 ? demand / capacity : Infinity;
  if (demand > capacity)
    out.push(finding("error", resource, demand, capacity, `${name} demand ${round(demand)}${u} is ${ratioText(ratio)} the capacity of ${round(capacity)}${u} (${why}): no placement of every VM can exist`));
  else if (ratio > TIGHT_SHARE)
    out.push(finding("warning", resource, demand, capacity, `${name} demand ${round(demand)}${u} is ${ratioText(ratio)} of the capacity of ${round(capacity)}${u}: whole VMs may not pack into what is left`));
}

/** A hard anti-affinity group needs as many distinct hosts as it has VMs; one finding for all such groups. */
function antiAffinityFindings(c: Cluster, out: CapacityFinding[]): void {
  const groups = c.constraints.flatMap((con, i) => (con.kind === "anti-affinity" && !con.soft && con.vms.length > c.hosts.length ? [{ i, n: con.vms.length }] : []));
  if (groups.length === 0) return;
  const worst = groups.reduce((a, b) => (b.n > a.n ? b : a));
  const path = `constraints[${worst.i}]`;
  const which = groups.length === 1 ? `anti-affinity group ${path} needs` : `${groups.length} hard anti-affinity groups need more distinct hosts than there are; the largest, ${path}, needs`;
  out.push({ ...finding("error", "hosts", worst.n, c.hosts.length, `${which} ${worst.n} distinct hosts, but the cluster has ${c.hosts.length}: no placement of every VM can exist`), path });
}

function finding(level: CapacityFinding["level"], resource: CapacityFinding["resource"], demand: number, capacity: number, message: string): CapacityFinding {
  return { level, resource, demand: round(demand), capacity: round(capacity), ratio: capacity > 0 ? round(demand / capacity, 4) : Number.MAX_VALUE, message };
}

function round(x: number, digits = 2): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
