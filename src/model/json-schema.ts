import { z } from "zod";
import { AdviceSchema } from "./advice.js";
import { ClusterSchema } from "./cluster.js";
import { MigrationPlanSchema } from "./migration.js";
import { RobustnessReportSchema } from "./objectives.js";
import { PlanSchema } from "./plan.js";
import { ProbeReportSchema } from "./probe.js";
import { HostSimResultSchema, ScenarioSchema } from "./scenario.js";

// The documents users write (input: defaults optional) and the ones vmplace prints (output).
const DOCUMENTS = {
  cluster: { schema: ClusterSchema, io: "input" },
  scenario: { schema: ScenarioSchema, io: "input" },
  "sim-result": { schema: HostSimResultSchema, io: "output" },
  plan: { schema: PlanSchema, io: "output" },
  migration: { schema: MigrationPlanSchema, io: "output" },
  probe: { schema: ProbeReportSchema, io: "output" },
  advice: { schema: AdviceSchema, io: "output" },
  robustness: { schema: RobustnessReportSchema, io: "output" },
} as const;
export type SchemaName = keyof typeof DOCUMENTS;

/** documentSchemas returns the JSON Schema (draft 2020-12) of every public document. */
export function documentSchemas(): Record<SchemaName, unknown> {
  const out = {} as Record<SchemaName, unknown>;
  for (const [name, d] of Object.entries(DOCUMENTS) as [SchemaName, (typeof DOCUMENTS)[SchemaName]][]) {
    out[name] = { title: `vmplace ${name}`, ...z.toJSONSchema(d.schema, { io: d.io, unrepresentable: "any" }) };
  }
  return out;
}
