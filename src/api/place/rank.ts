import { z } from "zod";
import type { Cluster, Vm } from "../../model/cluster.js";
import type { Predictor } from "../../interference/predictor.js";
import { MAX_SCORE } from "../../placement/framework.js";
import { buildProblem, isAllowed } from "../../placement/problem.js";
import { defaultProfile, frameworkFor } from "../../placement/profile.js";
import { PlacementState } from "../../placement/state.js";
import { reasonOut, ReasonSchema } from "./reasons.js";

export const RankedHostSchema = z.strictObject({
  hostId: z.string(),
  /** 1 = best. */
  rank: z.number().int().min(1),
  /** Weighted score over the profile's score plugins, scaled to 0–100. */
  score: z.number().min(0).max(MAX_SCORE),
  /** Each score plugin's normalised 0–100 score of this host (Consolidation, Risk, ...). */
  scores: z.record(z.string(), z.number()),
});

export const InfeasibleHostSchema = z.strictObject({
  hostId: z.string(),
  /** True when no change on the host can make room (too few cores, memory, a hard label). */
  unresolvable: z.boolean(),
  reasons: z.array(ReasonSchema),
});

export const PlaceResultSchema = z.strictObject({
  vmId: z.string(),
  /** The best host, absent when no host can take the VM. */
  best: z.string().optional(),
  hosts: z.array(RankedHostSchema),
  infeasible: z.array(InfeasibleHostSchema),
});
export type PlaceResult = z.infer<typeof PlaceResultSchema>;

export interface RankOptions {
  /** Judge only these hosts (the extender's candidate nodes); all hosts by default. */
  hostIds?: readonly string[];
  /** Filter only (the extender's filter verb) when false. */
  score?: boolean;
}

/**
 * withCandidate puts `vm` into the cluster as unplaced: a VM of the same id is replaced (it is
 * being placed again, so its old host no longer counts), otherwise the VM is appended.
 */
export function withCandidate(cluster: Cluster, vm: Vm): { cluster: Cluster; j: number } {
  const fresh: Vm = { ...vm, host: undefined };
  const at = cluster.vms.findIndex((v) => v.id === vm.id);
  const vms = at >= 0 ? cluster.vms.map((v, k) => (k === at ? fresh : v)) : [...cluster.vms, fresh];
  return { cluster: { ...cluster, vms }, j: at >= 0 ? at : cluster.vms.length };
}

/**
 * rankHosts answers "where may this one VM go, and where best?" with the placer's framework: the
 * hard filters on every candidate host as the cluster stands (VMs on their current hosts), with
 * every reason for a rejection, then the profile's weighted scorers over the hosts that passed.
 * Cost: O(VMs + hosts) to index the cluster, then O(1) per filter per host.
 */
export function rankHosts(base: Cluster, vm: Vm, predictor: Predictor, options: RankOptions = {}): PlaceResult {
  const { cluster, j } = withCandidate(base, vm);
  const problem = buildProblem(cluster, predictor);
  const index = new Map(cluster.hosts.map((h, i) => [h.id, i]));
  const hostOf = Int32Array.from(cluster.vms, (v, k) => (k === j || v.host === undefined ? -1 : (index.get(v.host) ?? -1)));
  const state = PlacementState.fromAssignment(problem, hostOf);
  const profile = defaultProfile(cluster.policy.objective);
  const framework = frameworkFor(profile);
  const candidates = (options.hostIds ?? cluster.hosts.map((h) => h.id)).map((id) => index.get(id)).filter((i): i is number => i !== undefined);
  const passed: number[] = [];
  const infeasible: PlaceResult["infeasible"] = [];
  for (const i of candidates) {
    const status = framework.filter(state, j, i);
    if (status.code === "ok") passed.push(i);
    else infeasible.push({ hostId: cluster.hosts[i].id, unresolvable: !isAllowed(problem, j, i), reasons: status.reasons.map(reasonOut) });
  }
  if (options.score === false || passed.length === 0) return { vmId: vm.id, hosts: passed.map((i, k) => unscored(cluster.hosts[i].id, k)), infeasible };
  const scored = framework.score(state, j, passed);
  const weightSum = framework.scorers.reduce((s, x) => s + x.weight, 0) || 1;
  const hosts = passed.map((i, k) => ({
    hostId: cluster.hosts[i].id,
    rank: 0,
    score: Math.round((scored.total[k] / weightSum) * 100) / 100,
    scores: Object.fromEntries(Object.entries(scored.byPlugin).map(([name, s]) => [name, Math.round(s[k] * 100) / 100])),
  }));
  hosts.sort((a, b) => b.score - a.score || (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0));
  hosts.forEach((h, k) => (h.rank = k + 1));
  return { vmId: vm.id, best: hosts[0]?.hostId, hosts, infeasible };
}

function unscored(hostId: string, k: number): PlaceResult["hosts"][number] {
  return { hostId, rank: k + 1, score: 0, scores: {} };
}
