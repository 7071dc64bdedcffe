import { z } from "zod";
import type { Cluster } from "../model/cluster.js";
import { checkCurrentPlacement } from "../model/check-plan.js";
import { ServiceTailSchema, type ServiceTail } from "../model/objectives.js";
import { ViolationSchema } from "../model/plan.js";
import { serviceShortfall } from "../model/result-status.js";
import { ResultStatusSchema, resultStatus, shortfall, withStatus, type ResultStatus } from "../model/status.js";
import type { Predictor } from "./predictor.js";
import { scoreCluster, ScoreReportSchema, type ScoreReport } from "./score.js";

/**
 * PlacementScoreSchema: what `vmplace score` and POST /v1/score answer: whether the current
 * placement is whole (no hard violation, no predicted breach), the interference risk of every
 * host and latency-sensitive VM, and the hard-constraint violations the placement has today.
 */
export const PlacementScoreSchema = z.strictObject({
  ...ResultStatusSchema.shape,
  ...ScoreReportSchema.shape,
  /** Hard constraints the current placement breaks (the plans' independent checker). */
  violations: z.array(ViolationSchema),
  /** Each fan-out service's predicted tail in the current placement (documents with services). */
  services: z.array(ServiceTailSchema).optional(),
});
export type PlacementScore = z.infer<typeof PlacementScoreSchema>;

/**
 * scoreStatus: breaches (of VMs and of fan-out services) and violations of the current placement
 * (VMs without a host are not a shortfall of it).
 */
export function scoreStatus(r: ScoreReport, violations: readonly unknown[], services: readonly ServiceTail[] = []): ResultStatus {
  const breaches = r.vms.filter((v) => v.breach).length;
  return resultStatus([
    ...shortfall("violation", violations.length, `${violations.length} hard-constraint violation(s) in the current placement`),
    ...shortfall("breach", breaches, `${breaches} predicted SLO breach(es) in the current placement`),
    ...serviceShortfall(services),
  ]);
}

/**
 * scorePlacement scores the current placement and checks its hard constraints. A fan-out
 * service's tail needs the placer's model of the members' hosts, so the caller computes it
 * (placement/score-placement.ts) and passes it here.
 */
export function scorePlacement(c: Cluster, predictor: Predictor, services?: readonly ServiceTail[]): PlacementScore {
  const report = scoreCluster(c, predictor);
  const violations = checkCurrentPlacement(c);
  return withStatus({ ...report, violations, ...(services ? { services: [...services] } : {}) }, scoreStatus(report, violations, services));
}
