import { z } from "zod";

/** Version of the table layout; the predictor refuses tables of another version. */
export const CALIBRATION_VERSION = 1;

/**
 * A family is one scheduler configuration on one core count. Its cells are the simulated
 * interference delay of a reference IO victim (1 vCPU, Poisson) beside `sleepers` sleepy
 * CPU-bound 1-vCPU VMs of a duty and burst, plus `hogs` never-sleeping ones.
 * Delays are the victim's percentile minus the same victim's percentile alone, in µs.
 */
export const FamilySchema = z.strictObject({
  scheduler: z.enum(["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"]),
  timesliceMs: z.number().int().positive().optional(),
  cores: z.number().int().positive(),
  sleepers: z.array(z.number().int().min(0)).min(1),
  duty: z.array(z.number().positive().max(1)).min(1),
  burstMs: z.array(z.number().positive()).min(1),
  hogs: z.array(z.number().int().min(0)).min(1),
  /** Flattened [sleepers][duty][burst][hogs] cells of [request p99, request p99.9, wake-to-run p99.9] delay µs. */
  delayUs: z.array(z.array(z.number()).length(3)),
});
export type Family = z.infer<typeof FamilySchema>;

/** The victim alone: request p99 and p99.9 as multiples of its service time, by utilisation. */
export const BaselineSchema = z.strictObject({
  rho: z.array(z.number().min(0).max(1)).min(2),
  p99OverService: z.array(z.number().positive()),
  p999OverService: z.array(z.number().positive()),
});
export type Baseline = z.infer<typeof BaselineSchema>;

export const CalibrationTableSchema = z.strictObject({
  version: z.literal(CALIBRATION_VERSION),
  generatedBy: z.string(),
  seed: z.number().int(),
  durationMs: z.number().int().positive(),
  seedsPerCell: z.number().int().positive(),
  victim: z.strictObject({ requestsPerSec: z.number().positive(), serviceUs: z.number().positive() }),
  baseline: BaselineSchema,
  families: z.array(FamilySchema).min(1),
});
export type CalibrationTable = z.infer<typeof CalibrationTableSchema>;

/** cellIndex locates a cell in a family's flattened delay array. */
export function cellIndex(f: Family, si: number, di: number, bi: number, hi: number): number {
  return ((si * f.duty.length + di) * f.burstMs.length + bi) * f.hogs.length + hi;
}

/** familyKey names a family's scheduler configuration, e.g. `xen-credit/30ms`. */
export function familyKey(f: { scheduler: string; timesliceMs?: number }): string {
  return f.timesliceMs !== undefined ? `${f.scheduler}/${f.timesliceMs}ms` : f.scheduler;
}
