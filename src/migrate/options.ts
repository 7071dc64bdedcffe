import type { Cluster, Objective } from "../model/cluster.js";
import type { MigrationMode, MigrationOptions } from "../model/migration.js";
import type { Problem } from "../model/problems.js";
import type { PlacementProfile } from "../placement/profile.js";

/**
 * migrationProfile: the placer's score weights used to rank targets in each mode. Fixing ranks
 * by the victims' remaining SLO slack (Risk) first; rebalancing by the room left (Balance);
 * consolidating by how full the target already is (Consolidation) and, under min-energy, the
 * watts it adds (Energy). Soft constraints always count, and fan-out services' tails when the
 * cluster has services.
 */
export function migrationProfile(mode: MigrationMode, services = false, objective: Objective = "min-cost"): PlacementProfile {
  const soft = { AntiAffinity: 1, Affinity: 1, HostLabel: 1, ServiceTail: services ? 1 : 0 };
  switch (mode) {
    case "rebalance":
      return { weights: { Consolidation: 0, Balance: 3, Risk: 2, Energy: 0, ...soft } };
    case "consolidate":
      return { weights: { Consolidation: 3, Balance: 0, Risk: 1, Energy: objective === "min-energy" ? 1 : 0, ...soft } };
    case "evacuate":
      return { weights: { Consolidation: 1, Balance: 2, Risk: 2, Energy: 0, ...soft } };
    default:
      return { weights: { Consolidation: 1, Balance: 1, Risk: 3, Energy: 0, ...soft } };
  }
}

/** optionProblems: what the options get wrong about this cluster (the schema cannot see it). */
export function optionProblems(c: Cluster, o: MigrationOptions): Problem[] {
  const out: Problem[] = [];
  if (o.host !== undefined && !c.hosts.some((h) => h.id === o.host))
    out.push({ path: "host", message: `no host "${o.host}" in the cluster` });
  if (o.host !== undefined && o.mode !== "evacuate") out.push({ path: "host", message: "a host is named only with mode evacuate" });
  if (!c.vms.some((v) => v.host !== undefined)) out.push({ path: "vms", message: "no VM carries its current host, so there is nothing to migrate" });
  return out;
}
