import { checkPlan } from "../model/check-plan.js";
import type { PlacementProblem } from "./problem.js";

/** changedVms: the VMs two assignments place differently, ascending. */
export function changedVms(a: Int32Array, b: Int32Array): number[] {
  const out: number[] = [];
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) out.push(j);
  return out;
}

/**
 * acceptableChange: the independent checker on the part of the plan a change touches, given the
 * plan before it passed: every VM on a host a moved VM left or joined (capacities), and every
 * member of a constraint group naming a moved VM (affinity, anti-affinity, labels), where the
 * change puts them. Hosts outside keep the same VMs, so nothing there can break.
 */
export function acceptableChange(p: PlacementProblem, before: Int32Array, after: Int32Array, moved: readonly number[]): boolean {
  const hosts = new Set<number>();
  for (const j of moved) (hosts.add(before[j]), hosts.add(after[j]));
  hosts.delete(-1);
  const vms = new Set<number>();
  for (let j = 0; j < p.nVms; j++) if (hosts.has(after[j])) vms.add(j);
  const groups = new Set<number>();
  for (const j of moved) {
    for (const g of p.vmAntiAffinity[j]) (groups.add(p.antiAffinity[g].index), p.antiAffinity[g].vms.forEach((k) => vms.add(k)));
    for (const g of p.vmAffinity[j]) (groups.add(p.affinity[g].index), p.affinity[g].vms.forEach((k) => vms.add(k)));
    for (const g of p.vmHostLabel[j]) groups.add(p.hostLabel[g].index);
  }
  const constraints = [...groups].sort((a, b) => a - b).map((g) => p.cluster.constraints[g]);
  for (const j of vms) if (after[j] >= 0) hosts.add(after[j]);
  const sub = { ...p.cluster, hosts: [...hosts].sort((a, b) => a - b).map((i) => p.hosts[i]), vms: [...vms].sort((a, b) => a - b).map((j) => p.vms[j]), constraints };
  const assignments = [...vms].flatMap((j) => (after[j] >= 0 ? [{ vm: p.vms[j].id, host: p.hosts[after[j]].id }] : []));
  return checkPlan(sub, assignments, { partial: true }).length === 0;
}
