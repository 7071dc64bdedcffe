import { z } from "zod";
import { AdviceSectionSchema } from "./advice.js";
import { AttemptSchema, ExecutionSchema, MOVE_STATES, PLAN_STATES } from "./execution.js";
import { DisruptionBudgetSchema, MigrationPolicySchema } from "./fleet-policy.js";
import { RiskLevelSchema } from "./risk.js";
import { MigrationEnergySchema, MigrationServiceSchema, RobustnessSectionSchema } from "./objectives.js";
import { ViolationSchema } from "./plan.js";
import { ResultStatusSchema } from "./status.js";

/**
 * The migration plan document: what `vmplace migrate` writes and `vmplace report` reads. One
 * shape for the CLI, the API and the reports; types are inferred from it. Percentiles are in µs,
 * memory in MiB, like the rest of vmplace.
 */

export const MIGRATION_PLAN_KIND = "vmplace/migration-plan";
export const MIGRATION_PLAN_VERSION = 2;

export const MIGRATION_MODES = ["fix", "rebalance", "consolidate", "evacuate"] as const;
export type MigrationMode = (typeof MIGRATION_MODES)[number];

/** MigrationOptionsSchema: what the operator asks for (CLI flags, API body). */
export const MigrationOptionsSchema = z
  .strictObject({
    /** fix: breaches and violations, then risk; rebalance: also even load; consolidate: also empty hosts; evacuate: empty `host`. */
    mode: z.enum(MIGRATION_MODES).default("fix"),
    /** The host to empty (evacuate only). */
    host: z.string().min(1).optional(),
    /** 1 applies only mandatory moves; each level up admits moves of smaller gain (like DRS). */
    threshold: z.number().int().min(1).max(5).default(3),
    /** Most VM migrations in the plan (a two-step move counts twice). */
    maxMoves: z.number().int().min(0).max(1_000_000).default(1000),
    /** Most memory the plan's migrations copy, MiB (each leg of a two-step move counts); none by default. */
    maxMigratedMiB: z.number().min(0).optional(),
    /** Most migrations running at once, cluster-wide. */
    maxConcurrent: z.number().int().min(1).max(10_000).default(8),
    /** Most migrations running at once that touch one host (default: the cluster's policy.migration.concurrentPerHost). */
    perHostConcurrent: z.number().int().min(1).max(64).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Wall-clock budget of the planning; the plan says when it stopped on it. */
    timeBudgetMs: z.number().int().min(1).max(3_600_000).default(30_000),
  })
  .refine((o) => o.mode !== "evacuate" || o.host !== undefined, { message: "evacuate needs the host to empty", path: ["host"] });
export type MigrationOptions = z.infer<typeof MigrationOptionsSchema>;
export type MigrationOptionsInput = z.input<typeof MigrationOptionsSchema>;

export const MOVE_KINDS = ["evacuate", "fix-constraint", "fix-breach", "restore-headroom", "reduce-risk", "rebalance", "consolidate"] as const;
export type MoveKind = (typeof MOVE_KINDS)[number];

/** Why this VM was chosen, as data: renderers turn it into a sentence. */
export const WhyVmSchema = z.strictObject({
  /**
   * evacuating: it runs on the host being emptied; violates: it breaks a hard constraint;
   * aggressor: its CPU-bound vCPUs add to its host's victims' delay; victim: it is the VM at risk;
   * overloaded: its host is fuller than the rest; emptying: its host is being switched off;
   * making-room: it trades places with a VM that must leave its target (a swap).
   */
  code: z.enum(["evacuating", "violates", "aggressor", "victim", "overloaded", "emptying", "making-room"]),
  /** The hard constraint it breaks (plugin name and the document constraint's path). */
  constraint: z.string().optional(),
  group: z.string().optional(),
  /** aggressor: the p99.9 delay its leaving takes off its host's victims, in µs. */
  delayRemovedUs: z.number().optional(),
  /** The latency-sensitive VMs its move is meant to help. */
  helps: z.array(z.string()),
  /** Other VMs on the source that were weighed, and how many of them. */
  alternatives: z.number().int(),
});
export type WhyVm = z.infer<typeof WhyVmSchema>;

/** Why this target: the framework's per-plugin scores (0-100) and how many hosts were ruled out. */
export const WhyTargetSchema = z.strictObject({
  scores: z.record(z.string(), z.number()),
  /** Weighted total of the scores (the profile's weights). */
  total: z.number(),
  /** Hosts that passed every filter; the target ranked first among them. */
  feasible: z.number().int(),
  /** Hosts ruled out, per hard constraint (plugin name → count). */
  rejected: z.record(z.string(), z.number().int()),
  /** Set when the target is only a parking place on the way (a swap cycle broken in two steps). */
  temporary: z.boolean(),
});
export type WhyTarget = z.infer<typeof WhyTargetSchema>;

/** Effect of one move on one latency-sensitive VM's predicted p99.9 (request latency). */
export const EffectSchema = z.strictObject({
  vmId: z.string(),
  /** helped: on the source; moved: the VM itself; neighbour: on the target, maybe hurt. */
  role: z.enum(["helped", "moved", "neighbour"]),
  beforeP999Us: z.number(),
  afterP999Us: z.number(),
  sloP999Us: z.number().optional(),
});
export type Effect = z.infer<typeof EffectSchema>;

export const MoveSchema = z.strictObject({
  /** Position in the plan (1-based), in wave order. */
  step: z.number().int().min(1),
  wave: z.number().int().min(1),
  vmId: z.string(),
  from: z.string(),
  to: z.string(),
  /** 1 mandatory (breach, violation, evacuation) ... 5 slight gain. */
  priority: z.number().int().min(1).max(5),
  kind: z.enum(MOVE_KINDS),
  /** direct, or one leg of a two-step move through a temporary host. */
  leg: z.enum(["direct", "park", "unpark"]),
  memoryMiB: z.number(),
  /** Gain in points (risk, balance, cost) and the cost of the migration (its time and downtime), in the same points. */
  gain: z.number(),
  cost: z.number(),
  /** The live-migration model's prediction at the bandwidth its wave gives it (see docs/operator.md). */
  bandwidthMbps: z.number(),
  dirtyMiBps: z.number(),
  durationSec: z.number(),
  downtimeMs: z.number(),
  rounds: z.number().int(),
  /** False when pre-copy cannot shrink the dirty pages below the downtime target (forced stop-and-copy). */
  converged: z.boolean(),
  whyVm: WhyVmSchema,
  whyTarget: WhyTargetSchema,
  effect: z.array(EffectSchema),
  state: z.enum(MOVE_STATES).default("recommended"),
  /** Every run of it by `vmplace apply`, oldest first. */
  attempts: z.array(AttemptSchema).default([]),
});
export type Move = z.infer<typeof MoveSchema>;

/** WaveSchema: moves that run together, and the checked state once they have all finished. */
export const WaveSchema = z.strictObject({
  index: z.number().int().min(1),
  steps: z.array(z.number().int()),
  memoryCopiedMiB: z.number(),
  /** Largest memory held on any host while the wave runs (both copies counted), over its capacity. */
  peakMemoryFraction: z.number(),
  /** State after the wave: predicted breaches, risk points, hard-constraint violations. */
  breaches: z.number().int(),
  risk: z.number(),
  violations: z.number().int(),
  /** When it starts after the plan's start and how long it runs (its slowest migration), s. */
  startSec: z.number(),
  durationSec: z.number(),
  worstDowntimeMs: z.number(),
  /** Largest share of any host's migration link its migrations take (at most 1: never oversubscribed). */
  linkPeakFraction: z.number(),
  /** While it runs (copy threads on its hosts): victims predicted over SLO, those not over it at the start, and the worst ratio. */
  transientBreaches: z.number().int(),
  transientNewBreaches: z.number().int(),
  transientWorstRatio: z.number(),
});
export type Wave = z.infer<typeof WaveSchema>;

/** HostLoadSchema: one host before or after the plan. */
export const HostLoadSchema = z.strictObject({
  hostId: z.string(),
  cores: z.number().int(),
  memoryMiB: z.number(),
  memoryUsedMiB: z.number(),
  vcpuCap: z.number().int(),
  vcpus: z.number().int(),
  /** Mean CPU demand of its VMs, in CPUs, with what their IO costs its driver domain. */
  demandCpus: z.number(),
  /** Of demandCpus, the driver domain's work for its VMs' packets (hosts with a driver domain). */
  driverCpus: z.number().optional(),
  vms: z.number().int(),
  level: RiskLevelSchema,
  breaches: z.number().int(),
});
export type HostLoad = z.infer<typeof HostLoadSchema>;

/** VmLatencySchema: one latency-sensitive VM's predicted p99.9 before and after. */
export const VmLatencySchema = z.strictObject({
  vmId: z.string(),
  hostBefore: z.string(),
  hostAfter: z.string(),
  sloP999Us: z.number().optional(),
  sloP99Us: z.number().optional(),
  beforeP999Us: z.number(),
  afterP999Us: z.number(),
  /** Predicted over SLO (larger of the p99 and p99.9 ratios); > 1 is a breach. */
  beforeRatio: z.number().optional(),
  afterRatio: z.number().optional(),
});
export type VmLatency = z.infer<typeof VmLatencySchema>;

/** Something the plan could not do, and why. */
export const UnresolvedSchema = z.strictObject({
  kind: z.enum(["breach", "violation", "evacuate", "headroom", "unscheduled"]),
  hostId: z.string().optional(),
  vmIds: z.array(z.string()),
  reason: z.string(),
});
export type Unresolved = z.infer<typeof UnresolvedSchema>;

const SideSchema = z.strictObject({
  breaches: z.number().int(),
  violations: z.number().int(),
  risk: z.number(),
  hostsUsed: z.number().int(),
  cost: z.number(),
  /** Largest and mean host load (mean of memory and vCPU fractions). */
  maxLoad: z.number(),
  meanLoad: z.number(),
});

/** SimulatedHostSchema: the final state of one changed host, re-simulated. */
export const SimulatedHostSchema = z.strictObject({
  hostId: z.string(),
  vms: z.array(
    z.strictObject({
      vmId: z.string(),
      predictedP999Us: z.number(),
      simulatedP999Us: z.number(),
      sloP999Us: z.number().optional(),
      breach: z.boolean(),
    }),
  ),
});

/**
 * SimulationRepairSchema: the bounded repair after re-simulation. A host whose simulated p99 or
 * p99.9 breaches a latency-sensitive VM's SLO gets mandatory moves (its most harmful CPU-bound
 * VMs leave), the plan is scheduled into safe waves again, and the hosts it changed are simulated
 * again, for at most a few rounds.
 */
export const SimulationRepairSchema = z.strictObject({
  /** Repair rounds run (each: add moves, schedule, re-simulate the touched hosts). */
  rounds: z.number().int().min(0),
  /** Simulated breaches the first simulation found. */
  found: z.number().int().min(0),
  /** Of those, the VMs whose latest simulation no longer breaches. */
  repaired: z.number().int().min(0),
  /** VM migrations the repair added to the plan (priority 1, kind fix-breach). */
  moves: z.number().int().min(0),
});
export type SimulationRepair = z.infer<typeof SimulationRepairSchema>;

/** TradeoffPointSchema: one plan on the moves-for-gain curve. */
export const TradeoffPointSchema = z.strictObject({
  label: z.enum(["current", "this plan", "without limits"]),
  moves: z.number().int(),
  migratedMiB: z.number(),
  durationSec: z.number(),
  cost: z.number(),
  hostsUsed: z.number().int(),
  risk: z.number(),
  breaches: z.number().int(),
  violations: z.number().int(),
});

/** TradeoffSchema: the current placement, the plan, and the plan the limits kept it from. */
export const TradeoffSchema = z.strictObject({
  points: z.array(TradeoffPointSchema),
  /** This plan minus the plan without limits: host cost, risk points and breaches given up for the limits (the planner is greedy, so now and then a limit helps and a figure is negative), and the moves not made. */
  givenUp: z.strictObject({ cost: z.number(), risk: z.number(), breaches: z.number().int(), moves: z.number().int() }),
});
export type Tradeoff = z.infer<typeof TradeoffSchema>;

export const MigrationPlanSchema = z.strictObject({
  kind: z.literal(MIGRATION_PLAN_KIND),
  version: z.literal(MIGRATION_PLAN_VERSION),
  /** Whole or not, and why (model/status.ts); optional only so plans saved before it still render. */
  status: ResultStatusSchema.shape.status.optional(),
  reasons: ResultStatusSchema.shape.reasons.optional(),
  options: z.strictObject({
    mode: z.enum(MIGRATION_MODES),
    host: z.string().optional(),
    threshold: z.number().int(),
    maxMoves: z.number().int(),
    maxMigratedMiB: z.number().optional(),
    maxConcurrent: z.number().int(),
    perHostConcurrent: z.number().int(),
    seed: z.number().int(),
    timeBudgetMs: z.number().int(),
  }),
  /** The cluster's live-migration model and disruption budgets the waves were scheduled with. */
  migrationPolicy: MigrationPolicySchema,
  disruptionBudgets: z.array(DisruptionBudgetSchema),
  /** Where the plan is in its life (recommended → approved → in-progress → done or failed). */
  state: z.enum(PLAN_STATES).default("recommended"),
  execution: ExecutionSchema.default({}),
  /** done: nothing left worth moving; max-moves / max-migrated: a move worth making did not fit that limit; budget: the time ran out. */
  stoppedOn: z.enum(["done", "max-moves", "max-migrated", "budget"]),
  /** What the limits cost (plan --from-current): the plan beside the same planning without them. */
  tradeoff: TradeoffSchema.optional(),
  summary: z.strictObject({
    hosts: z.number().int(),
    vms: z.number().int(),
    moves: z.number().int(),
    vmsMoved: z.number().int(),
    memoryCopiedMiB: z.number(),
    waves: z.number().int(),
    /** Predicted wall time of all waves one after another, s, and the longest pause of any VM, ms. */
    durationSec: z.number(),
    worstDowntimeMs: z.number(),
    /** Migrations that cannot converge (forced stop-and-copy: a long pause). */
    nonConverging: z.number().int(),
    before: SideSchema,
    after: SideSchema,
  }),
  moves: z.array(MoveSchema),
  waves: z.array(WaveSchema),
  hosts: z.strictObject({ before: z.array(HostLoadSchema), after: z.array(HostLoadSchema) }),
  vms: z.array(VmLatencySchema),
  /** Hard-constraint violations found by the independent checker (checkPlan) before and after. */
  violations: z.strictObject({ before: z.array(ViolationSchema), after: z.array(ViolationSchema) }),
  unresolved: z.array(UnresolvedSchema),
  /** Predicted draw before and after, and the hosts the plan empties with what switching them off saves (optional only so plans saved before it still render). */
  energy: MigrationEnergySchema.optional(),
  /** Each fan-out service's predicted tail before and after (optional, as energy). */
  services: z.array(MigrationServiceSchema).optional(),
  /** The placement after the plan: what a host failure does, and growth (when the policy asks for n+1 or headroom). */
  robustness: RobustnessSectionSchema.optional(),
  /** Re-simulation of the changed hosts' final state (absent when it was not run). */
  simulation: z
    .strictObject({
      durationMs: z.number().int(),
      changedHosts: z.number().int(),
      /** Each simulated host's latest simulation (after the repair rounds, when they ran). */
      hosts: z.array(SimulatedHostSchema),
      /** Simulated SLO breaches left in the final state (latest simulation of every host). */
      breaches: z.number().int(),
      /** The repair of simulated breaches (absent when the plan was only re-simulated, not repaired). */
      repair: SimulationRepairSchema.optional(),
    })
    .optional(),
  /** What-if advice for the hosts whose breaches the plan fixes (migrate --advise): tuning weighed against these moves. */
  advice: AdviceSectionSchema.optional(),
});
export type MigrationPlan = z.infer<typeof MigrationPlanSchema>;
export type SimulatedHost = z.infer<typeof SimulatedHostSchema>;
