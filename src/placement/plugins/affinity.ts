import { OK, infeasible, MAX_SCORE, type CycleState, type FilterPlugin, type LpPlugin, type Reason, type ScorePlugin, type Status } from "../framework.js";
import { affinityRows } from "../lp-rows.js";
import { AFFINITY } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * Affinity: a hard group shares one host, so a VM may join host i only if no member is placed
 * elsewhere (filter). Soft groups score 100 where a member already is, 50 while none is placed,
 * 0 on a host that would spread the group further.
 */
export const affinity: FilterPlugin & ScorePlugin & LpPlugin = {
  name: AFFINITY,

  fits(s: PlacementState, j: number, i: number): boolean {
    const p = s.problem;
    for (const g of p.vmAffinity[j]) {
      const grp = p.affinity[g];
      if (grp.soft) continue;
      // Placed members of a hard group sit on one host; j may join only that one.
      const spread = s.affinityHosts(g);
      if (spread > 1 || (spread === 1 && s.affinityCount(g, i) === 0)) return false;
    }
    return true;
  },

  filter(s: PlacementState, j: number, i: number): Status {
    const p = s.problem;
    const reasons: Reason[] = [];
    for (const g of p.vmAffinity[j]) {
      const grp = p.affinity[g];
      if (grp.soft) continue;
      const elsewhere = [...grp.vms].find((m) => m !== j && s.hostOf[m] >= 0 && s.hostOf[m] !== i);
      if (elsewhere !== undefined)
        reasons.push({ constraint: AFFINITY, resource: "groupHosts", requested: 1, used: 1, capacity: 1, group: grp.name, vm: p.vms[elsewhere].id });
    }
    return reasons.length === 0 ? OK : infeasible(...reasons);
  },

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    const p = s.problem;
    let best = MAX_SCORE;
    for (const g of p.vmAffinity[j]) {
      const grp = p.affinity[g];
      if (!grp.soft) continue;
      if (s.affinityCount(g, i) > 0) continue;
      const anyPlaced = [...grp.vms].some((m) => m !== j && s.hostOf[m] >= 0);
      best = Math.min(best, anyPlaced ? 0 : MAX_SCORE / 2);
    }
    return best;
  },

  toLp: affinityRows,
};
