import type { Model } from "javascript-lp-solver";
import { buildLinearModel } from "../lp-rows.js";
import { decodeAssignment, type LinearModel } from "../lp.js";
import type { PlacementProblem } from "../problem.js";
import type { ExactResult, ExactSolveOptions, ExactSolver } from "../solver.js";
import type { SolverWorkers, TinyRequest } from "./worker-port.js";

export const JS_LP_SOLVER = "javascript-lp-solver";

/**
 * Tiny side models only. javascript-lp-solver 1.0.3 proves 10 VMs × 3 hosts optimal in about a
 * second but hangs inside a single simplex step from 30 × 8 up: its timeout is checked only
 * between branch-and-bound nodes, so the watchdog terminating the worker is what stops it. It
 * reports `feasible: true` on timeout without an integral point and has returned infeasible
 * points marked optimal, so every answer is re-checked against the rows here, and it never
 * claims optimality (it gives no signal that the search finished rather than timed out).
 */
export const TINY_MAX_COLUMNS = 400;

const OBJECTIVE = "__objective";

/** toJsLp writes a LinearModel in javascript-lp-solver's JSON format (bounds become rows). */
export function toJsLp(m: LinearModel, timeoutMs: number): Model {
  const variables: Record<string, Record<string, number>> = {};
  const constraints: Model["constraints"] = {};
  const binaries: Record<string, 1> = {};
  for (const v of m.vars) {
    variables[v.name] = {};
    if (v.kind === "binary") binaries[v.name] = 1;
    else if (Number.isFinite(v.ub)) {
      constraints[`ub_${v.name}`] = { max: v.ub };
      variables[v.name][`ub_${v.name}`] = 1;
    }
    if (v.kind !== "binary" && v.lb !== 0) {
      constraints[`lb_${v.name}`] = { min: v.lb };
      variables[v.name][`lb_${v.name}`] = 1;
    }
  }
  for (const t of m.objective) variables[t.v][OBJECTIVE] = (variables[t.v][OBJECTIVE] ?? 0) + t.coef;
  for (const r of m.rows) {
    constraints[r.name] = r.sense === "<=" ? { max: r.rhs } : r.sense === ">=" ? { min: r.rhs } : { equal: r.rhs };
    for (const t of r.terms) variables[t.v][r.name] = (variables[t.v][r.name] ?? 0) + t.coef;
  }
  return { optimize: OBJECTIVE, opType: "min", constraints, variables, binaries, options: { timeout: timeoutMs } };
}

/** brokenRow names the first row (or binary) the values break, or undefined when all hold. */
export function brokenRow(m: LinearModel, value: (name: string) => number): string | undefined {
  const tol = 1e-6;
  for (const v of m.vars) {
    const x = value(v.name);
    if (x < v.lb - tol || x > v.ub + tol || (v.kind === "binary" && Math.abs(x - Math.round(x)) > tol)) return v.name;
  }
  for (const r of m.rows) {
    let lhs = 0;
    for (const t of r.terms) lhs += t.coef * value(t.v);
    const ok = r.sense === "<=" ? lhs <= r.rhs + tol : r.sense === ">=" ? lhs >= r.rhs - tol : Math.abs(lhs - r.rhs) <= tol;
    if (!ok) return r.name;
  }
  return undefined;
}

/** TinyTestHooks: make the worker hang so tests can watch the watchdog; never set in production. */
export interface TinyTestHooks {
  readonly hang?: boolean;
  /** How long after the time limit the watchdog waits before terminating the worker. */
  readonly graceMs?: number;
}

/**
 * createTinySolver: javascript-lp-solver in a worker under a watchdog, for side models up to
 * TINY_MAX_COLUMNS columns. Larger models get status "error" (use HiGHS). The start is not used
 * (the solver has no warm start).
 */
export function createTinySolver(workers: SolverWorkers, hooks: TinyTestHooks = {}): ExactSolver {
  return { name: JS_LP_SOLVER, solve: (p, o) => solveTiny(workers, p, o, hooks) };
}

async function solveTiny(workers: SolverWorkers, p: PlacementProblem, o: ExactSolveOptions, hooks: TinyTestHooks): Promise<ExactResult> {
  const m = buildLinearModel(p, { scope: o.scope, envelopes: o.envelopes });
  if (m.vars.length > TINY_MAX_COLUMNS)
    return { status: "error", solver: JS_LP_SOLVER, failure: "size", message: `model of ${m.vars.length} columns is above the ${TINY_MAX_COLUMNS} javascript-lp-solver takes` };
  const req: TinyRequest = { model: toJsLp(m, o.timeLimitMs), hangForTest: hooks.hang };
  const out = await workers.run(JS_LP_SOLVER, req, { watchdogMs: o.timeLimitMs + (hooks.graceMs ?? 500), signal: o.signal });
  if (out.kind === "killed") return { status: "timeout", solver: JS_LP_SOLVER, message: `${out.reason} terminated the javascript-lp-solver worker` };
  if (out.kind === "crashed") return { status: "error", solver: JS_LP_SOLVER, failure: "crash", message: out.message };
  const r = out.value;
  if (r.error !== undefined) return { status: "error", solver: JS_LP_SOLVER, message: r.error };
  // feasible without integral is the timeout case: the relaxation's point, not a placement.
  if (!r.feasible || !r.integral) return { status: "timeout", solver: JS_LP_SOLVER, message: "no integral solution (infeasible or out of time: the solver does not say which)" };
  const value = (name: string): number => r.values[name] ?? 0;
  const broken = brokenRow(m, value);
  if (broken !== undefined) return { status: "error", solver: JS_LP_SOLVER, message: `javascript-lp-solver returned a point that breaks ${broken}` };
  let objective = m.objectiveConstant;
  for (const t of m.objective) objective += t.coef * value(t.v);
  return { status: "feasible", solver: JS_LP_SOLVER, objective, assignment: decodeAssignment(p, m, value, o.start), message: "no optimality proof from javascript-lp-solver" };
}
