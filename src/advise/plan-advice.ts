import type { AdviceSettingsInput } from "../model/advice.js";
import type { Cluster } from "../model/cluster.js";
import type { MigrationPlan } from "../model/migration.js";
import { adviseSection, type AdviseDeps } from "./advise.js";

/**
 * breachedHostsOf: the hosts whose breaches a migration plan sets out to fix: those with a
 * predicted breach before it, those it moves VMs off to fix a breach (simulated ones included),
 * and those whose breach it could not fix.
 */
export function breachedHostsOf(plan: MigrationPlan): string[] {
  const ids = [
    ...plan.hosts.before.filter((h) => h.breaches > 0).map((h) => h.hostId),
    ...plan.moves.filter((m) => m.kind === "fix-breach").map((m) => m.from),
    ...plan.unresolved.filter((u) => u.kind === "breach" && u.hostId !== undefined).map((u) => u.hostId!),
  ];
  return [...new Set(ids)];
}

/**
 * adviseMigrationPlan adds the what-if advice to a migration plan: for each host whose breach it
 * fixes (or leaves), the plan's own moves for that host weighed against tuning it instead.
 */
export async function adviseMigrationPlan(cluster: Cluster, plan: MigrationPlan, settings: AdviceSettingsInput, deps: Omit<AdviseDeps, "plan" | "hostIds">): Promise<MigrationPlan> {
  const hostIds = breachedHostsOf(plan);
  const advice = await adviseSection(cluster, { ...settings, maxHosts: Math.max(1, hostIds.length) }, { ...deps, plan, hostIds });
  return { ...plan, advice };
}
