import type { EnvelopeCache } from "./interference-cap.js";
import type { LpScope } from "./lp.js";
import type { PlacementProblem } from "./problem.js";

/**
 * ExactStatus separates proofs from mere solutions: "optimal" (proved), "feasible" (a solution,
 * no proof: the time limit hit after an incumbent was found), "infeasible" (proved none exists),
 * "timeout" (no solution within the limit), "error" (the backend failed: message says why).
 */
export type ExactStatus = "optimal" | "feasible" | "infeasible" | "timeout" | "error";

export interface ExactResult {
  readonly status: ExactStatus;
  /** vm → host index for every VM (VMs outside the scope keep their start host); -1 = unplaced. */
  readonly assignment?: Int32Array;
  /** Objective of the assignment as the linear model counts it (buildLinearModel). */
  readonly objective?: number;
  /** Best proved lower bound on the objective (HiGHS `mip_dual_bound`), when the backend has one. */
  readonly dualBound?: number;
  readonly message?: string;
  /** With status "error": "size" when the backend refused the model as too large, "crash" when it died. */
  readonly failure?: "size" | "crash";
  /** Backend name, e.g. "highs". */
  readonly solver: string;
  /** With status "feasible" or "timeout": "nodes" when the work limit (maxNodes) ended the solve, not the clock. */
  readonly limit?: "nodes" | "time";
}

export interface ExactSolveOptions {
  /**
   * A full vm → host assignment to warm-start from (HiGHS setSolution). Required with `scope`:
   * VMs outside the scope stay exactly where the start puts them.
   */
  readonly start?: Int32Array;
  /** Wall-clock limit of the solve, in ms; the backend must return by then (±100 ms). */
  readonly timeLimitMs: number;
  /**
   * A work limit that ends the solve the same way on any machine and load: branch-and-bound
   * nodes (HiGHS mip_max_nodes). The time limit still applies; whichever comes first ends it.
   */
  readonly maxNodes?: number;
  /** Solve only these VMs over these hosts (large-neighbourhood steps); see LpScope. */
  readonly scope?: LpScope;
  /** Envelopes are pure functions of the problem; pass the cache to skip recomputing them. */
  readonly envelopes?: EnvelopeCache;
  /** Stop as soon as an incumbent reaches this objective (e.g. the closed-form lower bound). */
  readonly objectiveTarget?: number;
  readonly signal?: AbortSignal;
}

/**
 * ExactSolver is the small interface every exact backend implements (HiGHS in a worker, a tiny
 * javascript-lp-solver side model). Contracts: never throws for an optimisation outcome
 * (infeasible, time limit): those are statuses; returns by timeLimitMs; the model it solves is
 * buildLinearModel(problem, { scope }) so rows, names and the objective are the plugins'.
 * Every assignment it returns is still checked by the independent checker before use.
 */
export interface ExactSolver {
  readonly name: string;
  solve(problem: PlacementProblem, options: ExactSolveOptions): Promise<ExactResult>;
}
