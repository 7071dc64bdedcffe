import { z } from "zod";
import type { Cluster, Vm } from "../../model/cluster.js";
import type { Predictor } from "../../interference/predictor.js";
import { MAX_SCORE, type Framework, type Reason } from "../../placement/framework.js";
import { buildProblem, isAllowed, type PlacementProblem } from "../../placement/problem.js";
import { defaultProfile, frameworkFor } from "../../placement/profile.js";
import { PlacementState } from "../../placement/state.js";
import { reasonOut, ReasonSchema, type ReasonOut } from "./reasons.js";

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

/** Prepared: a cluster with one candidate VM, indexed and with its placement state built. */
export interface Prepared {
  readonly cluster: Cluster;
  readonly problem: PlacementProblem;
  readonly state: PlacementState;
  readonly framework: Framework;
  /** Index of the candidate VM. */
  readonly j: number;
  readonly hostIndex: ReadonlyMap<string, number>;
}

/**
 * prepare indexes the cluster with `vm` as the candidate, every other VM on its current host.
 * Cost: O(VMs + hosts). The result is only read afterwards, so it may be reused for any number
 * of judgements of the same VM (PreparedCluster caches it).
 */
export function prepare(base: Cluster, vm: Vm, predictor: Predictor): Prepared {
  const { cluster, j } = withCandidate(base, vm);
  const problem = buildProblem(cluster, predictor);
  const hostIndex = new Map(cluster.hosts.map((h, i) => [h.id, i]));
  const hostOf = Int32Array.from(cluster.vms, (v, k) => (k === j || v.host === undefined ? -1 : (hostIndex.get(v.host) ?? -1)));
  const state = PlacementState.fromAssignment(problem, hostOf);
  return { cluster, problem, state, framework: frameworkFor(defaultProfile(cluster.policy.objective)), j, hostIndex };
}

/**
 * judge answers "where may this one VM go, and where best?" with the placer's framework: the hard
 * filters on every candidate host as the cluster stands, with every reason for a rejection, then
 * the profile's weighted scorers over the hosts that passed. O(1) per filter per host.
 * `vmId` names the VM in the answer (a cached preparation may carry a stand-in id).
 */
export function judge(prep: Prepared, vmId: string, options: RankOptions = {}): PlaceResult {
  const { cluster, problem, state, framework, j } = prep;
  const standIn = cluster.vms[j].id;
  const named = (r: Reason): ReasonOut => reasonOut(r.vm === standIn ? { ...r, vm: vmId } : r);
  const candidates = (options.hostIds ?? cluster.hosts.map((h) => h.id)).map((id) => prep.hostIndex.get(id)).filter((i): i is number => i !== undefined);
  const passed: number[] = [];
  const infeasible: PlaceResult["infeasible"] = [];
  for (const i of candidates) {
    const status = framework.filter(state, j, i);
    if (status.code === "ok") passed.push(i);
    else infeasible.push({ hostId: cluster.hosts[i].id, unresolvable: !isAllowed(problem, j, i), reasons: status.reasons.map(named) });
  }
  if (options.score === false || passed.length === 0) return { vmId, hosts: passed.map((i, k) => unscored(cluster.hosts[i].id, k)), infeasible };
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
  return { vmId, best: hosts[0]?.hostId, hosts, infeasible };
}

/** rankHosts prepares and judges in one go (a cluster sent with the request). */
export function rankHosts(base: Cluster, vm: Vm, predictor: Predictor, options: RankOptions = {}): PlaceResult {
  return judge(prepare(base, vm, predictor), vm.id, options);
}

function unscored(hostId: string, k: number): PlaceResult["hosts"][number] {
  return { hostId, rank: k + 1, score: 0, scores: {} };
}
