import { MAX_SCORE, type CycleState, type LpPlugin, type ScorePlugin } from "../framework.js";
import { riskObjective } from "../lp-rows.js";
import { RISK } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * Risk (objective min-risk: CPU-bound vCPUs per core on hosts that hold a latency-sensitive VM).
 * Scores a host by the share of its binding victim's SLO slack (against the bound) still left once
 * j joins, times one minus half its CPU-bound vCPUs per core: 100 when no victim is involved, 0 at
 * a bound over the SLO. The load factor keeps the LP's count in view where the predictor sees no
 * delay yet (cores not full), so a victim still lands on the quieter of two safe hosts.
 */
export const risk: ScorePlugin & LpPlugin = {
  name: RISK,

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    const p = s.problem;
    const hs = s.hostStates[i];
    // One pass over the host's victims for both figures (each p99.9 solved once).
    const { slackUs: margin, harmUs: delay } = hs.slackAndHarm(p.profiles[j], p.victims[j]);
    if (margin === Infinity) return MAX_SCORE;
    if (margin <= 0) return 0;
    const load = Math.min(1, (s.aggressorVcpus[i] + p.profiles[j].cpuVcpus) / p.hostCores[i]);
    return MAX_SCORE * (margin / (margin + Math.max(0, delay))) * (1 - load / 2);
  },

  toLp: riskObjective,
};
