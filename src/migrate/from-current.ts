import type { Predictor } from "../interference/predictor.js";
import type { Cluster, Policy } from "../model/cluster.js";
import type { MigrationMode, MigrationOptionsInput, MigrationPlan, Tradeoff } from "../model/migration.js";
import { planMigrationSession, planMigrations, type MigrationSession, type PlanMigrationsDeps } from "./plan-migrations.js";

/**
 * Incremental planning: the cluster's current placement is the start and every move is a cost,
 * priced by the same live-migration model and the same points as `vmplace migrate` (one model:
 * a target layout within N moves is a migration plan). The objective picks what the moves are
 * for: min-cost empties hosts (consolidate), balance evens load (rebalance), min-risk takes
 * risk away; mandatory fixes (breaches, violations) always come first.
 */
export function modeForObjective(objective: Policy["objective"]): MigrationMode {
  return objective === "min-cost" ? "consolidate" : objective === "balance" ? "rebalance" : "fix";
}

/** Any move whose gain pays for its cost is worth a place within the limits. */
export const FROM_CURRENT_THRESHOLD = 5;

// "Without limits": as many moves as the planner finds worth making.
const UNLIMITED_MOVES = 1_000_000;

export interface FromCurrent {
  readonly plan: MigrationPlan;
  readonly session: MigrationSession;
  /** The same planning without --max-moves and --max-migrated-gib: what the limits kept back. */
  readonly unlimited: MigrationPlan;
}

/**
 * planFromCurrent plans the moves from the current placement within the limits, and the same
 * planning without them, so the report can say what the limits cost. Pure, like planMigrations;
 * O(2 × one planning run).
 */
export function planFromCurrent(cluster: Cluster, predictor: Predictor, options: MigrationOptionsInput, deps: PlanMigrationsDeps = {}): FromCurrent {
  const base: MigrationOptionsInput = { mode: modeForObjective(cluster.policy.objective), threshold: FROM_CURRENT_THRESHOLD, ...options };
  const { plan, session } = planMigrationSession(cluster, predictor, base, deps);
  const { maxMigratedMiB: _limit, ...rest } = base;
  const unlimited = planMigrations(cluster, predictor, { ...rest, maxMoves: UNLIMITED_MOVES }, { now: deps.now });
  return { plan, session, unlimited };
}

/** withTradeoff puts the trade-off on the plan: where it starts, where it ends, where it could end. */
export function withTradeoff(plan: MigrationPlan, unlimited: MigrationPlan): MigrationPlan {
  const point = (label: Tradeoff["points"][number]["label"], p: MigrationPlan, side: "before" | "after"): Tradeoff["points"][number] => {
    const s = p.summary[side];
    const moved = side === "after";
    return {
      label,
      moves: moved ? p.summary.moves : 0,
      migratedMiB: moved ? p.summary.memoryCopiedMiB : 0,
      durationSec: moved ? p.summary.durationSec : 0,
      cost: s.cost,
      hostsUsed: s.hostsUsed,
      risk: s.risk,
      breaches: s.breaches,
      violations: s.violations,
    };
  };
  const here = point("this plan", plan, "after");
  const there = point("without limits", unlimited, "after");
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    ...plan,
    tradeoff: {
      points: [point("current", plan, "before"), here, there],
      givenUp: { cost: round(here.cost - there.cost), risk: round(here.risk - there.risk), breaches: here.breaches - there.breaches, moves: there.moves - here.moves },
    },
  };
}
