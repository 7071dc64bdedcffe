import { OK, infeasible, type FilterPlugin, type LpPlugin, type Status } from "../framework.js";
import { xName, type LpBuilder } from "../lp.js";
import type { PlacementState } from "../state.js";

export const VALIDATION_CUT = "ValidationCut";

/**
 * validationCut is the cut re-simulation adds when a host's simulated latencies breach an SLO
 * the predictor said was safe: that host may carry at most `maxAggressorVcpus` CPU-bound vCPUs
 * from now on (fewer than the composition that breached), so no repair move puts the harm back.
 */
export function validationCut(cuts: ReadonlyMap<number, number>): FilterPlugin & LpPlugin {
  return {
    name: VALIDATION_CUT,
    fits(s: PlacementState, j: number, i: number): boolean {
      const cap = cuts.get(i);
      return cap === undefined || s.aggressorVcpus[i] + s.problem.profiles[j].cpuVcpus <= cap;
    },
    filter(s: PlacementState, j: number, i: number): Status {
      if (this.fits(s, j, i)) return OK;
      return infeasible({ constraint: VALIDATION_CUT, resource: "cpuBoundVcpus", requested: s.problem.profiles[j].cpuVcpus, used: s.aggressorVcpus[i], capacity: cuts.get(i) ?? 0 });
    },
    toLp(b: LpBuilder): void {
      for (const [i, cap] of cuts) {
        const terms = (b.vmsOn.get(i) ?? []).filter((j) => b.problem.profiles[j].cpuVcpus > 0).map((j) => ({ v: xName(j, i), coef: b.problem.profiles[j].cpuVcpus }));
        b.addRow(VALIDATION_CUT, `cut${i}`, terms, "<=", cap);
      }
    },
  };
}
