import { z } from "zod";
import { DriverDomainSchema } from "./driver-domain.js";
import { DisruptionBudgetSchema, MigrationPolicySchema, PinSelectorSchema } from "./fleet-policy.js";
import { IdSchema } from "./ids.js";
import { DEFAULT_GRID_KG_CO2_PER_KWH, PowerSchema } from "./power.js";
import { SchedulerSchema } from "./scheduler.js";
import { ServiceSchema } from "./services.js";
import { WorkloadSchema } from "./workload.js";

/** The id grammar lives in ids.ts (services name VMs by it too). */
export { ID_CHARS } from "./ids.js";

const Id = IdSchema;
const Labels = z.record(z.string(), z.string()).default({});

export const HostSchema = z.strictObject({
  id: Id,
  cores: z.number().int().min(1).max(4096),
  memoryMiB: z.number().int().min(1),
  networkMbps: z.number().positive().optional(),
  /** Cost of keeping the host on, in any unit the planner sums (default 1 = count hosts). */
  cost: z.number().min(0).default(1),
  scheduler: SchedulerSchema.prefault({ kind: "xen-credit" }),
  /** The IO driver domain (dom0 / vhost threads) and whether its work is charged to guests. */
  driverDomain: DriverDomainSchema.optional(),
  /** Link bandwidth live migration may use on this host, Mbit/s (default: policy.migration.bandwidthMbps). */
  migrationBandwidthMbps: z.number().positive().optional(),
  /** Watts by CPU utilisation (model/power.ts); absent: the documented default for its core count. */
  power: PowerSchema.optional(),
  labels: Labels,
});

export const SloSchema = z
  .object({
    p99Ms: z.number().positive().optional(),
    p999Ms: z.number().positive().optional(),
  })
  .refine((s) => s.p99Ms !== undefined || s.p999Ms !== undefined, "give p99Ms, p999Ms or both");

export const VmSchema = z.strictObject({
  id: Id,
  vcpus: z.number().int().min(1).max(1024),
  memoryMiB: z.number().int().min(1),
  networkMbps: z.number().positive().optional(),
  /** Xen credit weight (1..65535, default 256). */
  weight: z.number().int().min(1).max(65535).default(256),
  /** Xen cap or CFS quota, in percent of one CPU (0 = uncapped; 200 = two CPUs). */
  capPercent: z.number().min(0).default(0),
  /** cgroup v2 cpu.weight of the VM's cgroup under KVM (1..10000, default 100 = 1024 shares). */
  cpuWeight: z.number().int().min(1).max(10000).default(100),
  /**
   * EEVDF slice of the VM's vCPU threads (sched_attr.sched_runtime, Linux 6.12+), 100..100000 us;
   * absent = the kernel's base slice. A short slice lets a latency-sensitive VM's threads preempt
   * sooner (PREEMPT_SHORT). Used only by kvm-eevdf hosts.
   */
  schedRuntimeUs: z.number().int().min(100).max(100000).optional(),
  workload: WorkloadSchema,
  slo: SloSchema.optional(),
  /** The host the VM runs on now: the input of migration planning. */
  host: Id.optional(),
  /** Never migrate this VM (migrate, plan --from-current); policy.pinned pins VMs by label. */
  pinned: z.boolean().optional(),
  /** Memory the VM dirties per second while it runs, MiB/s (default: its CPU demand × policy.migration.dirtyMiBpsPerCpu). */
  dirtyRateMiBps: z.number().min(0).optional(),
  labels: Labels,
});

const vmList = z.array(Id).min(1, "must name at least one VM");
export const AntiAffinitySchema = z.strictObject({
  kind: z.literal("anti-affinity"),
  vms: vmList.min(2, "must name at least two VMs"),
  soft: z.boolean().default(false),
});
export const AffinitySchema = z.strictObject({
  kind: z.literal("affinity"),
  vms: vmList.min(2, "must name at least two VMs"),
  soft: z.boolean().default(false),
});
export const HostLabelSchema = z.strictObject({
  kind: z.literal("host-label"),
  vms: vmList,
  label: z.string().min(1),
  value: z.string(),
  soft: z.boolean().default(false),
});
export const ConstraintSchema = z.discriminatedUnion("kind", [
  AntiAffinitySchema,
  AffinitySchema,
  HostLabelSchema,
]);

/** What the placer minimises once every VM is placed within every hard constraint and SLO. */
export const OBJECTIVES = ["min-cost", "balance", "min-risk", "min-energy"] as const;
export type Objective = (typeof OBJECTIVES)[number];

export const PolicySchema = z.strictObject({
  /** vCPUs per core a host may carry (OpenStack's cpu_allocation_ratio). Memory is never overcommitted. */
  cpuOvercommit: z.number().positive().max(64).default(2),
  objective: z.enum(OBJECTIVES).default("min-cost"),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  timeBudgetMs: z.number().int().min(1).max(3_600_000).default(10000),
  /** Also forbid any host in the Bobtail condition, not only predicted SLO breaches. */
  forbidBobtail: z.boolean().default(false),
  /** The live-migration cost model: link bandwidth, concurrency, downtime target (see fleet-policy.ts). */
  migration: MigrationPolicySchema.prefault({}),
  /** At most k VMs of a label group migrating at once. */
  disruptionBudgets: z.array(DisruptionBudgetSchema).default([]),
  /** VMs these label selectors match never migrate. */
  pinned: z.array(PinSelectorSchema).default([]),
  /** n+1: every used host's VMs can be re-placed on the other used hosts (no hard violation, no predicted breach). */
  robustness: z.enum(["none", "n+1"]).default("none"),
  /** Every SLO must hold with every VM's CPU demand this many percent higher (duty cycles and request rates). */
  headroomPercent: z.number().min(0).max(400).default(0),
  /** kg CO2 per kWh of the grid the hosts draw from, for the reports' emissions (default: world average). */
  gridKgCo2PerKWh: z.number().min(0).max(5).default(DEFAULT_GRID_KG_CO2_PER_KWH),
});

export const ClusterSchema = z.strictObject({
  hosts: z.array(HostSchema).min(1, "a cluster needs at least one host"),
  vms: z.array(VmSchema),
  constraints: z.array(ConstraintSchema).default([]),
  /** Fan-out services: a request touches `fanout` of the members and waits for all of them. */
  services: z.array(ServiceSchema).default([]),
  policy: PolicySchema.prefault({}),
});

export type Host = z.infer<typeof HostSchema>;
export type Vm = z.infer<typeof VmSchema>;
export type Slo = z.infer<typeof SloSchema>;
export type Constraint = z.infer<typeof ConstraintSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export type Cluster = z.infer<typeof ClusterSchema>;
/** ClusterInput is what a user may write: every defaulted field optional. */
export type ClusterInput = z.input<typeof ClusterSchema>;
