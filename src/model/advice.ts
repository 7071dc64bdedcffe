import { z } from "zod";
import { SchedulerSchema } from "./scheduler.js";
import { ResultStatusSchema } from "./status.js";

/**
 * The what-if advice document: what `vmplace advise` writes, `POST /v1/advise` answers and the
 * migration report embeds. For each host with SLO breaches it weighs, by simulation, the fixes
 * that need no migration (a scheduler upgrade, scheduler parameters, weights, slices, caps)
 * against the migrations that fix it, and recommends one with its reason. Times are in µs, memory
 * in MiB, CPU shares in CPUs (1 = one core), like the rest of vmplace.
 */

export const ADVICE_KIND = "vmplace/advice";
export const ADVICE_VERSION = 1;

/** AdviceSettingsSchema: what the operator asks for (CLI flags, the API body's options). */
export const AdviceSettingsSchema = z.strictObject({
  /** Advise this host only (even when it has no breach); default every host with a breach. */
  host: z.string().min(1).optional(),
  /** Measured simulated time of each run, in ms (after the warm-up). */
  durationMs: z.number().int().min(100).max(600_000).default(10_000),
  /** Independent simulations per option; an option's number is their median. */
  seeds: z.number().int().min(1).max(25).default(3),
  /** The first seed (seeds are seed, seed+1, ...); default the cluster's policy.seed. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  /** Most hosts advised, worst first; the rest are named as skipped. */
  maxHosts: z.number().int().min(1).max(10_000).default(20),
});
export type AdviceSettings = z.infer<typeof AdviceSettingsSchema>;
export type AdviceSettingsInput = z.input<typeof AdviceSettingsSchema>;

/**
 * OPTION_KINDS: current: the host as it is (the yardstick); scheduler: a hypervisor or kernel
 * upgrade (credit1 -> credit2, CFS -> EEVDF); timeslice, ratelimit: credit1's (and credit2's)
 * knobs; victim-weight: the latency-sensitive VMs' Xen weight or cgroup cpu.weight; victim-slice:
 * their EEVDF sched_runtime; cap-neighbours: a Xen cap or CFS quota on the CPU-bound neighbours;
 * driver-charging: bill the driver domain's (dom0 netback, vhost) CPU to the guests that cause it;
 * migrate: the migration planner's moves for the host.
 */
export const OPTION_KINDS = ["current", "scheduler", "timeslice", "ratelimit", "victim-weight", "victim-slice", "cap-neighbours", "driver-charging", "migrate"] as const;
export type OptionKind = (typeof OPTION_KINDS)[number];

/**
 * COST_TIERS, cheapest first: none (nothing to do); tune (a parameter changed live: xl
 * sched-credit, cgroup files, sched_setattr); migrate (live migrations, paid in memory copied);
 * upgrade (a maintenance event: a new hypervisor or kernel, the host drained or restarted).
 */
export const COST_TIERS = ["none", "tune", "migrate", "upgrade"] as const;
export type CostTier = (typeof COST_TIERS)[number];

export const VM_PARAMS = ["weight", "cpuWeight", "schedRuntimeUs", "capPercent"] as const;
export const HOST_PARAMS = ["timesliceMs", "ratelimitUs"] as const;

/** ChangeSchema: one edit an option makes to the cluster. */
export const ChangeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("scheduler"), hostId: z.string(), from: SchedulerSchema, to: SchedulerSchema }),
  z.strictObject({ kind: z.literal("scheduler-param"), hostId: z.string(), param: z.enum(HOST_PARAMS), from: z.number(), to: z.number() }),
  /** The host's driver domain (driverDomain.chargeDriverWork). */
  z.strictObject({ kind: z.literal("driver-param"), hostId: z.string(), param: z.literal("chargeDriverWork"), from: z.boolean(), to: z.boolean() }),
  /** from is absent when the VM had no value (schedRuntimeUs: the kernel's base slice). */
  z.strictObject({ kind: z.literal("vm-param"), vmId: z.string(), param: z.enum(VM_PARAMS), from: z.number().optional(), to: z.number() }),
  z.strictObject({ kind: z.literal("move"), vmId: z.string(), from: z.string(), to: z.string(), memoryMiB: z.number() }),
]);
export type Change = z.infer<typeof ChangeSchema>;

/** LatencyOutcomeSchema: one latency-sensitive VM under an option. */
export const LatencyOutcomeSchema = z.strictObject({
  vmId: z.string(),
  /** Where it runs under the option (its host, or a move's target). */
  hostId: z.string(),
  sloP99Us: z.number().optional(),
  sloP999Us: z.number().optional(),
  /** The predictor's p99.9 (scoreHost) for the option's host. */
  predictedP999Us: z.number(),
  /** Why the prediction is a stand-in or extrapolates (the predictor's reasons, and changes it does not see). */
  predictionNotes: z.array(z.string()),
  /** Medians over the seeds. */
  simulatedP99Us: z.number(),
  simulatedP999Us: z.number(),
  /** Each seed's p99.9, in seed order (the spread behind the median). */
  seedsP999Us: z.array(z.number()),
  /** Median p99 and p99.9 within the SLO; absent for a VM without an SLO. */
  meetsSlo: z.boolean().optional(),
});
export type LatencyOutcome = z.infer<typeof LatencyOutcomeSchema>;

/** ShareOutcomeSchema: what an option does to one other VM's CPU share (simulated medians). */
export const ShareOutcomeSchema = z.strictObject({
  vmId: z.string(),
  hostBefore: z.string(),
  hostAfter: z.string(),
  cpuShareBefore: z.number(),
  cpuShareAfter: z.number(),
});
export type ShareOutcome = z.infer<typeof ShareOutcomeSchema>;

/** HostRunSchema: one simulated host of an option (medians), before and after. */
export const HostRunSchema = z.strictObject({
  hostId: z.string(),
  scheduler: z.string(),
  contextSwitchesPerSecBefore: z.number(),
  contextSwitchesPerSecAfter: z.number(),
  utilisationBefore: z.number(),
  utilisationAfter: z.number(),
});

/** HarmSchema: the CPU the other VMs lose under an option. */
export const HarmSchema = z.strictObject({
  /** Sum over the other VMs of the CPU share they lose (gains count 0), in CPUs. */
  cpuLost: z.number(),
  /** The VM that loses the largest fraction of its share, and that fraction (0 when none loses). */
  worstVmId: z.string().optional(),
  worstLossFraction: z.number(),
  /** Some VM loses more than the tolerance (a fraction of its share beyond the seeds' noise). */
  harmful: z.boolean(),
});
export type Harm = z.infer<typeof HarmSchema>;

export const AdviceOptionSchema = z.strictObject({
  /** Stable id, e.g. "scheduler:xen-credit2", "timeslice:5", "cap-neighbours:50", "migrate". */
  id: z.string(),
  kind: z.enum(OPTION_KINDS),
  /** The option in a sentence. */
  title: z.string(),
  cost: z.strictObject({ tier: z.enum(COST_TIERS), memoryCopiedMiB: z.number(), note: z.string() }),
  changes: z.array(ChangeSchema),
  latency: z.array(LatencyOutcomeSchema),
  others: z.array(ShareOutcomeSchema),
  hosts: z.array(HostRunSchema),
  harm: HarmSchema,
  /** Every latency-sensitive VM with an SLO meets it (simulated medians). */
  meetsSlo: z.boolean(),
  /** Largest simulated median over SLO (p99 or p99.9) among them; 0 without SLOs. */
  worstSloRatio: z.number(),
});
export type AdviceOption = z.infer<typeof AdviceOptionSchema>;

export const HostAdviceSchema = z.strictObject({
  hostId: z.string(),
  scheduler: z.string(),
  cores: z.number().int(),
  /** Why the host is advised: its predicted and simulated (first seed) breaches, or it was named. */
  predictedBreaches: z.number().int(),
  simulatedBreaches: z.number().int(),
  named: z.boolean(),
  options: z.array(AdviceOptionSchema),
  /** Why there is no "migrate" option: the migration planner's reason, when it found no move. */
  noMoves: z.string().optional(),
  recommendation: z.strictObject({
    /** The recommended option's id; absent when no option meets every SLO. */
    optionId: z.string().optional(),
    reason: z.string(),
  }),
});
export type HostAdvice = z.infer<typeof HostAdviceSchema>;

/** AdviceSectionSchema: the advice proper, also embedded in a migration plan's report. */
export const AdviceSectionSchema = z.strictObject({
  settings: z.strictObject({
    durationMs: z.number().int(),
    warmupMs: z.number().int(),
    seeds: z.array(z.number().int()),
    maxHosts: z.number().int(),
    host: z.string().optional(),
  }),
  /** Hosts whose current state was simulated to look for breaches (first seed). */
  hostsScreened: z.number().int(),
  hosts: z.array(HostAdviceSchema),
  /** Hosts with a breach left out by maxHosts, worst first. */
  skipped: z.array(z.string()),
});
export type AdviceSection = z.infer<typeof AdviceSectionSchema>;

export const AdviceSchema = z.strictObject({
  kind: z.literal(ADVICE_KIND),
  version: z.literal(ADVICE_VERSION),
  ...ResultStatusSchema.shape,
  ...AdviceSectionSchema.shape,
});
export type Advice = z.infer<typeof AdviceSchema>;
