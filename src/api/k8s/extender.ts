import type { Cluster, Vm } from "../../model/cluster.js";
import type { ParseResult } from "../../model/problems.js";
import type { PreparedCluster } from "../place/prepared.js";
import type { PlaceResult } from "../place/rank.js";
import { podToVm, vmIdOfPod } from "./pod-vm.js";
import {
  MAX_EXTENDER_PRIORITY,
  type ExtenderArgs,
  type ExtenderFilterResult,
  type HostPriorityList,
  type Node,
  type Pod,
} from "./schemas.js";

/** NODE_HOST_LABEL on a Node names its host in the cluster document when the names differ. */
export const NODE_HOST_LABEL = "vmplace.io/host";

interface Candidate {
  name: string;
  hostId: string;
  node?: Node;
}

function candidates(args: ExtenderArgs): Candidate[] {
  if (args.Nodes?.items) {
    return args.Nodes.items.map((node) => ({ name: node.metadata.name, hostId: node.metadata.labels?.[NODE_HOST_LABEL] ?? node.metadata.name, node }));
  }
  return (args.NodeNames ?? []).map((name) => ({ name, hostId: name }));
}

/**
 * vmOfPod: a VM the cluster document already knows (by namespace/name, or by the bare pod name
 * as hand-written documents name VMs) is judged as documented there, where its constraints also
 * name it; any other pod is read from its annotations.
 */
export function vmOfPod(cluster: Cluster, pod: Pod): ParseResult<Vm> {
  const full = vmIdOfPod(pod);
  const known = cluster.vms.find((v) => v.id === full) ?? cluster.vms.find((v) => v.id === pod.metadata.name);
  return known ? { ok: true, value: known } : podToVm(pod);
}

const notInCluster = (c: Candidate): string => `node ${c.name} maps to host "${c.hostId}", which is not in vmplace's cluster document`;

/** judge runs the placer over the candidates that map to known hosts. */
function judge(prepared: PreparedCluster, vm: Vm, cands: readonly Candidate[], score: boolean): PlaceResult {
  const known = new Set(prepared.cluster.hosts.map((h) => h.id));
  return prepared.rank(vm, { hostIds: cands.filter((c) => known.has(c.hostId)).map((c) => c.hostId), score });
}

/**
 * filterNodes answers the filter verb: the nodes whose hosts pass every hard constraint. A host
 * that no preemption can fix (too small, missing a required label) is "unresolvable", so the
 * scheduler does not evict pods in vain; a node vmplace does not know is failed, not passed,
 * because vmplace cannot vouch for interference there.
 */
export function filterNodes(prepared: PreparedCluster, args: ExtenderArgs, vm: Vm): ExtenderFilterResult {
  const cands = candidates(args);
  const result = judge(prepared, vm, cands, false);
  const ok = new Set(result.hosts.map((h) => h.hostId));
  const bad = new Map(result.infeasible.map((h) => [h.hostId, h]));
  const out: ExtenderFilterResult = { Nodes: null, NodeNames: null, FailedNodes: {}, FailedAndUnresolvableNodes: {}, Error: "" };
  const passed: Candidate[] = [];
  for (const c of cands) {
    const why = bad.get(c.hostId);
    if (ok.has(c.hostId)) passed.push(c);
    else if (!why) out.FailedNodes[c.name] = notInCluster(c);
    else (why.unresolvable ? out.FailedAndUnresolvableNodes : out.FailedNodes)[c.name] = why.reasons.map((r) => `${r.constraint}: ${r.message}`).join("; ");
  }
  if (args.Nodes?.items) out.Nodes = { ...args.Nodes, items: passed.map((c) => c.node!) };
  else out.NodeNames = passed.map((c) => c.name);
  return out;
}

/** prioritizeNodes answers the prioritize verb: 0–10 per node from the weighted 0–100 score. */
export function prioritizeNodes(prepared: PreparedCluster, args: ExtenderArgs, vm: Vm): HostPriorityList {
  const cands = candidates(args);
  const result = judge(prepared, vm, cands, true);
  const score = new Map(result.hosts.map((h) => [h.hostId, h.score]));
  return cands.map((c) => ({ Host: c.name, Score: Math.round(((score.get(c.hostId) ?? 0) / 100) * MAX_EXTENDER_PRIORITY) }));
}
