import { z } from "zod";
import type { Reason } from "../../placement/framework.js";

/** ReasonSchema: the placer's Reason as data, plus a sentence a person can read. */
export const ReasonSchema = z.strictObject({
  /** Stable name of the constraint that rejects the host (ResourceFit, Interference, ...). */
  constraint: z.string(),
  resource: z.string().optional(),
  /** The VM's demand, the host's use and its limit, in the resource's unit (null = unlimited). */
  requested: z.number().nullable(),
  used: z.number().nullable(),
  capacity: z.number().nullable(),
  /** JSON path of the document constraint behind it, e.g. "constraints[3]". */
  group: z.string().optional(),
  /** The other VM involved (an SLO that would break, an affinity partner elsewhere). */
  vm: z.string().optional(),
  message: z.string(),
});
export type ReasonOut = z.infer<typeof ReasonSchema>;

/** describeReason renders one rejection reason as a sentence. */
export function describeReason(r: Reason): string {
  const fmt = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 10) / 10) : "unlimited");
  switch (`${r.constraint}/${r.resource ?? ""}`) {
    case "ResourceFit/cores":
      return `the VM has ${fmt(r.requested)} vCPUs but the host only ${fmt(r.capacity)} cores`;
    case "Interference/p999DelayUs":
      return `predicted p99.9 interference delay with the VM: ${fmt(r.requested)} µs (now ${fmt(r.used)}); the tightest SLO among the host's latency-sensitive VMs and this one allows ${fmt(r.capacity)} µs`;
    case "Interference/sleepyVcpus":
      return `VM ${r.vm ?? "?"} would be in the Bobtail condition: ${fmt(r.used)} sleepy CPU-bound vCPUs against ${fmt(r.capacity + 1)} cores (forbidBobtail)`;
    case "AntiAffinity/groupMembers":
      return `anti-affinity ${r.group ?? ""}: ${fmt(r.used)} member(s) already on this host`;
    case "Affinity/groupHosts":
      return `affinity ${r.group ?? ""}: its member ${r.vm ?? "?"} runs on another host`;
  }
  if (r.constraint === "HostLabel") return `host-label ${r.group ?? ""}: the host lacks ${r.resource?.replace(/^label:/, "") ?? "the label"}`;
  if (r.constraint === "ResourceFit")
    return `${r.resource ?? "capacity"}: needs ${fmt(r.requested)}, ${fmt(r.used)} of ${fmt(r.capacity)} already in use`;
  const where = r.resource ? ` (${r.resource}: requested ${fmt(r.requested)}, used ${fmt(r.used)}, capacity ${fmt(r.capacity)})` : "";
  return `${r.constraint} rejects the host${where}`;
}

export function reasonOut(r: Reason): ReasonOut {
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return { ...r, requested: finite(r.requested), used: finite(r.used), capacity: finite(r.capacity), message: describeReason(r) };
}

/**
 * reasonKind renders a reason without the host's own numbers. kube-scheduler tells a pod's
 * events how many nodes failed for each distinct reason ("0/1000 nodes are available: 443 ..."),
 * so a per-node figure would make every node its own line; the figures are in /v1/place's
 * reasons. Constraint groups keep their JSON path: each group is one line.
 */
export function reasonKind(r: Reason): string {
  switch (`${r.constraint}/${r.resource ?? ""}`) {
    case "ResourceFit/memoryMiB":
      return "not enough free memory";
    case "ResourceFit/vcpus":
      return "vCPU overcommit limit reached";
    case "ResourceFit/cores":
      return "more vCPUs than the node has cores";
    case "ResourceFit/networkMbps":
      return "not enough free network bandwidth";
    case "Interference/p999DelayUs":
      return "predicted p99.9 latency over an SLO";
    case "Interference/sleepyVcpus":
      return "a latency-sensitive VM would be in the Bobtail condition";
  }
  return `${r.constraint}${r.group ? ` ${r.group}` : ""}${r.resource ? ` (${r.resource})` : ""}`;
}
