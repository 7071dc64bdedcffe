import seedrandom from "seedrandom";
import { checkPlan } from "../model/check-plan.js";
import type { Framework } from "./framework.js";
import type { ItemSet } from "./items.js";
import { defaultSoftPenalty } from "./lp-rows.js";
import type { PlacementProblem } from "./problem.js";
import type { ExactResult, ExactSolver } from "./solver.js";
import { PlacementState } from "./state.js";
import { acceptableChange, changedVms } from "./check-change.js";
import { Journal } from "./solvers/journal.js";
import { localSearch, objectiveOf, type LocalSearchResult, type StopReason } from "./solvers/local-search.js";
import { partitionedSearch, partsFor } from "./solvers/partition.js";

/** Exact models up to this many x variables (VMs × hosts) go to HiGHS under "auto" (issue 5: ~60k binaries). */
export const EXACT_MAX_PAIRS = 60_000;

/** LnsStep re-solves a few hosts exactly and returns a strictly better assignment, or undefined. */
export type LnsStep = (p: PlacementProblem, assignment: Int32Array, hosts: readonly number[], timeLimitMs: number) => Promise<Int32Array | undefined>;

export interface OptimiseOptions {
  readonly solver: "auto" | "milp" | "heuristic";
  readonly seed: number;
  readonly timeBudgetMs: number;
  readonly iterations?: number;
  readonly now?: () => number;
  readonly exact?: ExactSolver;
  readonly lns?: LnsStep;
  readonly target: number | undefined;
  /** Partitioned search: false turns it off; groupVms sets the VMs per host group (default GROUP_VMS). */
  readonly partition?: false | { readonly groupVms: number };
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Fallback: why an exact solve that ran did not give the plan. time-limit: no plan, or only a
 * worse one, within the limit; work-limit: the same within the node limit of a count budget; size: the backend refused the model; infeasible: the backend
 * proved no plan places every VM; crash: the backend died; error: it failed otherwise;
 * rejected: its plan failed the independent checker; worse: it proved its linear model optimal,
 * but its plan scores worse on the plan's own objective (the model approximates the objective,
 * as min-energy's straight lines do a concave power curve, or its interference rows are
 * conservative).
 */
export interface Fallback {
  readonly reason: "time-limit" | "work-limit" | "size" | "infeasible" | "crash" | "error" | "rejected" | "worse";
  readonly detail: string;
}

export interface Optimised {
  readonly assignment: Int32Array;
  readonly used: "heuristic" | "milp" | "heuristic+lns";
  /** model-optimal: the exact backend proved its linear model optimal (a proof for the plan only at a zero gap). */
  readonly stoppedOn: StopReason | "model-optimal";
  readonly iterations: number;
  readonly exactStatus?: string;
  readonly dualBound?: number;
  readonly note?: string;
  readonly fallback?: Fallback;
}

/** Search length under a wall-clock budget (the clock stops it), and without clock or count. */
const UNBOUNDED_ITERATIONS = 2 ** 31 - 1;
export const DEFAULT_ITERATIONS = 50_000;

/**
 * stallLimit: iterations without a new best after which the search gives up. Scaled with the
 * VMs (each iteration touches a few hosts, so a large fleet needs more of them to revisit every
 * host); on small instances it ends the search in about a second instead of the whole budget.
 */
function stallLimit(p: PlacementProblem): number {
  return Math.max(20_000, 50 * p.nVms);
}

/**
 * optimise improves a construction within the budget: the local search always runs (it is the
 * MILP's start too); small problems (or --solver milp) then go to the exact backend with the
 * search's plan as start and the lower bound as target; large ones may finish with LNS steps
 * that re-solve three hosts exactly. Every exact answer must pass the independent checker and
 * beat the search's objective before it replaces the plan.
 */
export async function optimise(p: PlacementProblem, fw: Framework, set: ItemSet, start: Int32Array, o: OptimiseOptions): Promise<Optimised> {
  const t0 = o.now?.() ?? 0;
  const left = (): number => o.timeBudgetMs - ((o.now?.() ?? t0) - t0);
  const exactFirst = o.exact !== undefined && (o.solver === "milp" || (o.solver === "auto" && p.nVms * p.nHosts <= EXACT_MAX_PAIRS));
  // Measured: LNS over three hosts rarely beats the search at 1,000-10,000 VMs; it gets a tenth.
  const lsBudget = exactFirst ? o.timeBudgetMs * 0.25 : o.lns ? o.timeBudgetMs * 0.9 : o.timeBudgetMs;
  const ls = search(p, fw, set, start, o, exactFirst || o.partition === false ? 1 : partsFor(p, start, o.partition?.groupVms), lsBudget);
  const base: Optimised = { assignment: Int32Array.from(ls.state.hostOf), used: "heuristic", stoppedOn: ls.stoppedOn, iterations: ls.iterations, note: ls.note };
  if (ls.stoppedOn === "bound-met") return base;
  if (exactFirst && o.exact) return exactStep(p, fw, o.exact, ls.state, base, Math.max(200, left()), o);
  if (o.lns && o.iterations === undefined && o.now) return lnsSteps(p, fw, o.lns, ls.state, base, left, o);
  return base;
}

/** Share of the search (time or iterations) the host groups get on a partitioned fleet; the whole-fleet pass after the merge gets the rest. */
const GROUP_SHARE = 0.8;
const ROUNDS = 2;
/**
 * A group searched for less than this is not worth building (its problem costs 0.1-0.3 s at
 * 6,000 VMs): under a wall-clock budget the rounds shrink to fit, and none run below it.
 */
const MIN_GROUP_MS = 1000;

function roundsFor(parts: number, budgetMs: number, o: OptimiseOptions): number {
  if (!o.now || o.iterations !== undefined) return ROUNDS;
  const perRound = (budgetMs * GROUP_SHARE) / parts;
  return Math.min(ROUNDS, Math.floor(perRound / MIN_GROUP_MS));
}

/**
 * search: the local search, on large fleets after a partitioned search (partition.ts: two
 * rounds over host groups of ~6,000 VMs, then the whole fleet, where moves cross the groups).
 */
function search(p: PlacementProblem, fw: Framework, set: ItemSet, start: Int32Array, o: OptimiseOptions, parts: number, budgetMs: number): LocalSearchResult & { note?: string } {
  const total = o.iterations ?? (o.now ? UNBOUNDED_ITERATIONS : DEFAULT_ITERATIONS);
  const rounds = parts > 1 ? roundsFor(parts, budgetMs, o) : 0;
  const share = rounds > 0 ? GROUP_SHARE : 0;
  const t0 = o.now?.() ?? 0;
  const progress = (from: number, width: number) => (f: number) => o.onProgress?.((from + width * f) * (budgetMs / o.timeBudgetMs));
  let from = start;
  let groupIterations = 0;
  let note: string | undefined;
  if (rounds > 0) {
    const perGroup = total === UNBOUNDED_ITERATIONS ? total : Math.max(1, Math.floor((total * share) / (parts * rounds)));
    const r = partitionedSearch(p, fw, start, { seed: o.seed, parts, rounds, iterations: perGroup, timeBudgetMs: o.now ? budgetMs * share : undefined, now: o.now, onProgress: progress(0, share) });
    from = r.assignment;
    groupIterations = r.iterations;
    note = `partitioned search: ${rounds} round(s) of ${parts} host groups, then the whole fleet${r.groupsSearched < parts * rounds ? ` (the budget ended after ${r.groupsSearched} groups)` : ""}`;
  }
  const el = o.now ? o.now() - t0 : 0;
  const ls = localSearch(p, fw, set, from, {
    seed: o.seed,
    maxIterations: total === UNBOUNDED_ITERATIONS ? total : Math.max(1, total - Math.floor(total * share)),
    timeBudgetMs: o.now ? budgetMs - el : undefined,
    now: o.now,
    target: o.target,
    stallIterations: stallLimit(p),
    onProgress: progress(share, 1 - share),
  });
  return { ...ls, iterations: ls.iterations + groupIterations, note };
}

/**
 * Branch-and-bound nodes per search iteration under a count budget (--iterations): the exact
 * solve then ends on a work limit, not the clock, so the plan is the same on any machine and
 * load, as the search's is (`plan --iterations --deterministic` differed between runs when HiGHS
 * ran to the clock). Measured on generated fleets (idle machine, 30 s budget): 12 hosts x 60 VMs
 * is proved optimal in 3 s either way; 20 x 100 ends on 1,000 nodes in 23 s; 60 x 600 has not
 * finished its root within the budget, so the clock still ends it there (the CLI warns). 50 nodes
 * cut the 12-host proof short, hence the floor.
 */
const NODES_PER_ITERATION = 1;
const MIN_NODES = 1000;

async function exactStep(p: PlacementProblem, fw: Framework, exact: ExactSolver, s: PlacementState, base: Optimised, timeLimitMs: number, o: OptimiseOptions): Promise<Optimised> {
  const penalty = defaultSoftPenalty(p);
  const mine = objectiveOf(s, penalty);
  const maxNodes = o.iterations === undefined ? undefined : Math.max(MIN_NODES, Math.round(o.iterations * NODES_PER_ITERATION));
  const r = await exact.solve(p, { start: s.hostOf, timeLimitMs, objectiveTarget: o.target, maxNodes });
  const info = { exactStatus: r.status, dualBound: r.dualBound, note: r.message };
  // Under a count budget the plan may be compared byte for byte (plan --deterministic), so the
  // clock's share of the budget (different on every run) stays out of the text.
  const clock = o.iterations === undefined ? `${Math.round(timeLimitMs)} ms` : "the time budget";
  const within = r.limit === "nodes" ? `${maxNodes} branch-and-bound nodes` : clock;
  if (!r.assignment) return { ...base, ...info, fallback: fallbackOf(r, within) };
  if (!acceptable(p, fw, r.assignment)) return { ...base, ...info, fallback: { reason: "rejected", detail: `${r.solver}'s plan failed the independent checker` } };
  const theirs = objectiveOf(PlacementState.fromAssignment(p, r.assignment), penalty);
  const stoppedOn = r.status === "optimal" ? "model-optimal" : o.target !== undefined && theirs <= o.target + 1e-9 ? "bound-met" : r.limit === "nodes" ? "iterations" : "budget";
  // Lexicographic: an exact plan places every VM (acceptable), so it wins over a search that
  // left some out whatever it costs; between complete plans the cheaper one wins.
  if (s.placed === p.nVms && theirs > mine + 1e-9) {
    if (r.status === "optimal") {
      const detail = `${r.solver} proved its linear model optimal, but its plan has objective ${round6(theirs)}, the search's ${round6(mine)}`;
      return { ...base, ...info, fallback: { reason: "worse", detail } };
    }
    const detail = `${r.solver}'s best plan within ${within} has objective ${round6(theirs)}, the search's ${round6(mine)}`;
    return { ...base, ...info, stoppedOn, fallback: { reason: r.limit === "nodes" ? "work-limit" : "time-limit", detail } };
  }
  return { ...base, ...info, assignment: Int32Array.from(r.assignment), used: "milp", stoppedOn };
}

/** fallbackOf: why an exact solve returned no plan. */
function fallbackOf(r: ExactResult, within: string): Fallback {
  const detail = r.message ?? r.status;
  // Its model's interference rows are conservative: infeasible there is no proof for the cluster.
  if (r.status === "infeasible") return { reason: "infeasible", detail: `${r.solver} found no plan of its model that places every VM (${detail})` };
  if (r.status === "error") return { reason: r.failure ?? "error", detail };
  return { reason: r.limit === "nodes" ? "work-limit" : "time-limit", detail: `no plan within ${within} (${detail})` };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * acceptable: an exact answer places every VM, passes the independent checker, and passes every
 * filter: the MILP's interference rows are conservative, but some filters (fan-out services'
 * tails) have no rows at all, so their plans are checked VM by VM as the search checks moves.
 */
function acceptable(p: PlacementProblem, fw: Framework, a: Int32Array): boolean {
  for (let j = 0; j < p.nVms; j++) if (a[j] < 0) return false;
  const assignments = Array.from(a, (i, j) => ({ vm: p.vms[j].id, host: p.hosts[i].id }));
  return checkPlan(p.cluster, assignments).length === 0 && passesFilters(fw, PlacementState.fromAssignment(p, a));
}

/** passesFilters: every VM would be let onto its host by every filter, the rest of the plan as it is. */
export function passesFilters(fw: Framework, s: PlacementState): boolean {
  return movedPassFilters(fw, s, Array.from({ length: s.problem.nVms }, (_, j) => j));
}

/** movedPassFilters: passesFilters for the VMs `moved` only (an LNS step's change). */
function movedPassFilters(fw: Framework, s: PlacementState, moved: readonly number[]): boolean {
  for (const j of moved) {
    const i = s.hostOf[j];
    if (i < 0) continue;
    s.unassign(j);
    const ok = fw.fits(s, j, i);
    s.assign(j, i);
    if (!ok) return false;
  }
  return true;
}

/**
 * lnsSteps: until the budget ends, re-solve the lightest used host with two random others. A
 * step's answer changes a few hosts only, so it is checked and applied as a change (the hosts
 * and constraint groups it touches, moves through a journal): checking and rebuilding the whole
 * plan per step was O(VMs) (at 100,000 VMs about half of each step).
 */
async function lnsSteps(p: PlacementProblem, fw: Framework, lns: LnsStep, s: PlacementState, base: Optimised, left: () => number, o: OptimiseOptions): Promise<Optimised> {
  const rng = seedrandom.alea(`vmplace-lns:${o.seed}`);
  const penalty = defaultSoftPenalty(p);
  const cur = PlacementState.fromAssignment(p, s.hostOf);
  const journal = new Journal(cur);
  let improved = 0;
  while (left() > 300 && cur.usedList.length >= 3) {
    if (o.target !== undefined && objectiveOf(cur, penalty) <= o.target + 1e-9) break;
    const used = [...cur.usedList].sort((a, b) => a - b);
    const light = used.reduce((a, b) => (cur.load(b) < cur.load(a) ? b : a));
    const hosts = [light, used[Math.floor(rng() * used.length)], used[Math.floor(rng() * used.length)]];
    const next = await lns(p, cur.hostOf, hosts, Math.min(1000, left() - 200));
    if (!next) continue;
    const moved = changedVms(cur.hostOf, next);
    if (moved.some((j) => next[j] < 0) || !acceptableChange(p, cur.hostOf, next, moved)) continue;
    const before = objectiveOf(cur, penalty);
    journal.clear();
    for (const j of moved) if (cur.hostOf[j] >= 0) journal.unassign(j);
    for (const j of moved) journal.assign(j, next[j]);
    // Filters without LP rows (headroom, fan-out tails) judge the changed VMs as the search does.
    if (!movedPassFilters(fw, cur, moved)) {
      journal.rollback();
      continue;
    }
    if (objectiveOf(cur, penalty) < before - 1e-9) improved++;
    else journal.rollback();
  }
  if (improved === 0) return base;
  const met = o.target !== undefined && objectiveOf(cur, penalty) <= o.target + 1e-9;
  const note = `${improved} LNS step(s) improved the plan`;
  return { ...base, assignment: Int32Array.from(cur.hostOf), used: "heuristic+lns", stoppedOn: met ? "bound-met" : "budget", note: base.note ? `${base.note}; ${note}` : note };
}
