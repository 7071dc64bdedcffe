import { MigrationPlanSchema, type MigrationPlan } from "../model/migration.js";

/**
 * renderMigrationJson: the plan as stable JSON. Parsing through the schema first validates it and
 * fixes the key order to the schema's, so equal plans give equal bytes.
 */
export function renderMigrationJson(p: MigrationPlan): string {
  return `${JSON.stringify(MigrationPlanSchema.parse(p), null, 2)}\n`;
}
