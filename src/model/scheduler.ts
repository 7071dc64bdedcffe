import { z } from "zod";

// Defaults are the upstream ones (see shared/reference/sim-fidelity.md sections 1-3):
// Xen >= 4.7 credit1, Linux CFS <= 6.5 with log tunable scaling and HZ=1000.

/** sched_ratelimit_us as both Xen schedulers take it: 0 (off) or 100 us to 0.5 s, default 1 ms. */
const ratelimitUs = () =>
  z
    .number()
    .int()
    .min(0)
    .max(500000)
    .refine((v) => v === 0 || v >= 100, "must be 0 (off) or between 100 and 500000")
    .default(1000);

/** XenCreditSchema: Xen credit1 (xen/common/sched/credit.c). */
export const XenCreditSchema = z.strictObject({
  kind: z.literal("xen-credit"),
  /** sched_credit_tslice_ms; the tick is a third of it (10 ms at the default). */
  timesliceMs: z.number().int().min(1).max(1000).default(30),
  /** sched_ratelimit_us: 0 disables; capped at the timeslice by Xen. */
  ratelimitUs: ratelimitUs(),
  /** exact: timestamp debiting (Xen >= 4.0); sampling: 100 credits per tick from whoever runs (Xen 3.x). */
  accounting: z.enum(["exact", "sampling"]).default("exact"),
  /** vcpu: every active vCPU adds its domain's weight (Xen >= 4.1); domain: one weight per VM. */
  weightPer: z.enum(["vcpu", "domain"]).default("vcpu"),
  /** What happens to credit above one slice when a vCPU goes inactive (halve since Xen 4.1). */
  inactiveCredit: z.enum(["halve", "zero"]).default("halve"),
  /** Pre-4.7 bug: a wakeup that is really a migration is boosted too. */
  boostOnMigrate: z.boolean().default(false),
  /** vcpu_migration_delay: a vCPU that ran this recently is cache-hot and not stolen. */
  migrationDelayUs: z.number().int().min(0).max(100000).default(0),
});

/**
 * XenCredit2Schema: Xen credit2 (xen/common/sched/credit2.c), the Xen default since 4.12. Times
 * are the upstream constants and boot options; credit is kept in microseconds of weighted time.
 */
export const XenCredit2Schema = z.strictObject({
  kind: z.literal("xen-credit2"),
  /** sched_ratelimit_us: a vCPU runs at least this long before a waker may preempt it (0 = off). */
  ratelimitUs: ratelimitUs(),
  /** CSCHED2_CREDIT_INIT: credit added to every vCPU of a run queue at a reset. */
  creditInitUs: z.number().int().min(100).max(1000000).default(10000),
  /** CSCHED2_MAX_TIMER: the longest a vCPU runs before the scheduler looks again. */
  maxTimerUs: z.number().int().min(100).max(1000000).default(10000),
  /** CSCHED2_MIN_TIMER: the shortest scheduling timer. */
  minTimerUs: z.number().int().min(100).max(100000).default(500),
  /** CSCHED2_CARRYOVER_MAX: credit above CREDIT_INIT a vCPU may keep across a reset. */
  carryOverUs: z.number().int().min(0).max(1000000).default(500),
  /** sched_credit2_migrate_resist: the credit lead a vCPU needs to move to another pCPU. */
  migrateResistUs: z.number().int().min(0).max(100000).default(500),
  /** CSCHED2_MIGRATE_COMPENSATION: credit given to a vCPU for a move between pCPUs. */
  migrateCompensationUs: z.number().int().min(0).max(100000).default(50),
  /** sched_credit2_cap_period_ms: a capped domain's budget is refilled this often. */
  capPeriodMs: z.number().int().min(1).max(10000).default(10),
  /** sched_credit2_max_cpus_runqueue: a run queue (one per socket) holds at most this many pCPUs. */
  maxCpusPerRunqueue: z.number().int().min(1).max(4096).default(16),
});

const cfsCommon = {
  /** Scheduler tick (1000 us = CONFIG_HZ 1000; 4000 us = HZ 250). */
  tickUs: z.number().int().min(100).max(10000).default(1000),
  /** sysctl_sched_tunable_scaling: log multiplies by 1 + ilog2(min(cpus, 8)). */
  tunableScaling: z.enum(["log", "linear", "none"]).default("log"),
  /** KVM halt_poll_ns in us; polling stops as soon as another task wants the CPU. */
  haltPollUs: z.number().int().min(0).max(100000).default(200),
  /** cpu.cfs_period_us for VMs with a cap; quota = capPercent/100 * period. */
  cfsPeriodUs: z.number().int().min(1000).max(1000000).default(100000),
  /** sched_cfs_bandwidth_slice_us. */
  bandwidthSliceUs: z.number().int().min(1).default(5000),
};

/** KvmCfsSchema: KVM vCPU threads under Linux CFS (kernel/sched/fair.c, <= 6.5). */
export const KvmCfsSchema = z.strictObject({
  kind: z.literal("kvm-cfs"),
  ...cfsCommon,
  /** Unscaled sched_latency, min_granularity and wakeup_granularity (single-CPU values). */
  latencyUs: z.number().int().min(100).default(6000),
  minGranularityUs: z.number().int().min(100).default(750),
  wakeupGranularityUs: z.number().int().min(0).default(1000),
  /** GENTLE_FAIR_SLEEPERS halves the sleeper credit to latency/2. */
  gentleFairSleepers: z.boolean().default(true),
});

/**
 * KvmEevdfSchema: KVM vCPU threads under Linux EEVDF (kernel/sched/fair.c, 6.6 to 6.12+): the
 * fair class with lag, eligibility and virtual deadlines instead of sleeper credit and wakeup_gran.
 */
export const KvmEevdfSchema = z.strictObject({
  kind: z.literal("kvm-eevdf"),
  ...cfsCommon,
  /** Unscaled sysctl_sched_base_slice: 750 us in 6.6-6.14, 700 us from 6.15 (scaled like CFS's tunables). */
  baseSliceUs: z.number().int().min(100).max(100000).default(750),
  /** PLACE_LAG: a waking entity gets back the lag it left with (inflated), not a fixed bonus. */
  placeLag: z.boolean().default(true),
  /** PLACE_DEADLINE_INITIAL: a new entity's first deadline is half a slice away. */
  placeDeadlineInitial: z.boolean().default(true),
  /** RUN_TO_PARITY: no wakeup preemption until curr is ineligible or has used its slice. */
  runToParity: z.boolean().default(true),
  /** PREEMPT_SHORT (6.12): a waker with a shorter slice cancels RUN_TO_PARITY's protection. */
  preemptShort: z.boolean().default(true),
  /** DELAY_DEQUEUE (6.12): a sleeper that is not eligible stays queued until it is. */
  delayDequeue: z.boolean().default(true),
});

export const SchedulerSchema = z.discriminatedUnion("kind", [
  XenCreditSchema,
  XenCredit2Schema,
  KvmCfsSchema,
  KvmEevdfSchema,
]);

export type XenCreditParams = z.infer<typeof XenCreditSchema>;
export type XenCredit2Params = z.infer<typeof XenCredit2Schema>;
export type KvmCfsParams = z.infer<typeof KvmCfsSchema>;
export type KvmEevdfParams = z.infer<typeof KvmEevdfSchema>;
export type SchedulerParams = z.infer<typeof SchedulerSchema>;
export type SchedulerKind = SchedulerParams["kind"];
export const SCHEDULER_KINDS: readonly SchedulerKind[] = ["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"];

/** defaultScheduler returns the fully defaulted parameters of a scheduler kind. */
export function defaultScheduler(kind: SchedulerKind): SchedulerParams {
  return SchedulerSchema.parse({ kind });
}
