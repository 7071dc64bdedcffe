import { z } from "zod";

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
  /** The best-scoring other host that would take the VM, or the first that refuses and why. */
  runnerUp: z
    .strictObject({
      host: z.string(),
      total: z.number().optional(),
      scores: z.record(z.string(), z.number()).optional(),
      reasons: z.array(ReasonSchema).optional(),
    })
    .optional(),
  /** How many hosts were compared (a deterministic sample on large fleets). */
  candidates: z.number().int(),
});

/** InfeasibleVmSchema: a VM no host can take, with what blocks it on each host type. */
export const InfeasibleVmSchema = z.strictObject({
  vm: z.string(),
  byHostType: z.array(
    z.strictObject({
      /** A representative host of the type and how many hosts the type has. */
      host: z.string(),
      hosts: z.number().int(),
      cores: z.number().int(),
      memoryMiB: z.number(),
      reasons: z.array(ReasonSchema),
    }),
  ),
});

export const ViolationSchema = z.strictObject({
  constraint: z.enum(["unknown-vm", "unknown-host", "duplicate", "memory", "vcpus", "cores", "network", "anti-affinity", "affinity", "host-label"]),
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
  level: z.enum(["none", "low", "elevated", "high"]),
  bobtail: z.boolean(),
  predictedDelayP999Us: z.number(),
  predictedBreaches: z.number().int(),
  simulatedBreaches: z.number().int().optional(),
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
  objective: z.enum(["min-cost", "balance", "min-risk"]),
  seed: z.number().int(),
  solver: z.strictObject({
    requested: z.enum(["auto", "milp", "heuristic"]),
    used: z.enum(["heuristic", "milp", "heuristic+lns"]),
    construction: z.string(),
    /** optimal: proved by HiGHS; bound-met: cost reached the lower bound; stalled: no better plan for a long run of iterations. */
    stoppedOn: z.enum(["optimal", "bound-met", "budget", "iterations", "stalled"]),
    iterations: z.number().int(),
    exactStatus: z.string().optional(),
    note: z.string().optional(),
  }),
  cost: z.number(),
  /** The objective as the linear model counts it (cost plus soft penalties under min-cost). */
  objectiveValue: z.number(),
  softViolations: z.number().int(),
  lowerBound: z.number(),
  /** (cost − lower bound) / lower bound; 0 when both are 0. */
  gap: z.number(),
  boundSources: z.array(z.strictObject({ source: z.enum(["closed-form", "highs-dual"]), value: z.number(), detail: z.string() })),
  hostsUsed: z.number().int(),
  usedHosts: z.array(z.string()),
  assignments: z.array(AssignmentSchema),
  unplaced: z.array(z.string()),
  infeasible: z.array(InfeasibleVmSchema),
  check: z.strictObject({ ok: z.boolean(), violations: z.array(ViolationSchema) }),
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
  /** Wall-clock milliseconds per phase: the only non-deterministic part of a plan. */
  timings: z.record(z.string(), z.number()).optional(),
});
export type Plan = z.infer<typeof PlanSchema>;
