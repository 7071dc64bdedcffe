import { OK, infeasible, MAX_SCORE, type CycleState, type FilterPlugin, type LpPlugin, type Reason, type ScorePlugin, type Status } from "../framework.js";
import { antiAffinityRows } from "../lp-rows.js";
import { ANTI_AFFINITY } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * AntiAffinity: members of a hard group never share a host (filter); each extra member of a
 * soft group on one host costs a soft-violation unit (score 0 on such a host, 100 elsewhere).
 */
export const antiAffinity: FilterPlugin & ScorePlugin & LpPlugin = {
  name: ANTI_AFFINITY,

  fits(s: PlacementState, j: number, i: number): boolean {
    const p = s.problem;
    for (const g of p.vmAntiAffinity[j]) if (!p.antiAffinity[g].soft && s.antiAffinityCount(g, i) > 0) return false;
    return true;
  },

  filter(s: PlacementState, j: number, i: number): Status {
    const p = s.problem;
    const reasons: Reason[] = [];
    for (const g of p.vmAntiAffinity[j]) {
      const grp = p.antiAffinity[g];
      const used = s.antiAffinityCount(g, i);
      if (!grp.soft && used > 0) reasons.push({ constraint: ANTI_AFFINITY, resource: "groupMembers", requested: 1, used, capacity: 1, group: grp.name });
    }
    return reasons.length === 0 ? OK : infeasible(...reasons);
  },

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    const p = s.problem;
    for (const g of p.vmAntiAffinity[j]) if (p.antiAffinity[g].soft && s.antiAffinityCount(g, i) > 0) return 0;
    return MAX_SCORE;
  },

  toLp: antiAffinityRows,
};
