import seedrandom from "seedrandom";
import { checkPlan } from "../model/check-plan.js";
import type { Framework } from "./framework.js";
import type { ItemSet } from "./items.js";
import { defaultSoftPenalty } from "./lp-rows.js";
import type { PlacementProblem } from "./problem.js";
import type { ExactResult, ExactSolver } from "./solver.js";
import { PlacementState } from "./state.js";
import { Journal } from "./solvers/journal.js";
import { localSearch, objectiveOf, type StopReason } from "./solvers/local-search.js";

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
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Fallback: why an exact solve that ran did not give the plan. time-limit: no plan, or only a
 * worse one, within the limit; size: the backend refused the model; infeasible: the backend
 * proved no plan places every VM; crash: the backend died; error: it failed otherwise;
 * rejected: its plan failed the independent checker.
 */
export interface Fallback {
  readonly reason: "time-limit" | "size" | "infeasible" | "crash" | "error" | "rejected";
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
  const ls = localSearch(p, fw, set, start, {
    seed: o.seed,
    maxIterations: o.iterations ?? (o.now ? UNBOUNDED_ITERATIONS : DEFAULT_ITERATIONS),
    timeBudgetMs: o.now ? lsBudget : undefined,
    now: o.now,
    target: o.target,
    stallIterations: stallLimit(p),
    onProgress: (f) => o.onProgress?.(f * (lsBudget / o.timeBudgetMs)),
  });
  const base: Optimised = { assignment: Int32Array.from(ls.state.hostOf), used: "heuristic", stoppedOn: ls.stoppedOn, iterations: ls.iterations };
  if (ls.stoppedOn === "bound-met") return base;
  if (exactFirst && o.exact) return exactStep(p, o.exact, ls.state, base, Math.max(200, left()), o);
  if (o.lns && o.iterations === undefined && o.now) return lnsSteps(p, o.lns, ls.state, base, left, o);
  return base;
}

async function exactStep(p: PlacementProblem, exact: ExactSolver, s: PlacementState, base: Optimised, timeLimitMs: number, o: OptimiseOptions): Promise<Optimised> {
  const penalty = defaultSoftPenalty(p);
  const mine = objectiveOf(s, penalty);
  const r = await exact.solve(p, { start: s.hostOf, timeLimitMs, objectiveTarget: o.target });
  const info = { exactStatus: r.status, dualBound: r.dualBound, note: r.message };
  if (!r.assignment) return { ...base, ...info, fallback: fallbackOf(r, timeLimitMs) };
  if (!acceptable(p, r.assignment)) return { ...base, ...info, fallback: { reason: "rejected", detail: `${r.solver}'s plan failed the independent checker` } };
  const theirs = objectiveOf(PlacementState.fromAssignment(p, r.assignment), penalty);
  const stoppedOn = r.status === "optimal" ? "model-optimal" : o.target !== undefined && theirs <= o.target + 1e-9 ? "bound-met" : "budget";
  // Lexicographic: an exact plan places every VM (acceptable), so it wins over a search that
  // left some out whatever it costs; between complete plans the cheaper one wins.
  if (s.placed === p.nVms && theirs > mine + 1e-9) {
    const detail = `${r.solver}'s best plan within ${Math.round(timeLimitMs)} ms has objective ${round6(theirs)}, the search's ${round6(mine)}`;
    return { ...base, ...info, stoppedOn: r.status === "optimal" ? base.stoppedOn : stoppedOn, fallback: { reason: "time-limit", detail } };
  }
  return { ...base, ...info, assignment: Int32Array.from(r.assignment), used: "milp", stoppedOn };
}

/** fallbackOf: why an exact solve returned no plan. */
function fallbackOf(r: ExactResult, timeLimitMs: number): Fallback {
  const detail = r.message ?? r.status;
  // Its model's interference rows are conservative: infeasible there is no proof for the cluster.
  if (r.status === "infeasible") return { reason: "infeasible", detail: `${r.solver} found no plan of its model that places every VM (${detail})` };
  if (r.status === "error") return { reason: r.failure ?? "error", detail };
  return { reason: "time-limit", detail: `no plan within ${Math.round(timeLimitMs)} ms (${detail})` };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * acceptable: an exact answer places every VM the heuristics placed and passes the independent
 * checker (the MILP's interference rows are conservative, so its plans also pass the filters).
 */
function acceptable(p: PlacementProblem, a: Int32Array): boolean {
  for (let j = 0; j < p.nVms; j++) if (a[j] < 0) return false;
  const assignments = Array.from(a, (i, j) => ({ vm: p.vms[j].id, host: p.hosts[i].id }));
  return checkPlan(p.cluster, assignments).length === 0;
}

/**
 * lnsSteps: until the budget ends, re-solve the lightest used host with two random others. A
 * step's answer changes a few hosts only, so it is checked and applied as a change (the hosts
 * and constraint groups it touches, moves through a journal): checking and rebuilding the whole
 * plan per step was O(VMs) (at 100,000 VMs about half of each step).
 */
async function lnsSteps(p: PlacementProblem, lns: LnsStep, s: PlacementState, base: Optimised, left: () => number, o: OptimiseOptions): Promise<Optimised> {
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
    if (objectiveOf(cur, penalty) < before - 1e-9) improved++;
    else journal.rollback();
  }
  if (improved === 0) return base;
  const met = o.target !== undefined && objectiveOf(cur, penalty) <= o.target + 1e-9;
  return { ...base, assignment: Int32Array.from(cur.hostOf), used: "heuristic+lns", stoppedOn: met ? "bound-met" : "budget", note: `${improved} LNS step(s) improved the plan` };
}

function changedVms(a: Int32Array, b: Int32Array): number[] {
  const out: number[] = [];
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) out.push(j);
  return out;
}

/**
 * acceptableChange: the independent checker on the part of the plan a change touches, given the
 * plan before it passed: every VM on a host a moved VM left or joined (capacities), and every
 * member of a constraint group naming a moved VM (affinity, anti-affinity, labels), where the
 * change puts them. Hosts outside keep the same VMs, so nothing there can break.
 */
function acceptableChange(p: PlacementProblem, before: Int32Array, after: Int32Array, moved: readonly number[]): boolean {
  const hosts = new Set<number>();
  for (const j of moved) (hosts.add(before[j]), hosts.add(after[j]));
  hosts.delete(-1);
  const vms = new Set<number>();
  for (let j = 0; j < p.nVms; j++) if (hosts.has(after[j])) vms.add(j);
  const groups = new Set<number>();
  for (const j of moved) {
    for (const g of p.vmAntiAffinity[j]) (groups.add(p.antiAffinity[g].index), p.antiAffinity[g].vms.forEach((k) => vms.add(k)));
    for (const g of p.vmAffinity[j]) (groups.add(p.affinity[g].index), p.affinity[g].vms.forEach((k) => vms.add(k)));
    for (const g of p.vmHostLabel[j]) groups.add(p.hostLabel[g].index);
  }
  const constraints = [...groups].sort((a, b) => a - b).map((g) => p.cluster.constraints[g]);
  for (const j of vms) if (after[j] >= 0) hosts.add(after[j]);
  const sub = { ...p.cluster, hosts: [...hosts].sort((a, b) => a - b).map((i) => p.hosts[i]), vms: [...vms].sort((a, b) => a - b).map((j) => p.vms[j]), constraints };
  const assignments = [...vms].flatMap((j) => (after[j] >= 0 ? [{ vm: p.vms[j].id, host: p.hosts[after[j]].id }] : []));
  return checkPlan(sub, assignments, { partial: true }).length === 0;
}
