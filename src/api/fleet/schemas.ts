import { z } from "zod";
import { MigrationPlanSchema } from "../../model/migration.js";
import { ShortfallSchema, RESULT_STATUSES } from "../../model/status.js";

/** AuditHostSchema: one host as the audit saw it. */
export const AuditHostSchema = z.strictObject({
  hostId: z.string(),
  level: z.enum(["none", "low", "elevated", "high"]),
  bobtail: z.boolean(),
  vms: z.number().int(),
  /** Worst predicted request p99.9 of its latency-sensitive VMs, µs (absent without any). */
  predictedP999Us: z.number().optional(),
  breaches: z.number().int(),
});

export const AuditBreachSchema = z.strictObject({
  vmId: z.string(),
  hostId: z.string(),
  predictedP999Us: z.number(),
  /** Predicted over SLO (> 1). */
  sloRatio: z.number(),
});

/** AuditSchema: one audit of the fleet: its state when read, its risk, and what to do about it. */
export const AuditSchema = z.strictObject({
  /** The one result status: incomplete while the fleet has predicted SLO breaches; absent when the audit could not read the fleet (see ok, error). */
  status: z.enum(RESULT_STATUSES).optional(),
  reasons: z.array(ShortfallSchema).optional(),
  id: z.number().int().min(1),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Where the cluster came from (Prometheus URL and window, or the file). */
  source: z.string(),
  ok: z.boolean(),
  /** Why the audit failed (the source could not be read, say); the previous cluster stays in use. */
  error: z.string().optional(),
  hosts: z.number().int(),
  vms: z.number().int(),
  breaches: z.number().int(),
  hostsAtRisk: z.number().int(),
  perHost: z.array(AuditHostSchema),
  breaching: z.array(AuditBreachSchema),
  /** The migrations that fix it, ordered into safe waves (absent when nothing needs moving or it failed). */
  recommendation: MigrationPlanSchema.optional(),
});
export type Audit = z.infer<typeof AuditSchema>;

/** AuditSummarySchema: an audit in the history list (no per-host detail, no plan). */
export const AuditSummarySchema = AuditSchema.pick({ status: true, reasons: true, id: true, startedAt: true, finishedAt: true, source: true, ok: true, error: true, hosts: true, vms: true, breaches: true, hostsAtRisk: true }).extend({
  recommendedMoves: z.number().int(),
});
export type AuditSummary = z.infer<typeof AuditSummarySchema>;
export const AuditListSchema = z.strictObject({ audits: z.array(AuditSummarySchema) });
