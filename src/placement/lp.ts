import { EnvelopeCache } from "./interference-cap.js";
import { isAllowed, type PlacementProblem } from "./problem.js";

/**
 * The linear model every named constraint contributes to. Variables are named so that an LP file
 * reads like the problem: x{j}_{i} = VM j on host i, y{i} = host i used, and each constraint's
 * auxiliaries carry its prefix (see the row builders in lp-rows.ts). Only allowed pairs
 * (isAllowed) get an x variable: a missing x is a pair fixed to 0.
 */
export type Sense = "<=" | ">=" | "=";

export interface LinearTerm {
  readonly v: string;
  readonly coef: number;
}

export interface LinearRow {
  /** Unique, LP-format-safe row name; starts with the constraint's short prefix. */
  readonly name: string;
  /** Stable name of the plugin that emitted the row ("ResourceFit", "Interference", ...). */
  readonly constraint: string;
  readonly terms: readonly LinearTerm[];
  readonly sense: Sense;
  readonly rhs: number;
}

export interface LinearVar {
  readonly name: string;
  readonly kind: "binary" | "continuous";
  readonly lb: number;
  readonly ub: number;
}

/** LinearModel is a minimisation: objective · vars + objectiveConstant. */
export interface LinearModel {
  readonly vars: readonly LinearVar[];
  readonly objective: readonly LinearTerm[];
  readonly objectiveConstant: number;
  readonly rows: readonly LinearRow[];
  /** Which VMs and hosts the model covers; the rest stay where the start put them. */
  readonly scope: LpScope;
}

/**
 * LpScope restricts a model to some VMs and hosts (large-neighbourhood search re-solves a few
 * hosts exactly). A scope must be closed: every VM the start puts on a scope host is a scope VM,
 * and hard affinity groups are wholly inside or outside. Constraint groups count only their scope
 * members; soft-constraint penalties of members outside the scope are constants and left out.
 */
export interface LpScope {
  readonly vms: Int32Array;
  readonly hosts: Int32Array;
}

export const xName = (j: number, i: number): string => `x${j}_${i}`;
export const yName = (i: number): string => `y${i}`;

/** fullScope covers every VM and host. */
export function fullScope(p: PlacementProblem): LpScope {
  return {
    vms: Int32Array.from({ length: p.nVms }, (_, j) => j),
    hosts: Int32Array.from({ length: p.nHosts }, (_, i) => i),
  };
}

/** LpBuilder collects variables, rows and objective terms; row builders write into it. */
export class LpBuilder {
  readonly vars: LinearVar[] = [];
  readonly rows: LinearRow[] = [];
  readonly objective: LinearTerm[] = [];
  objectiveConstant = 0;
  /** Scope hosts each scope VM may use (allowed pairs only), and scope VMs each host may take. */
  readonly hostsOf: Map<number, number[]> = new Map();
  readonly vmsOn: Map<number, number[]> = new Map();
  private readonly names = new Set<string>();

  constructor(
    readonly problem: PlacementProblem,
    readonly scope: LpScope,
    readonly envelopes: EnvelopeCache,
    /** Objective cost of one unit of soft-constraint violation. */
    readonly softPenalty: number,
  ) {
    for (const i of scope.hosts) {
      this.vmsOn.set(i, []);
      this.addVar(yName(i), "binary");
    }
    for (const j of scope.vms) {
      const hs: number[] = [];
      for (const i of scope.hosts) if (isAllowed(problem, j, i)) hs.push(i);
      this.hostsOf.set(j, hs);
      for (const i of hs) {
        this.vmsOn.get(i)!.push(j);
        this.addVar(xName(j, i), "binary");
      }
    }
  }

  addVar(name: string, kind: LinearVar["kind"], lb = 0, ub = 1): string {
    if (this.names.has(name)) throw new Error(`lp: variable ${name} declared twice`);
    this.names.add(name);
    this.vars.push({ name, kind, lb, ub });
    return name;
  }

  hasVar(name: string): boolean {
    return this.names.has(name);
  }

  addRow(constraint: string, name: string, terms: LinearTerm[], sense: Sense, rhs: number): void {
    if (terms.length === 0) {
      const ok = sense === "<=" ? 0 <= rhs : sense === ">=" ? 0 >= rhs : rhs === 0;
      if (!ok) throw new Error(`lp: row ${name} of ${constraint} is infeasible with no variables`);
      return;
    }
    this.rows.push({ name, constraint, terms, sense, rhs });
  }

  addObjective(v: string, coef: number): void {
    if (coef !== 0) this.objective.push({ v, coef });
  }

  build(): LinearModel {
    return { vars: this.vars, rows: this.rows, objective: this.objective, objectiveConstant: this.objectiveConstant, scope: this.scope };
  }
}

/**
 * decodeAssignment reads x values back into vm → host (start's host for VMs outside the scope).
 * A value above 0.5 counts as 1, so solver tolerances do not matter.
 */
export function decodeAssignment(
  p: PlacementProblem,
  model: LinearModel,
  value: (name: string) => number | undefined,
  start?: Int32Array,
): Int32Array {
  const out = start ? Int32Array.from(start) : new Int32Array(p.nVms).fill(-1);
  for (const j of model.scope.vms) {
    out[j] = -1;
    for (const i of model.scope.hosts) if ((value(xName(j, i)) ?? 0) > 0.5) out[j] = i;
  }
  return out;
}

/** writeLpText renders a model in CPLEX LP format (what HiGHS `solve(text)` reads). */
export function writeLpText(m: LinearModel): string {
  const expr = (ts: readonly LinearTerm[]): string =>
    ts.map((t, k) => `${k > 0 && k % 16 === 0 ? "\n  " : ""}${t.coef < 0 ? "-" : k === 0 ? "" : "+"} ${Math.abs(t.coef)} ${t.v}`).join(" ");
  const lines = ["Minimize", ` obj: ${m.objective.length > 0 ? expr(m.objective) : "0 " + m.vars[0]?.name}`, "Subject To"];
  for (const r of m.rows) lines.push(` ${r.name}: ${expr(r.terms)} ${r.sense} ${r.rhs}`);
  lines.push("Bounds");
  for (const v of m.vars) if (v.kind === "continuous") lines.push(` ${v.lb} <= ${v.name} <= ${v.ub === Infinity ? "+inf" : v.ub}`);
  const bins = m.vars.filter((v) => v.kind === "binary").map((v) => v.name);
  // Short lines: some LP readers cap the line length.
  if (bins.length > 0) lines.push("Binary");
  for (let k = 0; k < bins.length; k += 16) lines.push(` ${bins.slice(k, k + 16).join(" ")}`);
  lines.push("End");
  return lines.join("\n");
}
