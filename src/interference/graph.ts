import { MultiDirectedGraph } from "graphology";
import type { Cluster, Host } from "../model/cluster.js";
import { HostState } from "./host-state.js";
import { newPrediction, type Predictor } from "./predictor.js";
import { profileVm, type VmProfile } from "./profile.js";

export type EdgeKind = "harm" | "anti-affinity" | "affinity";

export interface NodeAttrs {
  hostId?: string;
  latencySensitive: boolean;
  cpuVcpus: number;
}

export interface EdgeAttrs {
  kind: EdgeKind;
  /** harm: the victim's predicted request p99.9 delay this neighbour adds, in µs. */
  harmUs: number;
  /** harm: that delay over the victim's p99.9 SLO (0 without an SLO). */
  harmSloFraction: number;
  soft: boolean;
}

export type InterferenceGraph = MultiDirectedGraph<NodeAttrs, EdgeAttrs>;

/**
 * buildInterferenceGraph links VMs by harm and by constraints. A harm edge aggressor → victim is
 * the victim's predicted p99.9 with the aggressor on its host minus without it: the marginal harm.
 * Only VMs sharing a host are compared, so the cost is the sum of squared VMs per host, not
 * VMs² (a cluster-wide all-pairs graph would be 10^8 edges at 10,000 VMs).
 */
export function buildInterferenceGraph(c: Cluster, predictor: Predictor): InterferenceGraph {
  const g: InterferenceGraph = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>();
  const byHost = new Map<string, VmProfile[]>();
  for (const vm of c.vms) {
    const p = profileVm(vm);
    g.addNode(vm.id, { hostId: vm.host, latencySensitive: p.io !== undefined, cpuVcpus: p.cpuVcpus });
    if (vm.host !== undefined) byHost.set(vm.host, [...(byHost.get(vm.host) ?? []), p]);
  }
  for (const h of c.hosts) addHarmEdges(g, h, byHost.get(h.id) ?? [], predictor);
  for (const con of c.constraints) {
    if (con.kind === "host-label") continue;
    for (let i = 0; i < con.vms.length; i++)
      for (let j = i + 1; j < con.vms.length; j++)
        g.addDirectedEdge(con.vms[i], con.vms[j], { kind: con.kind, harmUs: 0, harmSloFraction: 0, soft: con.soft });
  }
  return g;
}

function addHarmEdges(g: InterferenceGraph, host: Host, vms: readonly VmProfile[], predictor: Predictor): void {
  const victims = vms.map((p) => predictor.victim(p));
  const aggressors = vms.filter((p) => p.cpuVcpus > 0);
  if (!victims.some((v) => v) || aggressors.length === 0) return;
  const state = new HostState(host, predictor);
  vms.forEach((p, i) => state.add(p, victims[i]));
  const out = newPrediction();
  const full = victims.map((v) => (v ? state.predictVictim(v, out).estimateUs[1] : 0));
  for (const a of aggressors) {
    const ai = vms.indexOf(a);
    state.remove(a, victims[ai]);
    vms.forEach((v, i) => {
      const vt = victims[i];
      if (!vt || v.id === a.id) return;
      const harmUs = full[i] - state.predictVictim(vt, out).estimateUs[1];
      if (harmUs <= 0) return;
      g.addDirectedEdge(a.id, v.id, { kind: "harm", harmUs: Math.round(harmUs), harmSloFraction: v.sloP999Us ? harmUs / v.sloP999Us : 0, soft: true });
    });
    state.add(a, victims[ai]);
  }
}

/** mostHarmfulNeighbours lists the VMs that add most to a victim's tail, worst first. */
export function mostHarmfulNeighbours(g: InterferenceGraph, vmId: string, limit = 5): { vmId: string; harmUs: number }[] {
  const out: { vmId: string; harmUs: number }[] = [];
  g.forEachInEdge(vmId, (_e, attrs, source) => {
    if (attrs.kind === "harm") out.push({ vmId: source, harmUs: attrs.harmUs });
  });
  out.sort((a, b) => b.harmUs - a.harmUs || (a.vmId < b.vmId ? -1 : 1));
  return out.slice(0, limit);
}

/**
 * spreadGroups are the connected groups of VMs that must not share a host: hard anti-affinity
 * plus harm edges costing at least `minSloFraction` of the victim's SLO. Groups of one are left out.
 */
export function spreadGroups(g: InterferenceGraph, minSloFraction = 0.25): string[][] {
  const adj = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    adj.set(a, [...(adj.get(a) ?? []), b]);
    adj.set(b, [...(adj.get(b) ?? []), a]);
  };
  g.forEachEdge((_e, attrs, s, t) => {
    if ((attrs.kind === "anti-affinity" && !attrs.soft) || (attrs.kind === "harm" && attrs.harmSloFraction >= minSloFraction)) link(s, t);
  });
  const seen = new Set<string>();
  const groups: string[][] = [];
  for (const start of [...adj.keys()].sort()) {
    if (seen.has(start)) continue;
    const group: string[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const n = stack.pop() as string;
      group.push(n);
      for (const m of adj.get(n) ?? []) if (!seen.has(m)) (seen.add(m), stack.push(m));
    }
    if (group.length > 1) groups.push(group.sort());
  }
  return groups;
}
