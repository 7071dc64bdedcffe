import { hardwareClasses, totalDemand, type HwClass } from "./lower-bound.js";
import type { PlacementProblem } from "./problem.js";
import { solveSmallLp, type LpRowDense } from "./small-lp.js";

/**
 * Resource prices: what one unit of each resource (memory, vCPUs, network) is worth when buying
 * capacity for this fleet's demand. They are the dual of the fractional cover (lower-bound.ts):
 *
 *   max Σr Dr·πr − Σc countc·vc   s.t.  Σr capcr·πr − vc ≤ costc,  π, v ≥ 0
 *
 * over hardware classes c and resources r with total demand D. A resource the cheapest cover
 * leaves slack is worth 0; a class whose capacity is worth more than it costs (π·cap > cost) is
 * in every cheapest cover up to its count. Measured on the tight family (1,600 hosts): ranking
 * types by cost per *average VM* (the smallest of capacity over mean demand, every resource
 * alike) opened all 161 of the largest hosts and none of the 162 smallest, where the LP
 * relaxation uses 24 and 162; the search then spent minutes trading one mix for the other.
 */
export interface Prices {
  /** Price per unit of memoryMiB, vCPUs and (when some VM declares it) networkMbps. */
  readonly perUnit: readonly number[];
  /** Σr πr·capr per host type: what its capacity is worth at these prices. */
  readonly typeValue: Float64Array;
  /**
   * Per host type, the share of its hosts the fractional cover buys (0-1). Among types whose
   * capacity is worth exactly what it costs (several can be, on the cover's margin), it says
   * which ones the cheapest cover actually uses.
   */
  readonly typeShare: Float64Array;
}

const cache = new WeakMap<PlacementProblem, Prices | null>();

/**
 * forgetPrices drops the cached prices of a problem whose VM demands were rewritten in place
 * (CandidateSlot): they are recomputed from the new total demand, O(VMs + types) and two LPs of
 * a few columns, where the bound's aggregates would be O(VMs × hardware classes).
 */
export function forgetPrices(p: PlacementProblem): void {
  cache.delete(p);
}

/** resourcePrices: the cover's dual prices (cached per problem); null when it has no useful answer. */
export function resourcePrices(p: PlacementProblem): Prices | null {
  let x = cache.get(p);
  if (x === undefined) {
    x = computePrices(p);
    cache.set(p, x);
  }
  return x;
}

function computePrices(p: PlacementProblem): Prices | null {
  const { classes, classOfType } = hardwareClasses(p);
  const demand = totalDemand(p);
  const R = demand.length;
  if (classes.length === 0 || demand.every((d) => d <= 0)) return null;
  // Columns: π'r = πr·Dr (the worth of all demand for r, well scaled), then vc. Capacities are
  // shares of the demand, capped at 1 (more than all of it is worth no more; removes Infinity).
  const share = (cap: readonly number[], r: number): number => (demand[r] > 0 ? Math.min(cap[r], demand[r]) / demand[r] : 0);
  const nVars = R + classes.length;
  const rows: LpRowDense[] = classes.map((cl, c) => {
    const coef = new Array<number>(nVars).fill(0);
    for (let r = 0; r < R; r++) coef[r] = share(cl.cap, r);
    coef[R + c] = -1;
    return { coef, sense: "<=", rhs: cl.cost };
  });
  const objective = [...demand.map((d) => (d > 0 ? -1 : 0)), ...classes.map((cl) => cl.count)];
  const res = solveSmallLp(objective, rows);
  if (res.status !== "optimal") return null;
  const perUnit = demand.map((d, r) => (d > 0 ? res.x[r] / d : 0));
  if (perUnit.every((x) => x <= 0)) return null;
  const used = coverShares(classes, demand, share);
  const typeShare = Float64Array.from(p.types, (_t, k) => used[classOfType[k]]);
  const typeValue = Float64Array.from(p.types, (t) => {
    const cap = [t.memoryMiB, t.vcpuCap, t.networkMbps];
    let v = 0;
    for (let r = 0; r < R; r++) if (perUnit[r] > 0) v += perUnit[r] * Math.min(cap[r], demand[r]);
    return v;
  });
  return { perUnit, typeValue, typeShare };
}

/** coverShares: the fractional cover's primal, as the share of each class's hosts it buys. */
function coverShares(classes: readonly HwClass[], demand: readonly number[], share: (cap: readonly number[], r: number) => number): number[] {
  const C = classes.length;
  const rows: LpRowDense[] = demand.flatMap((d, r) => (d > 0 ? [{ coef: classes.map((cl) => share(cl.cap, r)), sense: ">=" as const, rhs: 1 }] : []));
  classes.forEach((cl, c) => rows.push({ coef: classes.map((_, q) => (q === c ? 1 : 0)), sense: "<=", rhs: cl.count }));
  const res = solveSmallLp(classes.map((cl) => cl.cost), rows);
  return res.status === "optimal" ? Array.from({ length: C }, (_, c) => Math.min(1, res.x[c] / Math.max(1, classes[c].count))) : new Array<number>(C).fill(0);
}
