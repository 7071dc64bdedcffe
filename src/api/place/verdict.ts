import type { Cluster } from "../../model/cluster.js";
import type { Framework, Reason } from "../../placement/framework.js";
import { isAllowed, type PlacementProblem } from "../../placement/problem.js";
import type { PlacementState } from "../../placement/state.js";
import { LazyScores } from "./lazy-scores.js";
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

/** DEFAULT_PLACE_LIMIT: hosts listed when a request names no limit (an answer stays small at any fleet size). */
export const DEFAULT_PLACE_LIMIT = 10;

/**
 * Verdict: every host judged for one candidate VM, as numbers. It is what a request's answer is
 * cut from (the top N, counts, one node's score) and is cached per VM shape by PreparedCluster,
 * so it holds no reasons: those are built only when asked for. Every host is filtered up front;
 * scores are exact but lazy: the best hosts asked for first, the others when read.
 */
export interface Verdict {
  /** How many hosts pass every filter. */
  readonly feasible: number;
  /** passes: host i passes every filter. */
  passes(i: number): boolean;
  /** top: the first k hosts that pass, best first (score, then host id). */
  top(k: number): Int32Array;
  /** scoreOf: host i's weighted score 0–100 (2 decimals), NaN for a rejected host. */
  scoreOf(i: number): number;
  /** pluginScores: each score plugin's 0–100 score (2 decimals) of passed host i. */
  pluginScores(i: number): Record<string, number>;
  /** Rejected hosts, in the cluster's order. */
  readonly rejected: Int32Array;
  /** Per host index: 1 when no change on the host could make room (the static check fails). */
  readonly unresolvable: Uint8Array;
  /** Hosts each filter rejects (a host may count under several). */
  readonly rejectedBy: Readonly<Record<string, number>>;
  /** Hosts scored exactly so far (the rest were not needed yet). */
  readonly scored: number;
}

/**
 * evaluate runs the framework over every host: each filter's allocation-free `fits`, counting
 * what rejects a host, then the weighted scores of the hosts that passed, exactly for the best
 * `want` and lazily for the rest (LazyScores). `again` sets the judgement up anew for a later
 * read (a cached verdict's candidate slot may hold another VM by then). Reasons are left to
 * `reasonsFor`.
 */
export function evaluate(prep: Judged, again: () => Judged = () => prep, want = DEFAULT_PLACE_LIMIT): Verdict {
  const { problem, state, framework, j } = prep;
  const n = problem.nHosts;
  const passed: number[] = [];
  const rejected: number[] = [];
  const unresolvable = new Uint8Array(n);
  const rejectedBy: Record<string, number> = {};
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // Each filter once per host: the answer of framework.fits (allowed and every filter fits),
    // and the counts of what rejects it. Running framework.fits first and then every filter again
    // on a rejected host judged the interference filter twice on most of a busy fleet (a sixth of
    // judging a new VM shape at 1,000 hosts).
    const allowed = isAllowed(problem, j, i);
    let fits = allowed;
    for (const f of framework.filters)
      if (!f.fits(state, j, i)) {
        fits = false;
        rejectedBy[f.name] = (rejectedBy[f.name] ?? 0) + 1;
      }
    if (fits) {
      passed.push(i);
      ok[i] = 1;
      continue;
    }
    rejected.push(i);
    if (!allowed) unresolvable[i] = 1;
  }
  const ids = problem.hosts.map((h) => h.id);
  const scores = new LazyScores(framework, again, passed, (a, b) => scores.score[b] - scores.score[a] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0), n);
  if (passed.length > 0) scores.rankTop(want, prep);
  return {
    feasible: passed.length,
    passes: (i) => ok[i] === 1,
    top: (k) => scores.top(k),
    scoreOf: (i) => scores.scoreOf(i),
    pluginScores: (i) => {
      scores.scoreOf(i);
      return scores.pluginScores(i);
    },
    rejected: Int32Array.from(rejected),
    unresolvable,
    rejectedBy,
    get scored() {
      return scores.scored;
    },
  };
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
