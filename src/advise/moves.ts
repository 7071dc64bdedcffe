import type { Predictor } from "../interference/predictor.js";
import type { Change } from "../model/advice.js";
import type { Cluster } from "../model/cluster.js";
import type { MigrationPlan, Move } from "../model/migration.js";
import { planMigrationSession } from "../migrate/plan-migrations.js";
import { resimulateAndRepair } from "../migrate/repair.js";
import type { SimRunner } from "../sim/runner.js";

export interface FixPlanOptions {
  readonly durationMs: number;
  readonly seed: number;
  /** Hosts the simulation found breaching: the repair may move VMs off them too. */
  readonly hosts: readonly string[];
}

/**
 * fixPlan asks the migration planner for the moves that fix the cluster's breaches: fix mode,
 * mandatory moves only (threshold 1), then the re-simulation and repair of simulated breaches,
 * which also looks at the advised hosts whose breach only the simulation sees. No clock is given,
 * so the plan depends on the cluster and the seed alone.
 */
export async function fixPlan(cluster: Cluster, predictor: Predictor, runner: SimRunner, o: FixPlanOptions): Promise<MigrationPlan> {
  const { plan, session } = planMigrationSession(cluster, predictor, { mode: "fix", threshold: 1, seed: o.seed });
  return resimulateAndRepair(cluster, predictor, session, plan, runner, { durationMs: o.durationMs, seed: o.seed, alsoHosts: o.hosts });
}

/**
 * movesFor: the plan's moves that belong to fixing one host, in step order: those that leave or
 * reach it (a swap's partner comes to it: swap.ts), and every other leg of a VM that does, so a
 * two-step move through a temporary host comes whole. Another host's fix that lands on the same
 * target is not this host's.
 */
export function movesFor(plan: MigrationPlan, hostId: string): Move[] {
  const vms = new Set(plan.moves.filter((m) => m.from === hostId || m.to === hostId).map((m) => m.vmId));
  return plan.moves.filter((m) => vms.has(m.vmId));
}

/** moveChanges: moves as option changes. */
export function moveChanges(moves: readonly Move[]): Change[] {
  return moves.map((m) => ({ kind: "move", vmId: m.vmId, from: m.from, to: m.to, memoryMiB: m.memoryMiB }));
}

/** whyNoMoves: the planner's own reason when it left the host's breach unresolved. */
export function whyNoMoves(plan: MigrationPlan, hostId: string): string | undefined {
  return plan.unresolved.find((u) => u.kind === "breach" && u.hostId === hostId)?.reason;
}
