import highsModule from "highs";
import { boundInputs } from "../src/placement/lower-bound.js";
import type { PlacementProblem } from "../src/placement/problem.js";

// As in src/runtime/highs-worker.ts: at run time the default import is the loader.
type HighsLoader = typeof highsModule.default;
const highsLoader = highsModule as unknown as HighsLoader;

/**
 * fullLpBound solves the placement's LP relaxation, aggregated by VM demand class and hardware
 * class (lower-bound.ts lpBound) but without its size cap (300 pairs: beyond it the placer uses
 * the cover alone), with HiGHS: is the cover what makes the gap on large instances? Rows: each
 * demand class placed once, per hardware class and resource the demand within n × capacity, the
 * count of each class; the x ≤ y links (f ≤ n) are kept too. Returns the LP optimum and its time.
 */
export async function fullLpBound(p: PlacementProblem): Promise<{ value: number; ms: number; columns: number; rows: number }> {
  const t0 = performance.now();
  const { classes, demandClasses: ks } = boundInputs(p);
  const C = classes.length;
  const colCost: number[] = classes.map((c) => c.cost);
  const colUpper: number[] = classes.map((c) => c.count);
  const fIdx = new Map<number, number>();
  ks.forEach((g, k) =>
    g.allowed.forEach((ok, c) => {
      if (!ok) return;
      fIdx.set(k * C + c, colCost.length);
      colCost.push(0);
      colUpper.push(1);
    }),
  );
  const rows: { lo: number; hi: number; ents: [number, number][] }[] = [];
  ks.forEach((g, k) => rows.push({ lo: 1, hi: 1, ents: g.allowed.flatMap((ok, c): [number, number][] => (ok ? [[fIdx.get(k * C + c)!, 1]] : [])) }));
  classes.forEach((cl, c) => {
    cl.cap.forEach((cap, r) => {
      if (!Number.isFinite(cap)) return;
      const ents: [number, number][] = [[c, -cap]];
      ks.forEach((g, k) => g.allowed[c] && ents.push([fIdx.get(k * C + c)!, g.n * g.d[r]]));
      rows.push({ lo: -Infinity, hi: 0, ents });
    });
    ks.forEach((g, k) => g.allowed[c] && rows.push({ lo: -Infinity, hi: 0, ents: [[fIdx.get(k * C + c)!, 1], [c, -1]] }));
  });
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    for (const [q, v] of r.ents) (indices.push(q), values.push(v));
    starts.push(indices.length);
  }
  const highs = await highsLoader();
  const n = colCost.length;
  const model = highs.createModel({
    numCols: n,
    numRows: rows.length,
    offset: 0,
    colCost,
    colLower: new Array<number>(n).fill(0),
    colUpper,
    rowLower: rows.map((r) => r.lo),
    rowUpper: rows.map((r) => r.hi),
    integrality: new Int32Array(n),
    matrix: { format: "csr", numRows: rows.length, numCols: n, starts, indices, values },
  });
  model.options.set({ output_flag: false });
  model.run();
  return { value: model.getObjectiveValue(), ms: performance.now() - t0, columns: n, rows: rows.length };
}
