import type { Framework } from "../framework.js";
import type { ItemSet } from "../items.js";
import type { PlacementProblem } from "../problem.js";
import { dotProductPack } from "./dot-product.js";
import { firstFitDecreasing, type FfdResult } from "./ffd.js";

/** The size weights tried by the residual-alignment packing (dot-product.ts), and with its lookahead. */
export const SIZE_WEIGHTS = [0.3, 0.15, 0, 0.5, 1] as const;
export const LOOKAHEAD_WEIGHTS = [0.15, 0.3] as const;

export interface Construction extends FfdResult {
  /** Which heuristic built it: "ffd", "bfd", "dot-product(w)" or "dot-product-lookahead(w)". */
  readonly heuristic: string;
}

/**
 * construct runs a small deterministic portfolio of constructive heuristics (first-fit and
 * best-fit decreasing, residual-alignment packing at a few size weights, with and without its
 * lookahead) and keeps the plan that places the most items, then the cheapest. Each run is
 * O(items × open hosts) at worst; they run one after the other, best first as measured on the
 * default and tight generators, and only the best plan so far is kept (at 100,000 VMs each is
 * tens of MB). `enough` (a wall-clock deadline, from the caller's budget) ends the portfolio
 * early: at 100,000 VMs on a shared machine the nine runs took 50 s. Without it every run runs.
 */
export function construct(p: PlacementProblem, fw: Framework, set: ItemSet, enough?: () => boolean): Construction {
  const runs: (() => Construction)[] = [
    ...LOOKAHEAD_WEIGHTS.map((w) => () => ({ ...dotProductPack(p, fw, set, w, true), heuristic: `dot-product-lookahead(${w})` })),
    ...SIZE_WEIGHTS.map((w) => () => ({ ...dotProductPack(p, fw, set, w), heuristic: `dot-product(${w})` })),
    () => ({ ...firstFitDecreasing(p, fw, set, { mode: "first" }), heuristic: "ffd" }),
    () => ({ ...firstFitDecreasing(p, fw, set, { mode: "best" }), heuristic: "bfd" }),
  ];
  let best: Construction | undefined;
  for (const run of runs) {
    const r = run();
    if (!best || r.unplaced.length < best.unplaced.length || (r.unplaced.length === best.unplaced.length && r.state.usedCost < best.state.usedCost - 1e-9)) best = r;
    if (best.unplaced.length === 0 && enough?.()) break;
  }
  return best!;
}
