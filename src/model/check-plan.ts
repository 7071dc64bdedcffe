import type { Cluster } from "./cluster.js";
import type { Violation } from "./plan.js";

/**
 * checkPlan is the independent feasibility checker every plan goes through. It is written from
 * the cluster document alone and shares no code with the placer (not its problem indexing, its
 * plugins, its capacity helper or its state), so a bug in the placer cannot hide itself here.
 * It checks every hard constraint: memory never overcommitted; vCPUs within
 * floor(cores × cpuOvercommit); no VM with more vCPUs than its host has cores; network where
 * both sides declare it; hard anti-affinity, affinity and host-label constraints; plus that the
 * plan names only known VMs and hosts, each VM once. A VM the assignments leave out is a finding
 * too ("unplaced", one per VM): a plan that drops VMs is not whole, so the checker never calls it
 * ok; `partial` turns that off for callers that check a placement of some VMs on purpose (the
 * current hosts, where VMs without one were never placed). Findings are sorted by constraint,
 * host and VMs, so the output is stable.
 */
export function checkPlan(cluster: Cluster, assignments: readonly { vm: string; host: string }[], o: { partial?: boolean } = {}): Violation[] {
  const out: Violation[] = [];
  const hosts = new Map(cluster.hosts.map((h) => [h.id, h]));
  const vms = new Map(cluster.vms.map((v) => [v.id, v]));
  const hostOf = new Map<string, string>();
  for (const a of assignments) {
    if (!vms.has(a.vm)) out.push({ constraint: "unknown-vm", host: a.host, vms: [a.vm] });
    else if (!hosts.has(a.host)) out.push({ constraint: "unknown-host", host: a.host, vms: [a.vm] });
    else if (hostOf.has(a.vm)) out.push({ constraint: "duplicate", host: a.host, vms: [a.vm] });
    else hostOf.set(a.vm, a.host);
  }
  checkCapacities(cluster, hostOf, out);
  checkConstraints(cluster, hostOf, out);
  if (!o.partial) for (const vm of cluster.vms) if (!hostOf.has(vm.id)) out.push({ constraint: "unplaced", vms: [vm.id] });
  return out.sort((a, b) => cmp(a.constraint, b.constraint) || cmp(a.host ?? "", b.host ?? "") || cmp(a.vms.join(), b.vms.join()));
}

function checkCapacities(cluster: Cluster, hostOf: ReadonlyMap<string, string>, out: Violation[]): void {
  const hosts = new Map(cluster.hosts.map((h) => [h.id, h]));
  const load = new Map<string, { mem: number; vcpus: number; net: number; vms: string[] }>();
  for (const vm of cluster.vms) {
    const h = hostOf.get(vm.id);
    if (h === undefined) continue;
    const l = load.get(h) ?? { mem: 0, vcpus: 0, net: 0, vms: [] };
    l.mem += vm.memoryMiB;
    l.vcpus += vm.vcpus;
    l.net += vm.networkMbps ?? 0;
    l.vms.push(vm.id);
    load.set(h, l);
    const host = hosts.get(h);
    if (host && vm.vcpus > host.cores) out.push({ constraint: "cores", host: h, vms: [vm.id], requested: vm.vcpus, capacity: host.cores });
  }
  for (const host of cluster.hosts) {
    const l = load.get(host.id);
    if (!l) continue;
    // The overcommit limit in whole vCPUs; the epsilon keeps 16 × 1.1 = 17.6000000001 at 17.
    const vcpuLimit = Math.floor(host.cores * cluster.policy.cpuOvercommit + 1e-9);
    if (l.mem > host.memoryMiB) out.push({ constraint: "memory", host: host.id, vms: l.vms, requested: l.mem, capacity: host.memoryMiB });
    if (l.vcpus > vcpuLimit) out.push({ constraint: "vcpus", host: host.id, vms: l.vms, requested: l.vcpus, capacity: vcpuLimit });
    if (host.networkMbps !== undefined && l.net > host.networkMbps + 1e-9)
      out.push({ constraint: "network", host: host.id, vms: l.vms, requested: l.net, capacity: host.networkMbps });
  }
}

function checkConstraints(cluster: Cluster, hostOf: ReadonlyMap<string, string>, out: Violation[]): void {
  const hosts = new Map(cluster.hosts.map((h) => [h.id, h]));
  cluster.constraints.forEach((c, k) => {
    if (c.soft) return;
    const path = `constraints[${k}]`;
    const placed = c.vms.filter((id) => hostOf.has(id));
    if (c.kind === "anti-affinity") {
      const byHost = new Map<string, string[]>();
      for (const id of placed) byHost.set(hostOf.get(id)!, [...(byHost.get(hostOf.get(id)!) ?? []), id]);
      for (const [h, ids] of byHost) if (ids.length > 1) out.push({ constraint: "anti-affinity", host: h, vms: ids, path });
    } else if (c.kind === "affinity") {
      const distinct = new Set(placed.map((id) => hostOf.get(id)!));
      if (distinct.size > 1) out.push({ constraint: "affinity", vms: placed, path });
    } else {
      for (const id of placed) {
        const h = hosts.get(hostOf.get(id)!);
        if (h && h.labels[c.label] !== c.value) out.push({ constraint: "host-label", host: h.id, vms: [id], path });
      }
    }
  });
}

/**
 * checkCurrentPlacement checks the placement the document describes (each VM's `host`): the hard
 * violations operators live with today. VMs without a current host are not findings here.
 */
export function checkCurrentPlacement(cluster: Cluster): Violation[] {
  const current = cluster.vms.flatMap((v) => (v.host === undefined ? [] : [{ vm: v.id, host: v.host }]));
  return checkPlan(cluster, current, { partial: true });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
