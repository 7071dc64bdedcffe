import type { HostLoad, MigrationPlan, VmLatency } from "../model/migration.js";

/** Which hosts and VMs a report shows: all of a small cluster, the most changed of a large one. */

/** changedHosts: hosts a move leaves or reaches, by id. */
export function changedHosts(p: MigrationPlan): string[] {
  return [...new Set(p.moves.flatMap((m) => [m.from, m.to]))].sort();
}

function loadOf(h: HostLoad): number {
  return (h.memoryUsedMiB / h.memoryMiB + h.vcpus / h.vcpuCap) / 2;
}

/** HostPair: one host before and after. */
export interface HostPair {
  readonly before: HostLoad;
  readonly after: HostLoad;
}

/**
 * chartHosts: every host when there are at most `max`, else the changed hosts whose load moved
 * most (at most `max`), in id order.
 */
export function chartHosts(p: MigrationPlan, max = 40): { hosts: HostPair[]; hidden: number } {
  const after = new Map(p.hosts.after.map((h) => [h.hostId, h]));
  const pairs = p.hosts.before.map((b) => ({ before: b, after: after.get(b.hostId) ?? b }));
  if (pairs.length <= max) return { hosts: pairs, hidden: 0 };
  const changed = new Set(changedHosts(p));
  const delta = (x: HostPair): number => Math.abs(loadOf(x.after) - loadOf(x.before)) + x.before.breaches;
  const shown = pairs
    .filter((x) => changed.has(x.before.hostId))
    .sort((a, b) => delta(b) - delta(a) || (a.before.hostId < b.before.hostId ? -1 : 1))
    .slice(0, max)
    .sort((a, b) => (a.before.hostId < b.before.hostId ? -1 : 1));
  return { hosts: shown, hidden: pairs.length - shown.length };
}

/**
 * latencyRows: latency-sensitive VMs whose prediction the plan changes (or all of a small
 * cluster), worst before-ratio first, at most `max`.
 */
export function latencyRows(p: MigrationPlan, max = 60): VmLatency[] {
  const changed = new Set(changedHosts(p));
  const small = p.vms.length <= max;
  const rows = p.vms.filter((v) => small || changed.has(v.hostBefore) || changed.has(v.hostAfter));
  const ratio = (v: VmLatency): number => v.beforeRatio ?? 0;
  return rows.sort((a, b) => ratio(b) - ratio(a) || (a.vmId < b.vmId ? -1 : 1)).slice(0, max);
}
