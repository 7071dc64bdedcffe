import type { Cluster, Vm } from "../../model/cluster.js";
import type { ParseResult } from "../../model/problems.js";
import type { Judgement, PreparedCluster } from "../place/prepared.js";
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
 * vmOfPod: a VM the cluster document already knows (by namespace/name, or by the bare name as
 * hand-written documents name VMs; a KubeVirt pod goes by its VM's name, vmIdOfPod) is judged as
 * documented there, where its constraints also name it; any other pod is read from annotations.
 */
export function vmOfPod(cluster: Cluster, pod: Pod): ParseResult<Vm> {
  const vms = vmsById(cluster);
  const id = vmIdOfPod(pod);
  // Namespaces hold no "/": what follows the first is the name (the pod's, or its KubeVirt VM's).
  const known = vms.get(id) ?? vms.get(id.slice(id.indexOf("/") + 1));
  return known ? { ok: true, value: known } : podToVm(pod);
}

// A scan of 10,000 VMs per extender call cost more than judging the nodes; index them once.
const byId = new WeakMap<Cluster, ReadonlyMap<string, Vm>>();

function vmsById(cluster: Cluster): ReadonlyMap<string, Vm> {
  let m = byId.get(cluster);
  if (!m) byId.set(cluster, (m = new Map(cluster.vms.map((v) => [v.id, v]))));
  return m;
}

const notInCluster = (c: Candidate): string => `node ${c.name} maps to host "${c.hostId}", which is not in vmplace's cluster document`;

/**
 * filterNodes answers the filter verb: the nodes whose hosts pass every hard constraint. A host
 * that no preemption can fix (too small, missing a required label) is "unresolvable", so the
 * scheduler does not evict pods in vain; a node vmplace does not know is failed, not passed,
 * because vmplace cannot vouch for interference there. A failed node's reason names what rejects
 * it without the node's own figures (reasonKind), so kube-scheduler's event counts nodes per reason.
 */
export function filterNodes(prepared: PreparedCluster, args: ExtenderArgs, vm: Vm): ExtenderFilterResult {
  return filterJudged(prepared, args, prepared.judge(vm));
}

function filterJudged(prepared: PreparedCluster, args: ExtenderArgs, judged: Judgement): ExtenderFilterResult {
  const cands = candidates(args);
  const { verdict } = judged;
  const index = prepared.hostIndex;
  const out: ExtenderFilterResult = { Nodes: null, NodeNames: null, FailedNodes: {}, FailedAndUnresolvableNodes: {}, Error: "" };
  const passed: Candidate[] = [];
  for (const c of cands) {
    const i = index.get(c.hostId);
    if (i === undefined) out.FailedNodes[c.name] = notInCluster(c);
    else if (!Number.isNaN(verdict.score[i])) passed.push(c);
    else (verdict.unresolvable[i] === 1 ? out.FailedAndUnresolvableNodes : out.FailedNodes)[c.name] = judged.failure(i);
  }
  if (args.Nodes?.items) out.Nodes = { ...args.Nodes, items: passed.map((c) => c.node!) };
  else out.NodeNames = passed.map((c) => c.name);
  return out;
}

/**
 * prioritizeNodes answers the prioritize verb: 0–10 per node from the weighted 0–100 score, 0
 * where the VM may not go. No score plugin normalises over the candidates, so a node's score is
 * the same whichever nodes come with it and is read from the cached verdict.
 */
export function prioritizeNodes(prepared: PreparedCluster, args: ExtenderArgs, vm: Vm): HostPriorityList {
  return prioritizeJudged(prepared, args, prepared.judge(vm));
}

function prioritizeJudged(prepared: PreparedCluster, args: ExtenderArgs, { verdict }: Judgement): HostPriorityList {
  const index = prepared.hostIndex;
  const priority = (name: string, hostId: string) => {
    const i = index.get(hostId);
    const score = i === undefined || Number.isNaN(verdict.score[i]) ? 0 : verdict.score[i];
    return { Host: name, Score: Math.round((score / 100) * MAX_EXTENDER_PRIORITY) };
  };
  if (args.Nodes?.items) return args.Nodes.items.map((n) => priority(n.metadata.name, n.metadata.labels?.[NODE_HOST_LABEL] ?? n.metadata.name));
  return (args.NodeNames ?? []).map((name) => priority(name, name));
}

/**
 * bestHost: the host vmplace ranks first among the candidates that may take the VM, where the
 * server assumes the pod runs once prioritize has answered; ties go to the first candidate.
 */
export function bestHost(prepared: PreparedCluster, args: ExtenderArgs, vm: Vm): string | undefined {
  const { verdict } = prepared.judge(vm);
  const index = prepared.hostIndex;
  let best: { hostId: string; score: number } | undefined;
  for (const c of candidates(args)) {
    const i = index.get(c.hostId);
    if (i === undefined || Number.isNaN(verdict.score[i])) continue;
    if (!best || verdict.score[i] > best.score) best = { hostId: c.hostId, score: verdict.score[i] };
  }
  return best?.hostId;
}

/**
 * serialisedAnswer: a verb's answer as the JSON the route sends. With NodeNames (a
 * nodeCacheCapable extender, the mode for large clusters) the answer depends only on the verdict
 * and the names, so it is reused while they repeat; full Node objects are answered afresh.
 */
export function serialisedAnswer(verb: "filter" | "prioritize", prepared: PreparedCluster, args: ExtenderArgs, vm: Vm): string {
  const judged = prepared.judge(vm);
  const make = () => JSON.stringify(verb === "filter" ? filterJudged(prepared, args, judged) : prioritizeJudged(prepared, args, judged));
  return args.NodeNames && !args.Nodes?.items ? judged.reuse(verb, args.NodeNames, make) : make();
}
