import { MAX_SCORE, type CycleState, type LpPlugin, type ScorePlugin } from "../framework.js";
import { typeCostPerVm } from "../host-order.js";
import { consolidationObjective } from "../lp-rows.js";
import { CONSOLIDATION } from "../names.js";
import { forgetPrices } from "../prices.js";
import type { PlacementProblem } from "../problem.js";
import type { PlacementState } from "../state.js";

const costCache = new WeakMap<PlacementProblem, { perVm: Float64Array; best: number }>();

function costs(p: PlacementProblem): { perVm: Float64Array; best: number } {
  let c = costCache.get(p);
  if (!c) {
    const perVm = typeCostPerVm(p);
    c = { perVm, best: Math.min(...perVm) };
    costCache.set(p, c);
  }
  return c;
}

/** forgetCosts drops the cached cost per VM (and the resource prices behind it) of a problem whose VM demands were rewritten in place. */
export function forgetCosts(p: PlacementProblem): void {
  costCache.delete(p);
  forgetPrices(p);
}

/**
 * Consolidation (objective min-cost: the summed cost of used hosts). Scores a used host
 * 50–100 by how full it would be (best fit: fuller hosts leave whole hosts empty), and an empty
 * host 0–50 by how cheap its capacity is relative to the cheapest type.
 */
export const consolidation: ScorePlugin & LpPlugin = {
  name: CONSOLIDATION,

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    const p = s.problem;
    if (s.vmsOn[i].length > 0) {
      const fill = Math.max((s.memUsedMiB[i] + p.vmMemoryMiB[j]) / p.hostMemoryMiB[i], (s.vcpusUsed[i] + p.vmVcpus[j]) / p.hostVcpuCap[i]);
      return MAX_SCORE / 2 + (MAX_SCORE / 2) * Math.min(1, fill);
    }
    const { perVm, best } = costs(p);
    const mine = perVm[p.hostTypeOf[i]];
    return mine <= 0 ? MAX_SCORE / 2 : (MAX_SCORE / 2) * Math.min(1, best / mine);
  },

  toLp: consolidationObjective,
};
