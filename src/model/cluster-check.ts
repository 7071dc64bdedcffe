import { z } from "zod";
import { capacityFindings, CapacityFindingSchema } from "./capacity.js";
import type { Cluster } from "./cluster.js";
import { checkCurrentPlacement } from "./check-plan.js";
import { ViolationSchema } from "./plan.js";
import { ResultStatusSchema, resultStatus, shortfall, withStatus } from "./status.js";
import { ClusterSummarySchema, summarizeCluster } from "./summary.js";

/**
 * ClusterCheckSchema: what `vmplace validate --json` prints for a valid document. `valid` says
 * the document is well-formed and consistent; `status` says whether a whole result can exist:
 * "incomplete" when no placement of every VM can exist (capacity errors) or when the current
 * placement breaks a hard constraint.
 */
export const ClusterCheckSchema = z.strictObject({
  ...ResultStatusSchema.shape,
  valid: z.literal(true),
  summary: ClusterSummarySchema,
  /** Aggregate over-capacity, errors first. */
  capacity: z.array(CapacityFindingSchema),
  /** Hard constraints the current placement (each VM's `host`) breaks. */
  violations: z.array(ViolationSchema),
});
export type ClusterCheck = z.infer<typeof ClusterCheckSchema>;

/** checkCluster: summary, capacity findings, current violations and the status they give. */
export function checkCluster(c: Cluster): ClusterCheck {
  const capacity = capacityFindings(c);
  const violations = checkCurrentPlacement(c);
  const errors = capacity.filter((f) => f.level === "error");
  const status = resultStatus([
    ...shortfall("unplaced", errors.length, `no placement of every VM can exist (${errors.map((e) => (e.resource === "hosts" ? "too few hosts for anti-affinity" : `${e.resource} over capacity`)).join(", ")})`),
    ...shortfall("violation", violations.length, `${violations.length} hard-constraint violation(s) in the current placement`),
  ]);
  return withStatus({ valid: true as const, summary: summarizeCluster(c), capacity, violations }, status);
}
