import { profileVm } from "../profile.js";
import type { Predictor } from "../predictor.js";
import { scoreHost } from "../score.js";
import type { Prediction } from "./measure.js";
import type { ReferenceCase } from "./reference.js";

/** predictWithScore asks `score` (scoreHost) what it predicts for the case's victim: estimate and bound. */
export function predictWithScore(predictor: Predictor): (c: ReferenceCase) => Prediction {
  const cache = new Map<string, ReturnType<typeof scoreHost>>();
  return (c) => {
    const s = c.composition.scenario;
    let r = cache.get(c.composition.id);
    if (!r) {
      r = scoreHost(s.host, s.vms.map(profileVm), predictor);
      cache.set(c.composition.id, r);
    }
    const v = r.vms.find((x) => x.vmId === c.victim);
    if (!v) throw new Error(`score gave no prediction for victim ${c.victim} of ${c.composition.id}`);
    return { estimateUs: v.predictedP999Us, boundUs: v.boundP999Us };
  };
}
