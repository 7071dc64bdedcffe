import lpModule, { type Model, type SolveResult } from "javascript-lp-solver";

/** LpRowDense: one row of a small LP, a coefficient per column. */
export interface LpRowDense {
  readonly coef: readonly number[];
  readonly sense: "<=" | ">=" | "=";
  readonly rhs: number;
}

export type DenseLpResult =
  | { status: "optimal"; value: number; x: Float64Array }
  | { status: "infeasible" | "unbounded" };

// The package declares its default export in a file TypeScript reads as CommonJS under NodeNext,
// so the ESM default import is typed as the module object; at run time it is the solver.
const solver = lpModule as unknown as typeof lpModule.default;

/**
 * solveSmallLp minimises c·x subject to the rows and x ≥ 0, for the lower bound's aggregated LPs
 * (a few dozen rows and columns). javascript-lp-solver's simplex, called synchronously: on these
 * LPs it gives the values the hand-written dense simplex it replaced gave (within 1e-11), and the
 * whole bound at 10,000 VMs takes a median 0.38-0.41 ms against 0.30 ms (bench/placement.ts
 * prints it), once per plan: no reason to keep a simplex of our own. It stays pure here:
 * with continuous columns and no timeout it reads no clock (only branch-and-cut does), and with
 * an objective named apart from every row it draws no random name (see test/arch/check.ts).
 */
export function solveSmallLp(c: readonly number[], rows: readonly LpRowDense[]): DenseLpResult {
  const variables: Record<string, Record<string, number>> = {};
  c.forEach((cost, q) => (variables[`x${q}`] = { [OBJECTIVE]: cost }));
  const constraints: Model["constraints"] = {};
  rows.forEach((r, k) => {
    constraints[`r${k}`] = r.sense === "<=" ? { max: r.rhs } : r.sense === ">=" ? { min: r.rhs } : { equal: r.rhs };
    r.coef.forEach((v, q) => {
      if (v !== 0) variables[`x${q}`][`r${k}`] = v;
    });
  });
  const res = solver.Solve({ optimize: OBJECTIVE, opType: "min", constraints, variables }) as SolveResult;
  if (res.feasible !== true) return { status: "infeasible" };
  if (res.bounded === false) return { status: "unbounded" };
  const x = Float64Array.from(c, (_v, q) => {
    const v = res[`x${q}`];
    return typeof v === "number" ? v : 0;
  });
  return { status: "optimal", value: res.result, x };
}

/** The objective's name: rows are r0, r1, ..., so it never collides with one. */
const OBJECTIVE = "cost";
