import { z } from "zod";
import type { Cluster, Vm } from "../../model/cluster.js";
import type { Predictor } from "../../interference/predictor.js";
import { MAX_SCORE } from "../../placement/framework.js";
import { buildProblem } from "../../placement/problem.js";
import { defaultProfile, frameworkFor } from "../../placement/profile.js";
import { PlacementState } from "../../placement/state.js";
import { ReasonSchema } from "./reasons.js";
import { evaluate, reasonsFor, type Judged, type Verdict } from "./verdict.js";

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
  /** The `limit` best hosts, best first. */
  hosts: z.array(RankedHostSchema),
  /** Hosts that may take the VM (hosts lists the first `limit` of them). */
  feasibleHosts: z.number().int().min(0),
  /** Hosts that may not. */
  infeasibleHosts: z.number().int().min(0),
  /** How many hosts each constraint rejects (a host may count under several). */
  rejectedBy: z.record(z.string(), z.number().int().min(0)),
  /** Every rejected host with every reason: only when the request asks for `reasons`. */
  infeasible: z.array(InfeasibleHostSchema).optional(),
});
export type PlaceResult = z.infer<typeof PlaceResultSchema>;

/** DEFAULT_PLACE_LIMIT: hosts listed when a request names no limit (an answer stays small at any fleet size). */
export const DEFAULT_PLACE_LIMIT = 10;

export interface AnswerOptions {
  /** List at most this many ranked hosts (default DEFAULT_PLACE_LIMIT). */
  limit?: number;
  /** List every rejected host with every reason (default false). */
  reasons?: boolean;
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
export type Prepared = Judged;

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
  return { cluster, problem, state, framework: frameworkFor(defaultProfile(cluster.policy.objective, { services: cluster.services.length > 0 })), j, hostIndex };
}

/**
 * answerFrom cuts a request's answer from a verdict: the first `limit` ranked hosts with their
 * scores, the counts, and, when asked for, every rejected host with every reason (the candidate
 * in `prep` must be the verdict's). `vmId` names the VM in the answer (a cached preparation may
 * carry a stand-in id).
 */
export function answerFrom(prep: Judged, v: Verdict, vmId: string, options: AnswerOptions = {}): PlaceResult {
  const ids = prep.problem.hosts;
  const top = v.ranked.subarray(0, Math.max(0, options.limit ?? DEFAULT_PLACE_LIMIT));
  const plugins = Object.entries(v.byPlugin);
  const hosts = Array.from(top, (i, k) => ({
    hostId: ids[i].id,
    rank: k + 1,
    score: v.score[i],
    scores: Object.fromEntries(plugins.map(([name, s]) => [name, s[i]])),
  }));
  const out: PlaceResult = {
    vmId,
    best: v.ranked.length > 0 ? ids[v.ranked[0]].id : undefined,
    hosts,
    feasibleHosts: v.ranked.length,
    infeasibleHosts: v.rejected.length,
    rejectedBy: { ...v.rejectedBy },
  };
  if (out.best === undefined) delete out.best;
  if (options.reasons === true)
    out.infeasible = Array.from(v.rejected, (i) => ({ hostId: ids[i].id, unresolvable: v.unresolvable[i] === 1, reasons: reasonsFor(prep, i, vmId) }));
  return out;
}

/** rankHosts prepares, judges and answers in one go (a cluster sent with the request). */
export function rankHosts(base: Cluster, vm: Vm, predictor: Predictor, options: AnswerOptions = {}): PlaceResult {
  const prep = prepare(base, vm, predictor);
  return answerFrom(prep, evaluate(prep), vm.id, options);
}
