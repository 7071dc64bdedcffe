import { xName, yName } from "../lp.js";
import type { MilpArrays, PackedModel, SparseStart } from "./milp-model.js";

/**
 * The MIP start. A heuristic plan is not always feasible for the MILP: the heuristics check
 * interference with the predictor itself, the MILP with a conservative envelope of it
 * (interference-cap.ts), so a host the heuristics accept can break an interference row (measured:
 * 10 of 15 rows' hosts on a generated 60 × 15 instance with FFD). HiGHS rejects a complete start
 * that breaks any row and then starts from nothing. So the start is checked row by row here, the
 * VMs of every host whose rows it breaks are left out, and HiGHS completes the partial start
 * with its small sub-MIP (mip_max_start_nodes): the good part of the plan survives.
 */

/** StartPlan: the sparse start HiGHS gets, and how much of the plan had to be left out. */
export interface StartPlan {
  readonly start: SparseStart;
  /** Hosts whose rows the plan breaks (their VMs are left for HiGHS to place). */
  readonly badHosts: number;
  readonly freedVms: number;
}

/** columnHosts maps each column to its host (x and y columns) or -1 (auxiliary columns). */
function columnHosts(pm: PackedModel): Int32Array {
  const out = new Int32Array(pm.arrays.numCols).fill(-1);
  for (const i of pm.hosts) {
    const y = pm.colOf.get(yName(i));
    if (y !== undefined) out[y] = i;
    for (const j of pm.vms) {
      const x = pm.colOf.get(xName(j, i));
      if (x !== undefined) out[x] = i;
    }
  }
  return out;
}

/**
 * startValues sets every x and y from the assignment and raises each auxiliary column from its
 * lower bound to the least value the rows force on it (z ≥ x, slack ≥ Σx − 1, w ≥ load − A(1 − v)):
 * every auxiliary of the placement model is pushed up by such rows and only hurts elsewhere, so
 * its least forced value is its best chance. Two passes let an auxiliary see another's value.
 */
function startValues(pm: PackedModel, hostOfCol: Int32Array, assignment: Int32Array): Float64Array {
  const a = pm.arrays;
  const v = Float64Array.from(a.colLower, (lb) => (Number.isFinite(lb) ? lb : 0));
  const used = new Set<number>();
  for (const j of pm.vms) {
    used.add(assignment[j]);
    const x = pm.colOf.get(xName(j, assignment[j]));
    if (x !== undefined) v[x] = 1;
  }
  for (const i of pm.hosts) {
    const y = pm.colOf.get(yName(i));
    if (y !== undefined) v[y] = used.has(i) ? 1 : 0;
  }
  for (let pass = 0; pass < 2; pass++) for (let r = 0; r < a.numRows; r++) raiseAuxiliaries(a, hostOfCol, v, r);
  return v;
}

function raiseAuxiliaries(a: MilpArrays, hostOfCol: Int32Array, v: Float64Array, r: number): void {
  const lhs = rowActivity(a, v, r);
  for (let k = a.starts[r]; k < a.starts[r + 1]; k++) {
    const c = a.indices[k];
    const coef = a.values[k];
    if (hostOfCol[c] >= 0) continue;
    const rest = lhs - coef * v[c];
    let need = v[c];
    if (coef < 0 && Number.isFinite(a.rowUpper[r])) need = Math.max(need, (rest - a.rowUpper[r]) / -coef);
    if (coef > 0 && Number.isFinite(a.rowLower[r])) need = Math.max(need, (a.rowLower[r] - rest) / coef);
    if (a.integrality[c] === 1) need = Math.ceil(need - 1e-9);
    v[c] = Math.min(a.colUpper[c], need);
  }
}

function rowActivity(a: MilpArrays, v: Float64Array, r: number): number {
  let s = 0;
  for (let k = a.starts[r]; k < a.starts[r + 1]; k++) s += a.values[k] * v[a.indices[k]];
  return s;
}

/** brokenHosts lists the hosts of every x and y in a row the values break. */
function brokenHosts(a: MilpArrays, hostOfCol: Int32Array, v: Float64Array): Set<number> {
  const bad = new Set<number>();
  const tol = 1e-6;
  for (let r = 0; r < a.numRows; r++) {
    const lhs = rowActivity(a, v, r);
    if (lhs <= a.rowUpper[r] + tol && lhs >= a.rowLower[r] - tol) continue;
    for (let k = a.starts[r]; k < a.starts[r + 1]; k++) if (hostOfCol[a.indices[k]] >= 0) bad.add(hostOfCol[a.indices[k]]);
  }
  return bad;
}

/**
 * planStart builds the (partial) start for an assignment already in canonical symmetric form
 * (relabelWithinTypes). Specified: x of every VM on a good host (1 there, 0 elsewhere) and y = 1
 * of good used hosts. Unspecified, for HiGHS to complete: the VMs of broken hosts, the y of
 * broken and unused hosts, every auxiliary. Undefined when a scope VM is unplaced or on a pair
 * the model has no column for (not a plan HiGHS could start from).
 */
export function planStart(pm: PackedModel, assignment: Int32Array): StartPlan | undefined {
  for (const j of pm.vms) if (assignment[j] < 0 || !pm.colOf.has(xName(j, assignment[j]))) return undefined;
  const hostOfCol = columnHosts(pm);
  const bad = brokenHosts(pm.arrays, hostOfCol, startValues(pm, hostOfCol, assignment));
  const idx: number[] = [];
  const val: number[] = [];
  const used = new Set<number>();
  let freed = 0;
  for (const j of pm.vms) {
    if (bad.has(assignment[j])) {
      freed++;
      continue;
    }
    used.add(assignment[j]);
    for (const i of pm.hosts) {
      const c = pm.colOf.get(xName(j, i));
      if (c === undefined) continue;
      idx.push(c);
      val.push(assignment[j] === i ? 1 : 0);
    }
  }
  for (const i of used) {
    idx.push(pm.colOf.get(yName(i))!);
    val.push(1);
  }
  return { start: { indices: Int32Array.from(idx), values: Float64Array.from(val) }, badHosts: bad.size, freedVms: freed };
}

/**
 * linearObjective is the model's objective at an assignment, auxiliaries at their least forced
 * values (the penalties a plan actually pays). It is what LNS compares before and after a
 * re-solve; for a plan that breaks rows it is still the objective's terms evaluated on the plan.
 */
export function linearObjective(pm: PackedModel, assignment: Int32Array): number {
  const v = startValues(pm, columnHosts(pm), assignment);
  let s = pm.arrays.offset;
  for (let c = 0; c < v.length; c++) s += pm.arrays.colCost[c] * v[c];
  return s;
}
