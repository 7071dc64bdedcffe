import { z } from "zod";
import { migrationStatus, planStatus } from "../model/result-status.js";
import { MigrationPlanSchema, type MigrationPlan } from "../model/migration.js";
import { PlanSchema, type Plan } from "../model/plan.js";
import { ResultStatusSchema, resultStatus, shortfall, withStatus } from "../model/status.js";
import { PlaceResultSchema, type PlaceResult } from "./place/rank.js";

/**
 * The API's answers carry the CLI's status fields (model/status.ts), computed by the same
 * functions, so an orchestrator reads "status" where a script reads the exit code.
 */

export const PlaceAnswerSchema = z.strictObject({ ...ResultStatusSchema.shape, ...PlaceResultSchema.shape });
export type PlaceAnswer = z.infer<typeof PlaceAnswerSchema>;

/** placeAnswer: incomplete when no host can take the VM. */
export function placeAnswer(r: PlaceResult): PlaceAnswer {
  const none = r.best === undefined ? 1 : 0;
  return withStatus(r, resultStatus(shortfall("unplaced", none, `no host can take VM ${r.vmId}`)));
}

// In documents the status fields are optional (plans saved before them still render); every
// answer of the API has them.
export const PlanAnswerSchema = PlanSchema.extend(ResultStatusSchema.shape);
export const MigrationAnswerSchema = MigrationPlanSchema.extend(ResultStatusSchema.shape);

export const planAnswer = (p: Plan): z.infer<typeof PlanAnswerSchema> => withStatus(p, planStatus(p));
export const migrationAnswer = (p: MigrationPlan): z.infer<typeof MigrationAnswerSchema> => withStatus(p, migrationStatus(p));
