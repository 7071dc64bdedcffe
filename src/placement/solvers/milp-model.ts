import { xName, type LinearModel, type LinearRow } from "../lp.js";
import { RESOURCE_FIT } from "../names.js";
import type { PlacementProblem } from "../problem.js";

/**
 * MilpArrays is a LinearModel packed the way HiGHS takes it through `passModel` (CSR rows,
 * dense column vectors): typed arrays only, cheap to clone into the solver worker, and HiGHS
 * never parses text. Measured on the generated 500 × 120 model (61k columns, 83k rows): packing
 * 120 ms + passModel 70 ms, against writeLpText 260 ms (8.9 MB) + HiGHS reading it 1,250 ms.
 */
export interface MilpArrays {
  readonly numCols: number;
  readonly numRows: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly integrality: Int32Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  readonly starts: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
  readonly offset: number;
}

/** PackedModel keeps what decoding needs next to the arrays: the column of every x and y. */
export interface PackedModel {
  readonly arrays: MilpArrays;
  /** Column index of each variable name. */
  readonly colOf: ReadonlyMap<string, number>;
  /** Scope VMs and hosts in model order (ascending, as LpScope promises). */
  readonly vms: Int32Array;
  readonly hosts: Int32Array;
}

/**
 * isRedundantLink: the ResourceFit rows x_ji ≤ y_i ("link" prefix, lp-rows.ts). Every VM has
 * vcpus ≥ 1 (schema), so the vCPU row Σ vcpus·x ≤ cap·y already forces y = 1 under any x = 1 in
 * the integer model; the rows only tighten the LP, and HiGHS derives the same implications in
 * presolve. Measured on generated instances with HiGHS: 60 × 15 optimal in 2.0 s without them,
 * 3.2 s with; 200 × 50 optimal in 26 s without, not proved in 60 s with (gap 0.6%).
 */
export function isRedundantLink(r: LinearRow): boolean {
  return r.constraint === RESOURCE_FIT && r.name.startsWith("link");
}

/**
 * packModel turns a LinearModel into MilpArrays, leaving out rows `drop` names. Terms naming the
 * same variable twice in one row are summed (CSR forbids duplicate columns in a row); an unknown
 * variable is a broken invariant of the model builder and throws.
 */
export function packModel(m: LinearModel, drop: (r: LinearRow) => boolean = () => false): PackedModel {
  const n = m.vars.length;
  const colOf = new Map<string, number>();
  const colLower = new Float64Array(n);
  const colUpper = new Float64Array(n);
  const integrality = new Int32Array(n);
  m.vars.forEach((v, c) => {
    colOf.set(v.name, c);
    colLower[c] = v.lb;
    colUpper[c] = v.ub;
    integrality[c] = v.kind === "binary" ? 1 : 0;
  });
  const col = (name: string): number => {
    const c = colOf.get(name);
    if (c === undefined) throw new Error(`milp: row term names unknown variable ${name}`);
    return c;
  };
  const colCost = new Float64Array(n);
  for (const t of m.objective) colCost[col(t.v)] += t.coef;
  const rows = packRows(m.rows.filter((r) => !drop(r)), col, n);
  const arrays: MilpArrays = { numCols: n, colCost, colLower, colUpper, integrality, offset: m.objectiveConstant, ...rows };
  return { arrays, colOf, vms: m.scope.vms, hosts: m.scope.hosts };
}

function packRows(rows: readonly LinearRow[], col: (name: string) => number, n: number) {
  const nRows = rows.length;
  let nnz = 0;
  for (const r of rows) nnz += r.terms.length;
  const starts = new Int32Array(nRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const rowLower = new Float64Array(nRows);
  const rowUpper = new Float64Array(nRows);
  // slot[c] = position of column c in the row being packed, or -1: merges duplicates in O(terms).
  const slot = new Int32Array(n).fill(-1);
  let k = 0;
  rows.forEach((r, ri) => {
    const first = k;
    for (const t of r.terms) {
      const c = col(t.v);
      if (slot[c] >= first) values[slot[c]] += t.coef;
      else {
        slot[c] = k;
        indices[k] = c;
        values[k++] = t.coef;
      }
    }
    starts[ri + 1] = k;
    rowLower[ri] = r.sense === "<=" ? -Infinity : r.rhs;
    rowUpper[ri] = r.sense === ">=" ? Infinity : r.rhs;
  });
  return { numRows: nRows, rowLower, rowUpper, starts, indices: indices.subarray(0, k), values: values.subarray(0, k) };
}

/**
 * decodeColumns reads vm → host from a column vector: x above 0.5 counts as 1 (solver
 * tolerances do not matter). VMs outside the scope keep the start's host; a scope VM with no x
 * set (only possible in an infeasible or partial vector) gets -1.
 */
export function decodeColumns(p: PlacementProblem, pm: PackedModel, colValue: Float64Array, start?: Int32Array): Int32Array {
  const out = start ? Int32Array.from(start) : new Int32Array(p.nVms).fill(-1);
  for (const j of pm.vms) {
    out[j] = -1;
    for (const i of pm.hosts) {
      const c = pm.colOf.get(xName(j, i));
      if (c !== undefined && colValue[c] > 0.5) out[j] = i;
    }
  }
  return out;
}

/** SparseStart is a partial MIP start (column, value) pairs; HiGHS completes the rest. */
export interface SparseStart {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}
