import type { Cluster } from "../../model/cluster.js";
import type { Framework, Reason } from "../../placement/framework.js";
import { isAllowed, type PlacementProblem } from "../../placement/problem.js";
import type { PlacementState } from "../../placement/state.js";
import { reasonOut, type ReasonOut } from "./reasons.js";

/** Judged: a cluster with one candidate VM at index j, indexed, with its placement state. */
export interface Judged {
  readonly cluster: Cluster;
  readonly problem: PlacementProblem;
  readonly state: PlacementState;
  readonly framework: Framework;
  /** Index of the candidate VM. */
  readonly j: number;
  readonly hostIndex: ReadonlyMap<string, number>;
}

/**
 * Verdict: every host judged for one candidate VM, as numbers. It is what a request's answer is
 * cut from (the top N, counts, one node's score) and is cached per VM shape by PreparedCluster,
 * so it holds no reasons: those are built only when asked for.
 */
export interface Verdict {
  /** Hosts that pass every filter, best first (score, then host id). */
  readonly ranked: Int32Array;
  /** Per host index: weighted score 0–100 (2 decimals), NaN for a rejected host. */
  readonly score: Float64Array;
  /** Per score plugin, per host index: its 0–100 score (2 decimals). */
  readonly byPlugin: Readonly<Record<string, Float64Array>>;
  /** Rejected hosts, in the cluster's order. */
  readonly rejected: Int32Array;
  /** Per host index: 1 when no change on the host could make room (the static check fails). */
  readonly unresolvable: Uint8Array;
  /** Hosts each filter rejects (a host may count under several). */
  readonly rejectedBy: Readonly<Record<string, number>>;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * evaluate runs the framework over every host: the allocation-free `fits` first, each filter's
 * own `fits` on a rejected host to count what rejects it, then the weighted scorers over the
 * hosts that passed. O(hosts × plugins); reasons are left to `reasonsFor`.
 */
export function evaluate(prep: Judged): Verdict {
  const { problem, state, framework, j } = prep;
  const n = problem.nHosts;
  const passed: number[] = [];
  const rejected: number[] = [];
  const unresolvable = new Uint8Array(n);
  const rejectedBy: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    if (framework.fits(state, j, i)) {
      passed.push(i);
      continue;
    }
    rejected.push(i);
    if (!isAllowed(problem, j, i)) unresolvable[i] = 1;
    for (const f of framework.filters) if (!f.fits(state, j, i)) rejectedBy[f.name] = (rejectedBy[f.name] ?? 0) + 1;
  }
  const score = new Float64Array(n).fill(NaN);
  const byPlugin: Record<string, Float64Array> = {};
  if (passed.length > 0) {
    const scored = framework.score(state, j, passed);
    const weightSum = framework.scorers.reduce((s, x) => s + x.weight, 0) || 1;
    passed.forEach((i, k) => (score[i] = round2(scored.total[k] / weightSum)));
    for (const [name, s] of Object.entries(scored.byPlugin)) {
      const perHost = new Float64Array(n).fill(NaN);
      passed.forEach((i, k) => (perHost[i] = round2(s[k])));
      byPlugin[name] = perHost;
    }
  }
  const ids = problem.hosts.map((h) => h.id);
  passed.sort((a, b) => score[b] - score[a] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  return { ranked: Int32Array.from(passed), score, byPlugin, rejected: Int32Array.from(rejected), unresolvable, rejectedBy };
}

/**
 * reasonsFor lists every reason each filter rejects host i for (the candidate must be the one
 * the verdict was made for); `vmId` replaces a stand-in id in the reasons.
 */
export function reasonsFor(prep: Judged, i: number, vmId: string): ReasonOut[] {
  const standIn = prep.cluster.vms[prep.j].id;
  const named = (r: Reason): ReasonOut => reasonOut(r.vm === standIn ? { ...r, vm: vmId } : r);
  return prep.framework.filter(prep.state, prep.j, i).reasons.map(named);
}

/** scoresDependOnCandidates: a scorer normalises over the hosts judged, so a subset needs its own scores. */
export function scoresDependOnCandidates(framework: Framework): boolean {
  return framework.scorers.some((s) => s.plugin.normalize !== undefined);
}
