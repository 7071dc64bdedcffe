import type { MigrationMode } from "../model/migration.js";
import type { PlacementProblem } from "../placement/problem.js";
import { dirtyRateOf, estimateMigration, planningMbps, type MigrationEstimate } from "./cost-model.js";

/**
 * Gains and costs of a move share one unit, the point, so that "the gain pays for the cost" is a
 * comparison and DRS-like priorities are ratios. The scales below are choices, stated here once:
 *
 * - risk: a latency-sensitive VM is safe below SAFE_RATIO of its SLO; above it, every 10% of its
 *   SLO its predicted tail sits higher is one point (web-3 on h07 at 4.5× its SLO is 38 points).
 * - balance: one point per 0.01 off Σ load² (load = mean of memory and vCPU fractions); moving a
 *   tenth of a host from a 90% to a 30% host is about 5 points.
 * - cost: switching off a host is worth 25 points per unit of host cost (a host-day of power
 *   against copying 200 GiB); under the min-energy objective, one point per 8 W of predicted
 *   draw instead (a host idling at 200 W is worth the same 25 points).
 * - moving costs what the live-migration model (cost-model.ts) predicts: one point per
 *   SECONDS_PER_POINT of migration time (8 GiB of a quiet VM over half a 10 Gbit/s link takes
 *   about that long) plus one point per second of downtime, the pause the VM's users see. A
 *   VM that dirties memory fast costs more than its size: more rounds, a longer pause.
 */
export const SAFE_RATIO = 0.7;
export const RISK_POINTS_PER_RATIO = 10;
export const BALANCE_POINTS_PER_SQ = 100;
export const COST_POINTS_PER_HOST_COST = 25;
export const SECONDS_PER_POINT = 15;
export const DOWNTIME_MS_PER_POINT = 1000;
export const ENERGY_POINTS_PER_WATT = 1 / 8;

/** powerOffPoints: what switching host i off (saving `watts`) is worth, in the objective's unit. */
export function powerOffPoints(p: PlacementProblem, i: number, watts: number): number {
  return p.policy.objective === "min-energy" ? watts * ENERGY_POINTS_PER_WATT : p.hostCost[i] * COST_POINTS_PER_HOST_COST;
}

/** riskPoints of one victim at `ratio` = predicted tail over SLO. */
export function riskPoints(ratio: number): number {
  return ratio > SAFE_RATIO ? (ratio - SAFE_RATIO) * RISK_POINTS_PER_RATIO : 0;
}

/** moveCost: the points one migration costs, from its predicted duration and downtime. */
export function moveCost(e: MigrationEstimate): number {
  return e.durationSec / SECONDS_PER_POINT + e.downtimeMs / DOWNTIME_MS_PER_POINT;
}

/** planningEstimate: VM j's migration from host `from` to `to` at the planning bandwidth. */
export function planningEstimate(p: PlacementProblem, j: number, from: number, to: number): MigrationEstimate {
  const policy = p.cluster.policy.migration;
  const vm = p.vms[j];
  return estimateMigration(vm.memoryMiB, dirtyRateOf(vm, policy), planningMbps(p.hosts[from], p.hosts[to], policy), policy);
}

/** vmMoveCost: the points of moving VM j from `from` to `to`, costed before waves exist. */
export function vmMoveCost(p: PlacementProblem, j: number, from: number, to: number): number {
  return moveCost(planningEstimate(p, j, from, to));
}

/**
 * Weights of the three gains per mode. Risk always counts (no optional move may trade latency
 * for tidiness without paying for it); balance and cost count only where the mode asks for them.
 */
export interface GainWeights {
  readonly risk: number;
  readonly balance: number;
  readonly cost: number;
}

export function gainWeights(mode: MigrationMode): GainWeights {
  switch (mode) {
    case "rebalance":
      return { risk: 1, balance: 1, cost: 0 };
    case "consolidate":
      return { risk: 1, balance: 0, cost: 1 };
    default:
      return { risk: 1, balance: 0, cost: 0 };
  }
}

// Gain over cost a move needs for priority 2, 3, 4 and 5 (priority 1 is mandatory).
const RATIO_FOR_PRIORITY = [16, 8, 4, 1] as const;

/** priorityOf maps a gain/cost ratio to 2 (large) .. 5 (slight), or undefined when it does not pay. */
export function priorityOf(gain: number, cost: number): number | undefined {
  if (!(gain > 0)) return undefined;
  const ratio = cost > 0 ? gain / cost : Infinity;
  for (let k = 0; k < RATIO_FOR_PRIORITY.length; k++) if (ratio >= RATIO_FOR_PRIORITY[k]) return k + 2;
  return undefined;
}
