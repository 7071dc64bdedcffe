import { PlanSchema, type Plan } from "../model/plan.js";

/** renderPlanJson: the plan as stable JSON (validated, keys in the schema's order). */
export function renderPlanJson(p: Plan): string {
  return `${JSON.stringify(PlanSchema.parse(p), null, 2)}\n`;
}
