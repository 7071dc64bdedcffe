import type { AdviceSettings } from "../model/advice.js";
import type { Cluster } from "../model/cluster.js";
import type { Problem } from "../model/problems.js";

/**
 * adviceProblems: what the settings get wrong about this cluster (the schema cannot see it), for
 * the CLI (exit 2) and the API (400) alike. Paths name the setting ("host") or the cluster field.
 */
export function adviceProblems(c: Cluster, s: Pick<AdviceSettings, "host">): Problem[] {
  if (!c.vms.some((v) => v.host !== undefined)) return [{ path: "vms", message: "no VM carries its current host, so no host has anything to advise on" }];
  if (s.host === undefined) return [];
  if (!c.hosts.some((h) => h.id === s.host)) return [{ path: "host", message: `no host "${s.host}" in the cluster (hosts: ${listed(c.hosts.map((h) => h.id))})` }];
  if (!c.vms.some((v) => v.host === s.host)) return [{ path: "host", message: `no VM runs on host "${s.host}" (a VM's current host is its "host" field)` }];
  return [];
}

function listed(ids: readonly string[]): string {
  return ids.length <= 8 ? ids.join(", ") : `${ids.slice(0, 8).join(", ")}, ... ${ids.length - 8} more`;
}
