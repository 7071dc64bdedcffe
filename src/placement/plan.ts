import seedrandom from "seedrandom";
import type { Predictor } from "../interference/predictor.js";
import type { Cluster } from "../model/cluster.js";
import type { Plan } from "../model/plan.js";
import { assemblePlan } from "./assemble-plan.js";
import { explainPlacement } from "./explain.js";
import { explainUnplaced } from "./infeasible.js";
import { buildItems } from "./items.js";
import { lowerBound } from "./lower-bound.js";
import type { Framework } from "./framework.js";
import type { ItemSet } from "./items.js";
import { DEFAULT_ITERATIONS, optimise, type LnsStep } from "./optimise.js";
import { buildProblem, type PlacementProblem } from "./problem.js";
import { defaultProfile, frameworkFor, type PlacementProfile } from "./profile.js";
import type { ExactSolver } from "./solver.js";
import { construct } from "./solvers/construct.js";
import { HOSTS_OFF_SHARE, switchHostsOff } from "./solvers/energy-search.js";
import { insertUnplaced } from "./solvers/insertion.js";
import { createMoveContext } from "./solvers/local-search.js";
import { makeRobust, type RobustRepair } from "./robustness/n-plus-one.js";
import { robustnessSection } from "./robustness/section.js";
import { simulateHeadroom } from "./robustness/simulate-headroom.js";
import { PlacementState } from "./state.js";
import { validateByResimulation, type ValidationOptions, type ValidationResult } from "./validate-plan.js";

export interface PlanOptions {
  readonly solver?: "auto" | "milp" | "heuristic";
  /** Default: the cluster's policy.seed. */
  readonly seed?: number;
  /** Optimisation budget (construction, search, exact solves), ms. Default: policy.timeBudgetMs. */
  readonly timeBudgetMs?: number;
  /** Deterministic budget: the search stops after this many iterations (and LNS is skipped). */
  readonly iterations?: number;
  /** Clock in ms, injected so placement stays pure; without it only `iterations` stops the search. */
  readonly now?: () => number;
  /** Exact backend (the CLI passes HiGHS); none: heuristics only. */
  readonly exact?: ExactSolver;
  readonly lns?: LnsStep;
  /** Re-simulation of the plan; none: the plan says it was not validated. */
  readonly validation?: Omit<ValidationOptions, "seed" | "onProgress">;
  readonly profile?: PlacementProfile;
  /** Partitioned search on large fleets (solvers/partition.ts): false turns it off; groupVms sets the VMs per host group. */
  readonly partition?: false | { readonly groupVms: number };
  /** Skip per-VM explanations (they cost ~1 s at 10,000 VMs). */
  readonly explain?: boolean;
  readonly onProgress?: (phase: "search" | "validate", fraction: number) => void;
}

/** The construction portfolio stops trying more heuristics past this share of the budget left when it starts. */
const CONSTRUCT_SHARE = 0.25;

/**
 * planCluster places every VM of a cluster it can, proves what it can (lower bound, HiGHS dual
 * bound, independent check) and validates the plan by re-simulation. Pure apart from the
 * injected clock, exact backend and simulation runner: the same cluster, table, seed and
 * iteration budget give the same plan.
 */
export async function planCluster(cluster: Cluster, predictor: Predictor, o: PlanOptions = {}): Promise<Plan> {
  const clock = o.now;
  const t0 = clock?.() ?? 0;
  const timings: Record<string, number> = {};
  let tLap = t0;
  const lap = (name: string): void => {
    if (!clock) return;
    const t = clock();
    timings[name] = Math.round(t - tLap);
    tLap = t;
  };
  const seed = o.seed ?? cluster.policy.seed;
  const budgetMs = o.timeBudgetMs ?? cluster.policy.timeBudgetMs;
  const p = buildProblem(cluster, predictor);
  const fw = frameworkFor(o.profile ?? defaultProfile(p.policy.objective, { services: cluster.services.length > 0 }));
  const set = buildItems(p);
  lap("buildMs");
  const bound = lowerBound(p);
  lap("boundMs");
  // A deadline only where a clock is the contract: with an iteration budget every run runs.
  const tBuilt = clock?.() ?? 0;
  const enough = clock && o.iterations === undefined ? () => clock() - tBuilt > (budgetMs - (tBuilt - t0)) * CONSTRUCT_SHARE : undefined;
  const built = construct(p, fw, set, enough);
  lap("constructMs");
  // Placing every VM comes before cost: what the construction left out is inserted now.
  const left = insertUnplaced(createMoveContext(fw, set, built.state, seedrandom.alea(`vmplace-insert:${seed}`)), built.unplaced.map((k) => set.items[k]));
  lap("insertMs");
  const target = p.policy.objective === "min-cost" && left.length === 0 ? bound.value : undefined;
  const stage = p.policy.objective === "min-energy" ? energyFirstStage(p, fw, set, built.state.hostOf, seed, budgetMs - (clock ? clock() - t0 : 0), o) : undefined;
  const elapsed = clock ? clock() - t0 : 0;
  const searched = await optimise(p, fw, set, stage?.assignment ?? built.state.hostOf, {
    solver: o.solver ?? "auto",
    seed,
    timeBudgetMs: Math.max(1, budgetMs - elapsed),
    iterations: o.iterations === undefined || !stage ? o.iterations : o.iterations - stage.iterations,
    now: clock,
    exact: o.exact,
    lns: o.lns,
    target,
    partition: o.partition,
    onProgress: (f) => o.onProgress?.("search", f),
  });
  const opt = stage ? { ...searched, iterations: searched.iterations + stage.iterations } : searched;
  lap("searchMs");
  const state = PlacementState.fromAssignment(p, opt.assignment);
  let repair: RobustRepair | undefined;
  if (p.policy.robustness === "n+1") {
    repair = makeRobust(state, fw, set, Math.max(4, Math.ceil(state.usedHosts / 2)));
    lap("robustMs");
  }
  let validation: ValidationResult | undefined;
  const costBefore = state.usedCost;
  if (o.validation) {
    validation = await validateByResimulation(state, fw, set, { ...o.validation, seed, onProgress: (f) => o.onProgress?.("validate", f) });
    lap("validateMs");
  }
  const unplaced = [...Array(p.nVms).keys()].filter((j) => state.hostOf[j] < 0);
  const explanations = o.explain === false ? [] : explainPlacement(state, fw);
  const why = explainUnplaced(state, fw, set, unplaced);
  lap("explainMs");
  const asked = p.policy.robustness === "n+1" || p.policy.headroomPercent > 0;
  let robustness = asked ? robustnessSection({ nominal: cluster, state, fw, set, mode: p.policy.robustness, headroomPercent: p.policy.headroomPercent, repair }) : undefined;
  if (robustness?.headroom && o.validation) robustness = await simulateHeadroom(robustness, state, { ...o.validation, seed, onProgress: (f) => o.onProgress?.("validate", f) });
  lap("robustCheckMs");
  const plan = assemblePlan({ problem: p, state, bound, construction: built.heuristic, opt, validation, validationOptions: o.validation, costBefore, explanations, unplaced: why, seed, solverRequested: o.solver ?? "auto", nominal: cluster, robustness });
  lap("assembleMs");
  if (clock) timings.totalMs = Math.round(clock() - t0);
  return clock ? { ...plan, timings } : plan;
}

/**
 * energyFirstStage: min-energy spends HOSTS_OFF_SHARE of its search (iterations, or else time)
 * switching hosts off (solvers/energy-search.ts) before optimise weighs every watt.
 */
function energyFirstStage(p: PlacementProblem, fw: Framework, set: ItemSet, start: Int32Array, seed: number, leftMs: number, o: PlanOptions): { assignment: Int32Array; iterations: number } {
  const iterations = o.iterations !== undefined ? Math.floor(o.iterations * HOSTS_OFF_SHARE) : o.now ? 2 ** 31 - 1 : Math.floor(DEFAULT_ITERATIONS * HOSTS_OFF_SHARE);
  return switchHostsOff(p, fw, set, start, { seed, iterations, timeBudgetMs: o.now ? Math.max(1, leftMs * HOSTS_OFF_SHARE) : undefined, now: o.now });
}
