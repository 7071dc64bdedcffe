import { Metric } from "../../interference/predictor.js";
import { MAX_SCORE, type CycleState, type LpPlugin, type ScorePlugin } from "../framework.js";
import { riskObjective } from "../lp-rows.js";
import { RISK } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * Risk (objective min-risk: CPU-bound vCPUs per core on hosts that hold a latency-sensitive VM).
 * Scores a host by the share of its binding victim's SLO slack still left once j joins: 100 when
 * no victim is involved or nothing is predicted, 0 at a predicted breach.
 */
export const risk: ScorePlugin & LpPlugin = {
  name: RISK,

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    const p = s.problem;
    const hs = s.hostStates[i];
    const margin = hs.worstSlackUs(p.profiles[j], p.victims[j]);
    if (margin === Infinity) return MAX_SCORE;
    if (margin <= 0) return 0;
    const delay = hs.delayUs(Metric.RequestP999, p.profiles[j]);
    return MAX_SCORE * (margin / (margin + Math.max(0, delay)));
  },

  toLp: riskObjective,
};
