import { scorePlacement, type PlacementScore } from "../interference/current-placement.js";
import type { Predictor } from "../interference/predictor.js";
import type { Cluster } from "../model/cluster.js";
import type { ServiceTail } from "../model/objectives.js";
import { buildProblem } from "./problem.js";
import { serviceTails } from "./service-report.js";
import { PlacementState } from "./state.js";

/**
 * scoreCurrentPlacement: what `vmplace score` and POST /v1/score answer, with each fan-out
 * service's predicted tail in the current placement (the same exact fan-out computation as a
 * plan's services section). Documents without services skip building the placer's model.
 */
export function scoreCurrentPlacement(c: Cluster, predictor: Predictor): PlacementScore {
  return scorePlacement(c, predictor, c.services.length > 0 ? currentServiceTails(c, predictor) : undefined);
}

/** currentServiceTails: the services' tails with every VM on its current host (members without one are left out). */
export function currentServiceTails(c: Cluster, predictor: Predictor): ServiceTail[] {
  const hostIndex = new Map(c.hosts.map((h, i) => [h.id, i]));
  const hostOf = Int32Array.from(c.vms, (v) => (v.host === undefined ? -1 : (hostIndex.get(v.host) ?? -1)));
  return serviceTails(PlacementState.fromAssignment(buildProblem(c, predictor), hostOf));
}
