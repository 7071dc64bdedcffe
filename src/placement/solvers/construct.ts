import type { Framework } from "../framework.js";
import type { ItemSet } from "../items.js";
import type { PlacementProblem } from "../problem.js";
import { dotProductPack } from "./dot-product.js";
import { firstFitDecreasing, type FfdResult } from "./ffd.js";

/** The size weights tried by the residual-alignment packing (dot-product.ts). */
export const SIZE_WEIGHTS = [0, 0.15, 0.3, 0.5, 1] as const;

export interface Construction extends FfdResult {
  /** Which heuristic built it: "ffd", "bfd" or "dot-product(w)". */
  readonly heuristic: string;
}

/**
 * construct runs a small deterministic portfolio of constructive heuristics (first-fit and
 * best-fit decreasing, residual-alignment packing at a few size weights) and keeps the plan that
 * places the most items, then the cheapest. Each run is O(items × open hosts) at worst; at
 * 10,000 VMs the portfolio takes under a second.
 */
export function construct(p: PlacementProblem, fw: Framework, set: ItemSet): Construction {
  const runs: Construction[] = [
    { ...firstFitDecreasing(p, fw, set, { mode: "first" }), heuristic: "ffd" },
    { ...firstFitDecreasing(p, fw, set, { mode: "best" }), heuristic: "bfd" },
    ...SIZE_WEIGHTS.map((w) => ({ ...dotProductPack(p, fw, set, w), heuristic: `dot-product(${w})` })),
  ];
  let best = runs[0];
  for (const r of runs.slice(1))
    if (r.unplaced.length < best.unplaced.length || (r.unplaced.length === best.unplaced.length && r.state.usedCost < best.state.usedCost - 1e-9)) best = r;
  return best;
}
