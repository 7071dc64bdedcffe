import { z } from "zod";
import { ResultStatusSchema } from "./status.js";

/**
 * The sections plans and migration plans carry for the objectives beyond cost: energy (watts,
 * kWh and CO2 per month), robustness (what happens when a host fails, how much load growth each
 * host absorbs) and fan-out services' tails. Watts are predicted from each host's power model
 * (model/power.ts) at the mean CPU demand of its VMs.
 */

/** EnergySideSchema: one placement's draw. */
export const EnergySideSchema = z.strictObject({
  /** Hosts carrying at least one VM (the rest draw their standby watts, 0 unless set). */
  hostsOn: z.number().int(),
  watts: z.number(),
  kWhPerMonth: z.number(),
  kgCo2PerMonth: z.number(),
});
export type EnergySide = z.infer<typeof EnergySideSchema>;

/** HostPowerSchema: one host that is on, its CPU utilisation (demand over cores, above 1 when saturated) and predicted draw. */
export const HostPowerSchema = z.strictObject({ host: z.string(), utilisation: z.number(), watts: z.number() });

export const EnergySectionSchema = z.strictObject({
  gridKgCo2PerKWh: z.number(),
  /** The document's current placement (VMs' host fields), when it has one. */
  current: EnergySideSchema.optional(),
  plan: EnergySideSchema,
  /** Hosts without a power model of their own, drawn with the default curve for their cores. */
  defaultModelHosts: z.number().int(),
  hosts: z.array(HostPowerSchema),
});
export type EnergySection = z.infer<typeof EnergySectionSchema>;

/** EvacuationSchema: what happens when one host fails: where each of its VMs goes. */
export const EvacuationSchema = z.strictObject({
  host: z.string(),
  vms: z.number().int(),
  /** Every VM re-placed on the other used hosts with no hard violation and no predicted SLO breach. */
  ok: z.boolean(),
  moves: z.array(z.strictObject({ vm: z.string(), to: z.string() })),
  /** VMs no other used host can take without a violation or a predicted breach. */
  stranded: z.array(z.string()),
});
export type Evacuation = z.infer<typeof EvacuationSchema>;

/** GrowthSchema: how much more CPU demand (all its VMs at once) a host absorbs. */
export const GrowthSchema = z.strictObject({
  host: z.string(),
  /** Largest growth in percent (searched up to 400) with no predicted breach and demand within the cores. */
  absorbablePercent: z.number(),
  /** What stops more growth: an SLO (predicted breach), the cores (demand over them), or nothing up to 400%. */
  limit: z.enum(["slo", "cpu", "none"]),
});

export const RobustnessSectionSchema = z.strictObject({
  /** What the policy asked for. */
  mode: z.enum(["none", "n+1"]),
  headroomPercent: z.number(),
  /** n+1 holds (every used host evacuable) and, when headroom was asked, every SLO holds at it. */
  robust: z.boolean(),
  nPlusOne: z.strictObject({ ok: z.boolean(), failing: z.number().int(), hosts: z.array(EvacuationSchema) }),
  /**
   * The plan's SLOs with every VM's CPU demand headroomPercent higher (present when asked): ok
   * when none is predicted to break and, where validation ran, none broke when it simulated the
   * used hosts at that load (simulatedBreaches; no repair acts on them). hostsOverCores: hosts
   * whose grown demand exceeds their cores (for information: their CPU-bound VMs get less than
   * they want).
   */
  headroom: z
    .strictObject({ ok: z.boolean(), predictedBreaches: z.number().int(), simulatedBreaches: z.number().int().optional(), hostsOverCores: z.number().int() })
    .optional(),
  growth: z.array(GrowthSchema),
  /** Hosts the n+1 repair opened after the search, and the cost before it. */
  repair: z.strictObject({ hostsAdded: z.number().int(), costBefore: z.number(), note: z.string().optional() }).optional(),
});
export type RobustnessSection = z.infer<typeof RobustnessSectionSchema>;

/** ServiceTailSchema: a fan-out service's request tail in one placement. */
export const ServiceTailSchema = z.strictObject({
  id: z.string(),
  vms: z.number().int(),
  fanout: z.number().int(),
  /** Distinct hosts its placed members run on. */
  hosts: z.number().int(),
  sloP99Us: z.number().optional(),
  sloP999Us: z.number().optional(),
  /** From each member's predicted latency distribution, exactly over random fan-out subsets. */
  predictedP99Us: z.number(),
  predictedP999Us: z.number(),
  /** Probability a request exceeds the SLO (the tighter one when both are given). */
  predictedExceedance: z.number(),
  /** From each member's simulated latency distribution (validation), when simulated. */
  simulatedP99Us: z.number().optional(),
  simulatedP999Us: z.number().optional(),
  breach: z.boolean(),
  /** The members whose tails weigh most (highest chance to exceed the SLO), at most 5. */
  worst: z.array(z.strictObject({ vm: z.string(), host: z.string(), exceedance: z.number() })),
});
export type ServiceTail = z.infer<typeof ServiceTailSchema>;

/** PowerOffSchema: a host migrate --mode consolidate empties, and what switching it off saves. */
export const PowerOffSchema = z.strictObject({
  host: z.string(),
  vms: z.number().int(),
  memoryCopiedMiB: z.number(),
  wattsSaved: z.number(),
  kWhPerMonthSaved: z.number(),
  kgCo2PerMonthSaved: z.number(),
  /** What its VMs' migrations cost in points (the live-migration model's time and pause), against the saving in points. */
  movePoints: z.number(),
  savingPoints: z.number(),
});
export type PowerOff = z.infer<typeof PowerOffSchema>;

export const MigrationEnergySchema = z.strictObject({
  gridKgCo2PerKWh: z.number(),
  before: EnergySideSchema,
  after: EnergySideSchema,
  powerOff: z.array(PowerOffSchema),
});
export type MigrationEnergy = z.infer<typeof MigrationEnergySchema>;

export const MigrationServiceSchema = z.strictObject({ id: z.string(), before: ServiceTailSchema, after: ServiceTailSchema });
export type MigrationService = z.infer<typeof MigrationServiceSchema>;

export const ROBUSTNESS_KIND = "vmplace/robustness-check";

/** RobustnessReportSchema: what `vmplace check-robustness` prints with --json (and POST /v1/check-robustness answers). */
export const RobustnessReportSchema = z.strictObject({
  /** ok: robust (exit 0); incomplete: some host cannot be evacuated or an SLO breaks at the headroom (exit 3), see reasons. */
  ...ResultStatusSchema.shape,
  kind: z.literal(ROBUSTNESS_KIND),
  /** VMs of the cluster the placement leaves out (they count nowhere). */
  unplaced: z.array(z.string()),
  robustness: RobustnessSectionSchema,
});
export type RobustnessReport = z.infer<typeof RobustnessReportSchema>;
