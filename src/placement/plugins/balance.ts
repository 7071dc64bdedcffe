import { MAX_SCORE, type CycleState, type LpPlugin, type ScorePlugin } from "../framework.js";
import { balanceObjective } from "../lp-rows.js";
import { BALANCE } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * Balance (objective balance: the largest vCPU or memory fill fraction of any host). Scores a
 * host by the room it would have left: 100 when still empty, 0 when full (least allocated).
 */
export const balance: ScorePlugin & LpPlugin = {
  name: BALANCE,

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    const p = s.problem;
    const fill = Math.max((s.memUsedMiB[i] + p.vmMemoryMiB[j]) / p.hostMemoryMiB[i], (s.vcpusUsed[i] + p.vmVcpus[j]) / p.hostVcpuCap[i]);
    return MAX_SCORE * Math.max(0, 1 - fill);
  },

  toLp: balanceObjective,
};
