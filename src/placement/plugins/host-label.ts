import { OK, infeasible, MAX_SCORE, type CycleState, type FilterPlugin, type LpPlugin, type Reason, type ScorePlugin, type Status } from "../framework.js";
import { hostLabelRows } from "../lp-rows.js";
import { HOST_LABEL } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * HostLabel: a VM named by a hard host-label constraint runs only on hosts with label=value
 * (filter); a soft one scores 0 on other hosts and costs a soft-violation unit there.
 */
export const hostLabel: FilterPlugin & ScorePlugin & LpPlugin = {
  name: HOST_LABEL,

  fits(s: PlacementState, j: number, i: number): boolean {
    const p = s.problem;
    for (const g of p.vmHostLabel[j]) if (!p.hostLabel[g].soft && p.hostLabel[g].hostOk[i] === 0) return false;
    return true;
  },

  filter(s: PlacementState, j: number, i: number): Status {
    const p = s.problem;
    const reasons: Reason[] = [];
    for (const g of p.vmHostLabel[j]) {
      const grp = p.hostLabel[g];
      if (!grp.soft && grp.hostOk[i] === 0)
        reasons.push({ constraint: HOST_LABEL, resource: `label:${grp.label}=${grp.value}`, requested: 1, used: 0, capacity: 0, group: grp.name });
    }
    return reasons.length === 0 ? OK : infeasible(...reasons);
  },

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    const p = s.problem;
    for (const g of p.vmHostLabel[j]) if (p.hostLabel[g].soft && p.hostLabel[g].hostOk[i] === 0) return 0;
    return MAX_SCORE;
  },

  toLp: hostLabelRows,
};
