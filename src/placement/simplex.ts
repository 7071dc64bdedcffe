/**
 * A dense two-phase primal simplex for the lower bound's tiny aggregated LPs (a few dozen rows
 * and columns).
 * Not for the placement MILP itself: HiGHS is the exact backend.
 */
export interface LpRowDense {
  readonly coef: readonly number[];
  readonly sense: "<=" | ">=" | "=";
  readonly rhs: number;
}

export type DenseLpResult =
  | { status: "optimal"; value: number; x: Float64Array }
  | { status: "infeasible" | "unbounded" };

const EPS = 1e-9;

/**
 * solveDenseLp minimises c·x subject to the rows and x ≥ 0. A "<=" row with a non-negative
 * right-hand side starts with its slack basic; only the other rows get an artificial (phase 1).
 */
export function solveDenseLp(c: readonly number[], rows: readonly LpRowDense[]): DenseLpResult {
  const n = c.length;
  const m = rows.length;
  const norm = rows.map((r) => (r.rhs < 0 ? { coef: r.coef.map((v) => -v), sense: flipSense(r.sense), rhs: -r.rhs } : r));
  const slacks = norm.filter((r) => r.sense !== "=").length;
  const arts = norm.filter((r) => r.sense !== "<=").length;
  const art = n + slacks;
  const width = art + arts + 1;
  const T: Float64Array[] = [];
  const basis = new Int32Array(m);
  let s = n;
  let a = art;
  norm.forEach((r, k) => {
    const row = new Float64Array(width);
    for (let q = 0; q < n; q++) row[q] = r.coef[q] ?? 0;
    if (r.sense !== "=") row[s] = r.sense === "<=" ? 1 : -1;
    if (r.sense === "<=") basis[k] = s;
    else {
      row[a] = 1;
      basis[k] = a++;
    }
    if (r.sense !== "=") s++;
    row[width - 1] = r.rhs;
    T.push(row);
  });
  // Phase 1: minimise the sum of artificials.
  const phase1 = new Float64Array(width);
  for (let k = 0; k < m; k++) if (basis[k] >= art) for (let q = 0; q < width; q++) if (q < art || q === width - 1) phase1[q] -= T[k][q];
  if (!iterate(T, phase1, basis, art)) return { status: "unbounded" };
  if (-phase1[width - 1] > 1e-7) return { status: "infeasible" };
  driveOutArtificials(T, basis, art);
  const obj = new Float64Array(width);
  for (let q = 0; q < n; q++) obj[q] = c[q];
  for (let k = 0; k < m; k++) {
    const b = basis[k];
    if (b < n && obj[b] !== 0) {
      const f = obj[b];
      for (let q = 0; q < width; q++) obj[q] -= f * T[k][q];
    }
  }
  if (!iterate(T, obj, basis, art)) return { status: "unbounded" };
  const x = new Float64Array(n);
  for (let k = 0; k < m; k++) if (basis[k] < n) x[basis[k]] = T[k][width - 1];
  return { status: "optimal", value: -obj[width - 1], x };
}

function flipSense(s: LpRowDense["sense"]): LpRowDense["sense"] {
  return s === "<=" ? ">=" : s === ">=" ? "<=" : "=";
}

/**
 * iterate pivots until no column below `limit` has a negative reduced cost; false if unbounded.
 * Dantzig's rule (most negative reduced cost) is fast; after a run of degenerate pivots it falls
 * back to Bland's rule, which cannot cycle.
 */
function iterate(T: Float64Array[], obj: Float64Array, basis: Int32Array, limit: number): boolean {
  const rhs = obj.length - 1;
  let degenerate = 0;
  for (let guard = 0; guard < 50_000; guard++) {
    const bland = degenerate > 50;
    let enter = -1;
    for (let q = 0; q < limit; q++) {
      if (obj[q] >= -EPS) continue;
      if (enter < 0 || (!bland && obj[q] < obj[enter])) enter = q;
      if (bland) break;
    }
    if (enter < 0) return true;
    let leave = -1;
    let best = Infinity;
    for (let k = 0; k < T.length; k++) {
      const a = T[k][enter];
      if (a <= EPS) continue;
      const ratio = T[k][rhs] / a;
      if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[k] < basis[leave])) {
        best = ratio;
        leave = k;
      }
    }
    if (leave < 0) return false;
    degenerate = best <= EPS ? degenerate + 1 : 0;
    pivot(T, obj, basis, leave, enter);
  }
  throw new Error("simplex: iteration guard reached");
}

function pivot(T: Float64Array[], obj: Float64Array, basis: Int32Array, r: number, q: number): void {
  const row = T[r];
  const w = row.length;
  const a = row[q];
  for (let k = 0; k < w; k++) row[k] /= a;
  for (let o = 0; o <= T.length; o++) {
    const other = o < T.length ? T[o] : obj;
    if (o === r) continue;
    const f = other[q];
    if (f === 0) continue;
    for (let k = 0; k < w; k++) other[k] -= f * row[k];
  }
  basis[r] = q;
}

/** driveOutArtificials pivots basic artificials (at zero) out where a structural column allows. */
function driveOutArtificials(T: Float64Array[], basis: Int32Array, art: number): void {
  const dummy = new Float64Array(T[0]?.length ?? 0);
  for (let k = 0; k < T.length; k++) {
    if (basis[k] < art) continue;
    for (let q = 0; q < art; q++)
      if (Math.abs(T[k][q]) > EPS) {
        pivot(T, dummy, basis, k, q);
        break;
      }
  }
}
