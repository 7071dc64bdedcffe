import { driverCpusFor } from "../../model/driver-domain.js";
import { LOAD_LEVELS, wattsAt } from "../../model/power.js";
import { MAX_SCORE, type CycleState, type LpPlugin, type ScorePlugin } from "../framework.js";
import { energyObjective } from "../lp-rows.js";
import { ENERGY } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * Energy (objective min-energy: the predicted watts of every host). Rates a host by the watts VM
 * j adds there: a running host adds its curve's rise over j's CPU demand, an empty one its whole
 * draw at that load over standby. Normalised over the candidates: the fewest watts 100, the most
 * 0, all 100 when they tie. Every SLO and hard constraint is a filter, so watts are saved only
 * where latency allows.
 */
export const energy: ScorePlugin & LpPlugin = {
  name: ENERGY,

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    return addedWatts(s, j, i);
  },

  normalize(scores: Float64Array): void {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of scores) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
    for (let k = 0; k < scores.length; k++) scores[k] = hi - lo > 1e-9 ? Math.min(MAX_SCORE, Math.max(0, (MAX_SCORE * (hi - scores[k])) / (hi - lo))) : MAX_SCORE;
  },

  toLp: energyObjective,
};

/** addedWatts: how much more host i draws with VM j on it (j not placed). */
export function addedWatts(s: PlacementState, j: number, i: number): number {
  const p = s.problem;
  const d = p.hosts[i].driverDomain;
  const io = p.profiles[j].io;
  const driver = d !== undefined && io !== undefined ? driverCpusFor(d, io.requestsPerSec) : 0;
  const u = (s.hostStates[i].demandCpus + p.profiles[j].demandCpus + driver) / p.hostCores[i];
  return wattsAt(p.hostCurveWatts, u, i * LOAD_LEVELS) - s.hostWatts(i);
}
