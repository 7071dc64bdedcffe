import { z } from "zod";

/**
 * The parts of a cluster's policy that govern moving VMs on a live fleet: the live-migration
 * cost model's parameters and the disruption budgets. Sources and the model itself are in
 * docs/operator.md ("The migration cost model"); the defaults are upstream defaults where one
 * exists and stated assumptions where none does.
 */
export const MigrationPolicySchema = z.strictObject({
  /**
   * Bandwidth of each host's link that live migration may use, in Mbit/s. The migrations that
   * touch a host (as source or destination) share it; a host's `migrationBandwidthMbps` overrides it.
   */
  bandwidthMbps: z.number().positive().max(10_000_000).default(10_000),
  /** Most live migrations touching one host at once (source or destination), like nova's max_concurrent_live_migrations. */
  concurrentPerHost: z.number().int().min(1).max(64).default(2),
  /**
   * Pre-copy switches over once the remaining dirty memory copies within this pause. QEMU's
   * default migration downtime-limit is 300 ms.
   */
  maxDowntimeMs: z.number().positive().max(600_000).default(300),
  /** Pre-copy rounds before a stop-and-copy is forced (Xen's live save stops after 30 iterations). */
  maxRounds: z.number().int().min(1).max(10_000).default(30),
  /** Fixed cost of the switch-over (pausing, device state, resuming on the destination), in ms. */
  switchoverMs: z.number().min(0).max(60_000).default(50),
  /**
   * Memory a busy vCPU dirties per second, in MiB/s, for VMs that give no `dirtyRateMiBps`: a VM's
   * dirty rate is its mean CPU demand times this. An assumption (measure with virsh
   * domdirtyrate-calc and give it per VM where it matters).
   */
  dirtyMiBpsPerCpu: z.number().min(0).max(1_000_000).default(32),
  /**
   * CPU a migration's copy thread takes on its source and destination, in cores per Gbit/s moved
   * (one core drives about 10 Gbit/s of pre-copy): the transient load the wave check counts.
   */
  cpuCoresPerGbps: z.number().min(0).max(64).default(0.1),
});
export type MigrationPolicy = z.infer<typeof MigrationPolicySchema>;

/**
 * A disruption budget: at most `maxMoving` VMs of a label group migrate at once. With `value`,
 * the group is the VMs whose label `label` has that value; without, every value of the label is
 * its own group (one budget per app, say), like a PodDisruptionBudget per workload.
 */
export const DisruptionBudgetSchema = z.strictObject({
  label: z.string().min(1),
  value: z.string().optional(),
  maxMoving: z.number().int().min(1).max(100_000),
});
export type DisruptionBudget = z.infer<typeof DisruptionBudgetSchema>;

/** budgetGroupOf: the budget group a VM's labels put it in for one budget, or undefined. */
export function budgetGroupOf(b: DisruptionBudget, labels: Readonly<Record<string, string>>): string | undefined {
  const v = labels[b.label];
  if (v === undefined || (b.value !== undefined && v !== b.value)) return undefined;
  return `${b.label}=${v}`;
}

/**
 * A pin selector: VMs whose label `label` has `value` (any value when absent) never migrate, as
 * if each carried `pinned: true` (licence-bound, local disks, a tenant's wish).
 */
export const PinSelectorSchema = z.strictObject({
  label: z.string().min(1),
  value: z.string().optional(),
});
export type PinSelector = z.infer<typeof PinSelectorSchema>;

/** isPinned: the VM may not move, by its own flag or a policy selector. */
export function isPinned(vm: { pinned?: boolean; labels: Readonly<Record<string, string>> }, selectors: readonly PinSelector[]): boolean {
  if (vm.pinned === true) return true;
  return selectors.some((s) => vm.labels[s.label] !== undefined && (s.value === undefined || vm.labels[s.label] === s.value));
}
