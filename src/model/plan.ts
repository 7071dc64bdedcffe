import { z } from "zod";
import { OBJECTIVES } from "./cluster.js";
import { EnergySectionSchema, RobustnessSectionSchema, ServiceTailSchema } from "./objectives.js";
import { ResultStatusSchema } from "./status.js";
import { RiskLevelSchema } from "./risk.js";

/**
 * The plan document `vmplace plan` writes: the single source of its shape (JSON Schema:
 * `vmplace schema plan`). Everything except `timings` is a pure function of the cluster, the
 * calibration table, the seed and the iteration budget, so two runs print the same bytes;
 * wall-clock figures live under `timings` alone, which `--deterministic` leaves out.
 */

/** ReasonSchema: why a constraint refuses a VM on a host, as data (placement framework Reason). */
export const ReasonSchema = z.strictObject({
  constraint: z.string(),
  resource: z.string().optional(),
  requested: z.number(),
  used: z.number(),
  capacity: z.number(),
  group: z.string().optional(),
  vm: z.string().optional(),
});
export type PlanReason = z.infer<typeof ReasonSchema>;

export const AssignmentSchema = z.strictObject({ vm: z.string(), host: z.string() });

/** ExplanationSchema: why a VM sits where it does, and why not on the best other host. */
export const ExplanationSchema = z.strictObject({
  vm: z.string(),
  host: z.string(),
  /** Weighted total and each score plugin's 0–100 score on the chosen host. */
  total: z.number(),
  scores: z.record(z.string(), z.number()),
  /**
   * The best other host that would take the VM and does not score higher than the chosen one, or
   * (when there is none) the first that refuses and why.
   */
  runnerUp: z
    .strictObject({
      host: z.string(),
      total: z.number().optional(),
      scores: z.record(z.string(), z.number()).optional(),
      reasons: z.array(ReasonSchema).optional(),
    })
    .optional(),
  /**
   * The best host that scores higher for this VM alone. The scores are per-VM preferences; the
   * plan minimises its objective over all VMs, and `costChange` is what moving this VM there
   * would do to the plan's cost (0: nothing, so the search had no reason to move it).
   */
  outscoredBy: z.strictObject({ host: z.string(), total: z.number(), scores: z.record(z.string(), z.number()), costChange: z.number() }).optional(),
  /** How many hosts were compared (a deterministic sample on large fleets). */
  candidates: z.number().int(),
});

/** HostTypeRefSchema: a host type, by a representative host and how many hosts it has. */
export const HostTypeRefSchema = z.strictObject({
  host: z.string(),
  hosts: z.number().int(),
  cores: z.number().int(),
  memoryMiB: z.number(),
  networkMbps: z.number().optional(),
});
export type HostTypeRef = z.infer<typeof HostTypeRefSchema>;

/**
 * UnplacedReasonSchema: why a VM is out, as data. Proofs (no plan can place it, or no plan can
 * place every VM of a set it belongs to) and the one non-proof, "not-placed-by-search".
 * Resource names: memoryMiB, vcpus (under overcommit), cores, networkMbps, or what a filter names.
 * binding: "each" when every resource named is short on every host type the labels allow;
 * "combined" when none is short everywhere but each type lacks one of those named (byHostType
 * says which).
 */
const BindingSchema = z.enum(["each", "combined"]);
export const UnplacedReasonSchema = z.discriminatedUnion("kind", [
  /** Alone, it passes no filter on an empty host of any type. */
  z.strictObject({ kind: z.literal("fits-no-host"), resources: z.array(z.string()), binding: BindingSchema }),
  /** No host carries every label its hard host-label constraints (paths) ask for. */
  z.strictObject({ kind: z.literal("no-host-with-labels"), constraints: z.array(z.string()) }),
  /** Its hard affinity group (constraints, members) fits on no single empty host. */
  z.strictObject({ kind: z.literal("affinity-group-fits-no-host"), constraints: z.array(z.string()), vms: z.array(z.string()), resources: z.array(z.string()), binding: BindingSchema }),
  /** Its hard affinity group holds two members of one hard anti-affinity group. */
  z.strictObject({ kind: z.literal("contradictory-constraints"), constraints: z.array(z.string()) }),
  /**
   * A capacity bound over a set of VMs it belongs to: volume (the set's total demand on one
   * resource exceeds what its hosts hold) or half-size (VMs that each need over half of the
   * resource on any host they may use, more of them than such hosts). At least minUnplaced of the
   * set's `vms` stay out in every plan. hostTypes: the types the set is confined to (absent: all).
   */
  z.strictObject({
    kind: z.literal("aggregate-capacity"),
    bound: z.enum(["volume", "half-size"]),
    resource: z.enum(["memoryMiB", "vcpus", "networkMbps"]),
    vms: z.number().int(),
    demand: z.number(),
    capacity: z.number(),
    hosts: z.number().int(),
    hostTypes: z.array(HostTypeRefSchema).optional(),
    minUnplaced: z.number().int(),
  }),
  /** A hard anti-affinity group with more members than hosts that could take any of them. */
  z.strictObject({ kind: z.literal("anti-affinity-exceeds-hosts"), constraint: z.string(), members: z.number().int(), hosts: z.number().int(), minUnplaced: z.number().int() }),
  /** No proof: the search did not place it. */
  z.strictObject({ kind: z.literal("not-placed-by-search") }),
]);
export type UnplacedReason = z.infer<typeof UnplacedReasonSchema>;

/**
 * UnplacedVmSchema: one VM the plan leaves out. proof: individual (this VM can never be placed),
 * set (a bound proves some VMs of a set it belongs to stay out), none. candidates: the hosts
 * that take it as the plan stands (fits-now: the search missed them), else those whose type
 * takes it alone (fits-empty), at most 10 listed; count covers them all.
 */
export const UnplacedVmSchema = z.strictObject({
  vm: z.string(),
  proof: z.enum(["individual", "set", "none"]),
  reason: UnplacedReasonSchema,
  candidates: z.strictObject({ basis: z.enum(["fits-now", "fits-empty", "none"]), count: z.number().int(), hosts: z.array(z.string()) }),
  /** What each host type's filters say, on an empty host of it if one is left, else its emptiest. */
  byHostType: z.array(HostTypeRefSchema.extend({ reasons: z.array(ReasonSchema) })),
});

export const ViolationSchema = z.strictObject({
  /** unplaced: a VM of the cluster the assignments leave out (one finding per VM). */
  constraint: z.enum(["unknown-vm", "unknown-host", "duplicate", "memory", "vcpus", "cores", "network", "anti-affinity", "affinity", "host-label", "unplaced"]),
  host: z.string().optional(),
  vms: z.array(z.string()),
  requested: z.number().optional(),
  capacity: z.number().optional(),
  /** The constraint of the cluster document it breaks (e.g. "constraints[3]"). */
  path: z.string().optional(),
});
export type Violation = z.infer<typeof ViolationSchema>;

export const HostPlanRiskSchema = z.strictObject({
  host: z.string(),
  vms: z.number().int(),
  vcpus: z.number().int(),
  memoryMiB: z.number(),
  level: RiskLevelSchema,
  bobtail: z.boolean(),
  predictedDelayP999Us: z.number(),
  predictedBreaches: z.number().int(),
  simulatedBreaches: z.number().int().optional(),
  /** The host's driver domain (hosts with one): its predicted load and the charging advice. */
  driverDomain: z
    .strictObject({
      name: z.string(),
      driverCpus: z.number(),
      utilisation: z.number(),
      chargeDriverWork: z.boolean(),
      chargingWouldFix: z.boolean().optional(),
      advice: z.string().optional(),
    })
    .optional(),
});

export const VmValidationSchema = z.strictObject({
  vm: z.string(),
  host: z.string(),
  sloP99Us: z.number().optional(),
  sloP999Us: z.number().optional(),
  predictedP99Us: z.number(),
  predictedP999Us: z.number(),
  simulatedP99Us: z.number().optional(),
  simulatedP999Us: z.number().optional(),
  requests: z.number().int().optional(),
  breach: z.boolean(),
});

export const RepairSchema = z.strictObject({
  round: z.number().int(),
  /** The host whose simulated latencies breached an SLO. */
  host: z.string(),
  victim: z.string(),
  /** The VM moved off it (the one whose removal cuts the predicted delay most) and where to. */
  moved: z.string(),
  to: z.string().optional(),
  cut: z.string(),
});

export const PlanSchema = z.strictObject({
  version: z.literal(1),
  /** Whole or not, and why (model/status.ts); optional only so plans saved before it still render. */
  status: ResultStatusSchema.shape.status.optional(),
  reasons: ResultStatusSchema.shape.reasons.optional(),
  objective: z.enum(OBJECTIVES),
  seed: z.number().int(),
  solver: z.strictObject({
    requested: z.enum(["auto", "milp", "heuristic"]),
    used: z.enum(["heuristic", "milp", "heuristic+lns"]),
    construction: z.string(),
    /**
     * optimal: HiGHS proved its model optimal and the plan's cost meets a valid lower bound;
     * model-optimal: HiGHS proved its model optimal, but that model is not exact for this
     * cluster (see boundSources) and the gap is not zero, so nothing is proved about the plan;
     * bound-met: cost reached the lower bound; stalled: no better plan for a long run of iterations.
     */
    stoppedOn: z.enum(["optimal", "model-optimal", "bound-met", "budget", "iterations", "stalled"]),
    iterations: z.number().int(),
    /** The exact backend's own status (HiGHS: optimal for its linear model, feasible, infeasible, timeout, error). */
    exactStatus: z.string().optional(),
    note: z.string().optional(),
    /** The exact solve ran but did not give the plan (e.g. --solver milp answered by the heuristics), and why. */
    fallback: z.strictObject({ reason: z.enum(["time-limit", "work-limit", "size", "infeasible", "crash", "error", "rejected", "worse"]), detail: z.string() }).optional(),
  }),
  cost: z.number(),
  /** The objective as the linear model counts it (cost plus soft penalties under min-cost). */
  objectiveValue: z.number(),
  softViolations: z.number().int(),
  /** The largest valid lower bound on the cost of any plan that places every VM. */
  lowerBound: z.number(),
  lowerBoundSource: z.enum(["cover", "lp", "spread", "highs-dual"]),
  /**
   * (cost − lower bound) / lower bound, never negative; 0 when both are 0. Absent when VMs are
   * left out: the bound is on plans that place every VM, so no gap to it means anything.
   */
  gap: z.number().min(0).optional(),
  /** The plan is proved optimal: every VM placed, min-cost, no soft violation, cost equal to a valid bound. */
  provedOptimal: z.boolean(),
  /**
   * Every bound computed and whether it is a valid lower bound on cost (valid) and why (detail):
   * cover (whole hosts covering the total demand per resource), lp (the LP relaxation of the
   * resource model), spread (a hard anti-affinity group needs that many hosts), highs-dual
   * (HiGHS's dual bound, valid only when its model is exact for the cluster).
   */
  boundSources: z.array(z.strictObject({ source: z.enum(["cover", "lp", "spread", "highs-dual"]), value: z.number(), valid: z.boolean(), detail: z.string() })),
  hostsUsed: z.number().int(),
  usedHosts: z.array(z.string()),
  assignments: z.array(AssignmentSchema),
  /** Ids of the VMs the plan leaves out (why: unplacedReasons). */
  unplaced: z.array(z.string()),
  unplacedReasons: z.array(UnplacedVmSchema),
  /**
   * The independent checker (model/check-plan.ts): ok only when every VM is placed and no hard
   * constraint breaks; each unplaced VM is a finding ("unplaced"). current: the placement the
   * document describes (VMs' host fields), present when any VM has one.
   */
  check: z.strictObject({
    ok: z.boolean(),
    violations: z.array(ViolationSchema),
    current: z.strictObject({ ok: z.boolean(), violations: z.array(ViolationSchema) }).optional(),
  }),
  /** The counts exit codes and status fields read (all also derivable from the sections above). */
  counts: z.strictObject({
    vms: z.number().int(),
    placed: z.number().int(),
    unplaced: z.number().int(),
    /** Proved: every plan leaves at least this many VMs out (0: no proof that any must be). */
    minUnplaced: z.number().int(),
    /** Hard-constraint violations of the plan (unplaced VMs not counted). */
    violations: z.number().int(),
    /** Hard-constraint violations of the current placement, when the document has one. */
    currentViolations: z.number().int().optional(),
    predictedBreaches: z.number().int(),
    /** Simulated SLO breaches left after validation, when the plan was validated. */
    simulatedBreaches: z.number().int().optional(),
  }),
  slo: z.strictObject({
    predictedBreaches: z.number().int(),
    simulatedBreachesBefore: z.number().int().optional(),
    simulatedBreachesAfter: z.number().int().optional(),
  }),
  validation: z.strictObject({
    performed: z.boolean(),
    rounds: z.number().int(),
    durationMs: z.number().int(),
    warmupMs: z.number().int(),
    hostsSimulated: z.number().int(),
    /** The plan's cost before repairs moved VMs (repairs may open hosts). */
    costBefore: z.number().optional(),
    repairs: z.array(RepairSchema),
    vms: z.array(VmValidationSchema),
    note: z.string().optional(),
  }),
  hostRisk: z.array(HostPlanRiskSchema),
  explanations: z.array(ExplanationSchema),
  /** Predicted watts, kWh and kg CO2 per month of the plan (and of the current placement); optional only so plans saved before it still render. */
  energy: EnergySectionSchema.optional(),
  /** Per host, what happens if it fails and how much growth it absorbs (when the policy asks for n+1 or headroom). */
  robustness: RobustnessSectionSchema.optional(),
  /** Each fan-out service's predicted (and simulated) tail; optional only so plans saved before it still render. */
  services: z.array(ServiceTailSchema).optional(),
  /** Wall-clock milliseconds per phase: the only non-deterministic part of a plan. */
  timings: z.record(z.string(), z.number()).optional(),
});
export type Plan = z.infer<typeof PlanSchema>;
