import { z } from "zod";
import { RESULT_STATUSES } from "./status.js";

// The Bobtail instance probe (Xu et al., NSDI 2013; sim-fidelity.md 4.1): sleep S, count the
// wake-ups that come >= 10 ms late, and judge the instance by the count. One shape serves the real
// probe (`vmplace probe`) and the simulated one (`vmplace probe --simulate`).

/** Bobtail's published marks, per reference run: <= LOW is GOOD, <= HIGH needs a network test. */
export const BOBTAIL_LOW_MARK = 13;
export const BOBTAIL_HIGH_MARK = 5 * BOBTAIL_LOW_MARK;
/** The reference run: 600 K iterations, which Bobtail's notes put at about 100 s. */
export const REFERENCE_ITERATIONS = 600_000;
export const REFERENCE_SECONDS = 100;
/**
 * The default sleep S. The reference leaves S open (1 ms in one note, while 600 K iterations in
 * about 100 s imply about 0.1 ms). 100 us is the value the iteration count implies: measured here a
 * 100 us Atomics.wait loop runs about 5 K iterations/s, so 600 K take about 120 s.
 */
export const DEFAULT_SLEEP_US = 100;
export const DEFAULT_THRESHOLD_MS = 10;

/** Upper edges (exclusive) of the oversleep histogram's buckets, in us; the last bucket is open. */
export const OVERSLEEP_EDGES_US = [100, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000] as const;

export const VerdictSchema = z.enum(["GOOD", "NEEDS-NETWORK-TEST", "BAD"]);
export type Verdict = z.infer<typeof VerdictSchema>;

/** OversleepSummarySchema: how late the probe's wake-ups came (oversleep = slept - asked for). */
export const OversleepSummarySchema = z.strictObject({
  iterations: z.number().int().min(0),
  /** Oversleeps at or above thresholdMs. */
  overThreshold: z.number().int().min(0),
  thresholdMs: z.number().positive(),
  /** counts[i] holds oversleeps in [OVERSLEEP_EDGES_US[i-1], OVERSLEEP_EDGES_US[i]); the last is open. */
  counts: z.array(z.number().int().min(0)).length(OVERSLEEP_EDGES_US.length + 1),
  meanUs: z.number().min(0),
  maxUs: z.number().min(0),
});
export type OversleepSummary = z.infer<typeof OversleepSummarySchema>;

/** ProbeParamsSchema: what the probe was asked to do. */
export const ProbeParamsSchema = z.strictObject({
  sleepUs: z.number().int().min(1),
  thresholdMs: z.number().positive(),
  lowMark: z.number().min(0),
  highMark: z.number().min(0),
  /** The requested length; a run also stops at `iterations` when that is given. */
  durationMs: z.number().int().min(1),
  iterations: z.number().int().min(1).nullable(),
});
export type ProbeParams = z.infer<typeof ProbeParamsSchema>;

/**
 * NormalisedSchema: the long-oversleep count scaled to the reference run, so that runs of any
 * length meet the same marks. The basis is time (per 100 s), not iterations: a long oversleep is
 * one stall of the vCPU, and the number of stalls per second does not depend on how fast the loop
 * spins (which varies with S and with the platform's timer slack).
 */
export const NormalisedSchema = z.strictObject({
  per100s: z.number().min(0),
  /** Exact Poisson 95% interval of per100s from the count observed. */
  ci95: z.tuple([z.number().min(0), z.number().min(0)]),
  /** The same count per 600 K iterations, for comparison with the paper's unit. */
  per600kIterations: z.number().min(0),
  /** True when the whole interval lies on one side of each mark: the verdict would not flip. */
  settled: z.boolean(),
});
export type Normalised = z.infer<typeof NormalisedSchema>;

export const ExpectedP999Schema = z.strictObject({
  /** Simulated p99.9 of the io workload in this neighbourhood (or one whose probe reads like it). */
  thisMs: z.number().min(0),
  /** The same in a typical good neighbourhood. */
  goodMs: z.number().min(0),
  gainMs: z.number(),
  basis: z.string(),
});

export const RecommendationSchema = z.strictObject({
  action: z.enum(["keep", "network-test", "replace"]),
  reason: z.string(),
  expectedP999: ExpectedP999Schema.nullable(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

/** NeighbourhoodSchema: who shares the host, as the Bobtail rule counts them. */
export const NeighbourhoodSchema = z.strictObject({
  hostId: z.string(),
  vmId: z.string(),
  scheduler: z.string(),
  cores: z.number().int(),
  neighbours: z.number().int().min(0),
  /** vCPUs of neighbours that run CPU bursts and sleep between them (they wake, and may BOOST). */
  sleepyCpuVcpus: z.number().int().min(0),
  /** vCPUs of neighbours that never sleep. */
  hogVcpus: z.number().int().min(0),
  victimVcpus: z.number().int().min(1),
  simulatedMs: z.number().int(),
  seed: z.number().int(),
  /** The tenant VM's own io p99.9 in the probe run (null when it has no io part). */
  ioP999Ms: z.number().nullable(),
  /** What was set aside to run the probe (the VM's own CPU work), if anything. */
  note: z.string().nullable(),
});
export type Neighbourhood = z.infer<typeof NeighbourhoodSchema>;

/** OverheadSchema: what the real probe cost the instance, measured over the run. */
export const OverheadSchema = z.strictObject({
  /** Process CPU time per wall second, as a percentage of one CPU. */
  cpuPercentOfOneCpu: z.number().min(0),
  /** Hypervisor steal over the run from /proc/stat, percent of all CPU time; null off Linux. */
  stealPercent: z.number().min(0).nullable(),
  /**
   * The instance's own 1-minute load average at the end, and its CPUs: above the CPUs, the guest's
   * own run queue delays the probe too, and the count says little about the neighbours.
   */
  loadAverage1m: z.number().min(0),
  cpus: z.number().int().min(1),
});

/**
 * ProbeReportSchema: the output of `vmplace probe --json`. status follows the exit code: "ok" (0)
 * when the verdict passes --fail-on, "incomplete" (3) otherwise or when the run was interrupted.
 */
export const ProbeReportSchema = z.strictObject({
  status: z.enum(RESULT_STATUSES),
  mode: z.enum(["real", "simulated"]),
  params: ProbeParamsSchema,
  elapsedMs: z.number().min(0),
  /** False when the run was stopped early (Ctrl-C); the verdict then rests on what was measured. */
  complete: z.boolean(),
  oversleep: OversleepSummarySchema,
  normalised: NormalisedSchema,
  verdict: VerdictSchema,
  recommendation: RecommendationSchema,
  overhead: OverheadSchema.nullable(),
  neighbourhood: NeighbourhoodSchema.nullable(),
});
export type ProbeReport = z.infer<typeof ProbeReportSchema>;
