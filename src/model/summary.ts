import { z } from "zod";
import type { Cluster } from "./cluster.js";
import { driverCpusFor } from "./driver-domain.js";
import { cpuDemandVcpus, ioPartOf, WORKLOAD_KINDS, type WorkloadKind } from "./workload.js";
import { vcpuCapacity } from "./validate.js";

/** ResourceTotalSchema compares what the VMs ask for with what the hosts offer. */
export const ResourceTotalSchema = z.strictObject({
  resource: z.enum(["vcpus", "memoryMiB", "networkMbps", "cpuDemand"]),
  demand: z.number(),
  capacity: z.number(),
});
export type ResourceTotal = z.infer<typeof ResourceTotalSchema>;

/** ClusterSummarySchema is the at-a-glance view `vmplace validate` prints. */
export const ClusterSummarySchema = z.strictObject({
  hosts: z.number().int(),
  vms: z.number().int(),
  placedVms: z.number().int(),
  constraints: z.number().int(),
  workloads: z.record(z.enum(WORKLOAD_KINDS), z.number().int()),
  schedulers: z.record(z.string(), z.number().int()),
  totals: z.array(ResourceTotalSchema),
  /** Fan-out services and the VMs they hold. */
  services: z.strictObject({ count: z.number().int(), vms: z.number().int() }),
  /** Hosts with a power model of their own (the others use the default curve for their cores). */
  hostsWithPowerModel: z.number().int(),
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

/** summarizeCluster totals demand against capacity per resource. */
export function summarizeCluster(c: Cluster): ClusterSummary {
  const workloads = Object.fromEntries(WORKLOAD_KINDS.map((k) => [k, 0])) as Record<WorkloadKind, number>;
  const schedulers: Record<string, number> = {};
  let vcpus = 0;
  let mem = 0;
  let net = 0;
  let cpu = 0;
  const driverOf = new Map(c.hosts.map((h) => [h.id, h.driverDomain]));
  for (const vm of c.vms) {
    workloads[vm.workload.kind] += 1;
    vcpus += vm.vcpus;
    mem += vm.memoryMiB;
    net += vm.networkMbps ?? 0;
    cpu += cpuDemandVcpus(vm.workload, vm.vcpus);
    // A placed VM's IO also costs its host's driver domain (docs/driver-domain.md).
    const d = vm.host !== undefined ? driverOf.get(vm.host) : undefined;
    if (d !== undefined) cpu += driverCpusFor(d, ioPartOf(vm.workload)?.requestsPerSec ?? 0);
  }
  let vcpuCap = 0;
  let memCap = 0;
  let netCap = 0;
  let cores = 0;
  for (const h of c.hosts) {
    schedulers[h.scheduler.kind] = (schedulers[h.scheduler.kind] ?? 0) + 1;
    vcpuCap += vcpuCapacity(h, c.policy.cpuOvercommit);
    memCap += h.memoryMiB;
    netCap += h.networkMbps ?? 0;
    cores += h.cores;
  }
  const totals: ResourceTotal[] = [
    { resource: "vcpus", demand: vcpus, capacity: vcpuCap },
    { resource: "cpuDemand", demand: round(cpu), capacity: cores },
    { resource: "memoryMiB", demand: mem, capacity: memCap },
  ];
  if (net > 0 || netCap > 0) totals.push({ resource: "networkMbps", demand: net, capacity: netCap });
  return {
    hosts: c.hosts.length,
    vms: c.vms.length,
    placedVms: c.vms.filter((v) => v.host !== undefined).length,
    constraints: c.constraints.length,
    workloads,
    schedulers,
    totals,
    services: { count: c.services.length, vms: c.services.reduce((n, s) => n + s.vms.length, 0) },
    hostsWithPowerModel: c.hosts.filter((h) => h.power?.curveWatts !== undefined || h.power?.peakWatts !== undefined).length,
  };
}

/** renderSummary formats a summary for a terminal. */
export function renderSummary(s: ClusterSummary): string {
  const lines = [
    `hosts ${s.hosts} (${Object.entries(s.schedulers).map(([k, n]) => `${k} ${n}`).join(", ")})`,
    `vms ${s.vms} (${Object.entries(s.workloads).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ")}); ${s.placedVms} with a current host`,
    `constraints ${s.constraints}`,
  ];
  const label: Record<ResourceTotal["resource"], string> = {
    vcpus: "vCPUs (vs cores x overcommit)",
    cpuDemand: "mean CPU demand (vs cores)",
    memoryMiB: "memory MiB",
    networkMbps: "network Mbps",
  };
  if (s.services.count > 0) lines.push(`fan-out services ${s.services.count} (${s.services.vms} VMs)`);
  // Watts in every plan rest on these curves: say when they are estimates.
  if (s.hostsWithPowerModel < s.hosts)
    lines.push(`power models ${s.hostsWithPowerModel} of ${s.hosts} hosts (the rest: the default curve for their cores, an estimate)`);
  for (const t of s.totals) {
    const pct = t.capacity > 0 ? ((100 * t.demand) / t.capacity).toFixed(1) : "-";
    lines.push(`${label[t.resource].padEnd(32)} ${String(t.demand).padStart(10)} / ${String(t.capacity).padEnd(10)} ${pct}%`);
  }
  return lines.join("\n");
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
