import type { Framework, Reason } from "./framework.js";
import type { PlacementState } from "./state.js";

/** InfeasibleVm: a VM the plan leaves out, with what blocks it on each host type. */
export interface InfeasibleVm {
  readonly vm: number;
  readonly byType: readonly { type: number; host: number; reasons: readonly Reason[] }[];
}

/**
 * explainUnplaced asks every filter why each unplaced VM cannot join each host type, on the
 * type's representative: an empty host of the type if one is left (what blocks the VM on its
 * own: size, labels, its own SLO), else the type's host with the most free memory (what the plan
 * around it blocks). One line per VM and type, not per host.
 */
export function explainUnplaced(state: PlacementState, fw: Framework, unplacedVms: readonly number[]): InfeasibleVm[] {
  const p = state.problem;
  const reps = p.types.map((t) => {
    const empty = [...t.hosts].find((i) => state.vmsOn[i].length === 0);
    if (empty !== undefined) return empty;
    let best = t.hosts[0];
    for (const i of t.hosts) if (p.hostMemoryMiB[i] - state.memUsedMiB[i] > p.hostMemoryMiB[best] - state.memUsedMiB[best]) best = i;
    return best;
  });
  return unplacedVms.map((j) => ({
    vm: j,
    byType: reps.map((host, type) => {
      const reasons = fw.filter(state, j, host).reasons;
      // A VM that passes every filter alone was left out with its hard-affinity group.
      return { type, host, reasons: reasons.length > 0 ? reasons : [{ constraint: "Affinity", resource: "group", requested: 1, used: 0, capacity: 0 }] };
    }),
  }));
}
