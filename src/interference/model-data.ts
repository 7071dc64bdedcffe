import { z } from "zod";

/**
 * Version of the interference model file; the predictor refuses files of another version. 4: the
 * EEVDF core re-protects runners past their slice (eevdf.ts), so EEVDF's correction and margins
 * were refitted; a v3 file's EEVDF weights belong to the old core. 6: credit2's waker waits for
 * a grant end (credit2.ts), so credit2's correction and margins were refitted, its margins on
 * more held-out hosts (credit2ConformalSeeds); a v5 file's credit2 weights belong to the old core.
 * 7: credit1's blocked waker is rescued only by releases that find no waiter of their own
 * (local-waiters.ts), so credit1's correction and margins were refitted; a v6 file's credit1
 * weights belong to the old core. 8: EEVDF's sleepy runners block a waker for their whole run
 * (the home runner is fresh, eevdf.ts), so EEVDF's correction and margins were refitted; a v7
 * file's EEVDF weights belong to the old core. 9: EEVDF counts light vCPUs' serving and
 * halt-polling time as holding cores (light-holds.ts), so EEVDF's correction and margins were
 * refitted; a v8 file's EEVDF weights belong to the old core; and credit2's preempted-burst
 * and grant-end floors (credit2.ts) narrowed its contended p99.9 margin (0.636 -> 0.570). 10: CFS
 * counts light holds too (cfs.ts; credit1's were tried and not kept), and the calibration sweep
 * draws packed hosts (calibrate.ts, PACKED_CALIBRATION_SETS), so every core's correction and
 * margins were refitted; a v9 file's CFS weights belong to the old core. 11: credit1's mixed
 * victims that want their whole vCPU wait while it is descheduled OVER (credit1.ts overWaitOf), a
 * floor under the estimate: refitted with it, every core's weights and margins are model-v10's,
 * but a v10 file was fitted for a core that predicts those victims differently. 12: a candidate,
 * never shipped (CFS's served release, light waiters and heavy home runner; its 10,000-VM plan was
 * not whole, docs/accuracy.md, thirteenth round). 13: CFS's busy light vCPUs count as waiters in
 * the steal discount (light-holds.ts lightWaiterShare), the light waiters alone, so CFS's
 * correction and margins were refitted; the other cores' data are model-v11's byte for byte, and
 * a v11 or v12 file's CFS weights belong to another core. 14: CFS's saturated mixed victims (duty 1)
 * wait out their co-runners' slices once the others hold every core (cfs.ts saturatedWaitOf), and
 * its multi-vCPU io victims on over-full hosts wake too light to preempt (overfullEpisodes): floors
 * with their own bounds outside the correction; refitted with them, every core's data are
 * model-v13's byte for byte, but a v13 file belongs to a core blind to those victims. 15: CFS's
 * io wakers wait behind a CPU-bound home runner while one light hold (an io vCPU's, or a
 * sleeper's halt-poll) fills the host, once the CPU-bound vCPUs are as many as the cores
 * (light-holds.ts heavyHomeBlock, lightHoldOne): CFS's correction and margins were refitted; the
 * other cores' data are model-v14's byte for byte (model-v14.json is kept, for its version).
 */
export const MODEL_VERSION = 15;

/** The victim alone: request p99 and p99.9 over its service time, by vCPUs (rows) and utilisation. */
export const BaselineTableSchema = z.strictObject({
  vcpus: z.array(z.number().int().positive()).min(1),
  rho: z.array(z.number().min(0).max(1)).min(2),
  p99OverService: z.array(z.array(z.number().positive())),
  p999OverService: z.array(z.array(z.number().positive())),
});
export type BaselineTable = z.infer<typeof BaselineTableSchema>;

/** A learned correction of one percentile: the core's delay times exp(weights . features). */
export const CorrectionSchema = z.strictObject({
  weights: z.array(z.number()),
  /** |ln(pred/sim)| on the fitting sweep, before and after: shows what the correction buys. */
  fitMedianBefore: z.number(),
  fitMedianAfter: z.number(),
});

/**
 * Split-conformal margins. The score of a held-out host is ln((sim + offset) / (estimate + offset))
 * and the bound is (estimate + offset) x exp(q) - offset: relative for large estimates, an absolute
 * allowance near the VM's alone latency, where a few hundred µs are a large ratio but no harm.
 */
export const ConformalSchema = z.strictObject({
  /** Coverage the quantile was taken for (0.995: the bound >= simulated on 99.5% of such hosts). */
  coverage: z.number().min(0).max(1),
  offsetUs: z.number().min(0),
  /** q for hosts where a waking victim may find every core held (P(full) >= threshold). */
  contended: z.number(),
  /** q for hosts where that (almost) never happens. */
  quiet: z.number(),
  contendedCases: z.number().int(),
  quietCases: z.number().int(),
});

export const CoreModelSchema = z.strictObject({
  p999: CorrectionSchema,
  p99: CorrectionSchema,
  conformal999: ConformalSchema,
  conformal99: ConformalSchema,
});
export type CoreModel = z.infer<typeof CoreModelSchema>;

/** The range the model was fitted on; a host outside it gets a wider bound and the reason. */
export const CalibratedRangeSchema = z.strictObject({
  cores: z.tuple([z.number(), z.number()]),
  burstMs: z.tuple([z.number(), z.number()]),
  duty: z.tuple([z.number(), z.number()]),
  victimVcpus: z.tuple([z.number(), z.number()]),
  requestsPerSec: z.tuple([z.number(), z.number()]),
  serviceUs: z.tuple([z.number(), z.number()]),
  timesliceMs: z.array(z.number()),
  /** Most CPU-bound plus victim vCPUs over the cores seen. */
  maxOverCores: z.number(),
});
export type CalibratedRange = z.infer<typeof CalibratedRangeSchema>;

export const InterferenceModelSchema = z.strictObject({
  version: z.literal(MODEL_VERSION),
  generatedBy: z.string(),
  /** Composition generator seeds of the fitting sweep and of the held-out conformal sweep. */
  fitSeeds: z.array(z.number().int()),
  conformalSeeds: z.array(z.number().int()),
  /** Held-out seeds drawn for credit2's sets only (calibrate.ts CalibrationSpec). */
  credit2ConformalSeeds: z.array(z.number().int()),
  sim: z.strictObject({ durationMs: z.number().int().positive(), seedsPerCase: z.number().int().positive(), fingerprint: z.string() }),
  baseline: BaselineTableSchema,
  /** One entry per scheduler core (core/scheduler-core.ts CORE_NAMES). */
  cores: z.strictObject({ credit1: CoreModelSchema, cfs: CoreModelSchema, credit2: CoreModelSchema, eevdf: CoreModelSchema }),
  range: CalibratedRangeSchema,
});
export type InterferenceModel = z.infer<typeof InterferenceModelSchema>;
