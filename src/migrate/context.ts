import type { Effect, MigrationOptions, MoveKind, Unresolved, WhyTarget, WhyVm } from "../model/migration.js";
import type { Framework } from "../placement/framework.js";
import type { Item, ItemSet } from "../placement/items.js";
import type { PlacementProblem } from "../placement/problem.js";
import type { PlacementState } from "../placement/state.js";
import type { Cluster } from "../model/cluster.js";
import { BALANCE_POINTS_PER_SQ, COST_POINTS_PER_HOST_COST, ENERGY_POINTS_PER_WATT, type GainWeights } from "./points.js";
import type { RiskLedger, VictimModel } from "./risk.js";

/**
 * PlannedMove is one decision of the planner: an item (a VM, or a hard-affinity group that must
 * share a host) goes to `to`. Members already on `to` do not move and are not listed.
 */
export interface PlannedMove {
  readonly vms: readonly number[];
  readonly from: readonly number[];
  readonly to: number;
  readonly kind: MoveKind;
  readonly priority: number;
  readonly gain: number;
  readonly cost: number;
  readonly whyVm: WhyVm;
  readonly whyTarget: WhyTarget;
  readonly effect: readonly Effect[];
}

/** ResolvedMigrationOptions: the options with the cluster's defaults filled in. */
export type ResolvedMigrationOptions = MigrationOptions & { readonly perHostConcurrent: number };

/** MigrateContext is the planner's working state; every phase reads and extends it. */
export interface MigrateContext {
  /** The cluster document (its policy and hosts' power models: the energy section reads them). */
  readonly nominal: Cluster;
  readonly problem: PlacementProblem;
  /** The placer's filters and scorers for this mode (the repair of simulated breaches adds its cuts). */
  fw: Framework;
  readonly items: ItemSet;
  /** The planning state: the start placement with every committed move applied. */
  readonly state: PlacementState;
  readonly model: VictimModel;
  readonly ledger: RiskLedger;
  /** Risk points of the start placement: no plan state may carry more. */
  readonly startRisk: number;
  readonly options: ResolvedMigrationOptions;
  readonly weights: GainWeights;
  readonly rng: () => number;
  readonly now?: () => number;
  /** Start of the planning clock (moved forward past time spent simulating, which the budget does not count). */
  t0: number;
  /** Hosts no VM may move to (the host being evacuated). */
  readonly forbidden: Uint8Array;
  /** Items already moved: a VM migrates at most once in a plan (two-step legs aside). */
  readonly moved: Uint8Array;
  readonly moves: PlannedMove[];
  readonly unresolved: Unresolved[];
  vmMoves: number;
  /** Memory the planned migrations copy, MiB. */
  migratedMiB: number;
  /** Items that may not move at all (a pinned VM in them); `moved` is set for them from the start. */
  readonly pinned: Uint8Array;
  /** The time budget ran out: planning ends. */
  stoppedOn?: "budget";
  /** A move worth making did not fit this limit (planning goes on with moves that do). */
  limitHit?: "max-moves" | "max-migrated";
}

/** stopped: a limit has ended the planning (checked between moves). */
export function stopped(c: MigrateContext): boolean {
  if (c.stoppedOn) return true;
  if (c.now && c.now() - c.t0 >= c.options.timeBudgetMs) c.stoppedOn = "budget";
  return c.stoppedOn !== undefined;
}

/**
 * affordable: the plan may still take `n` more VM migrations copying `mib` MiB. When not, it
 * records which limit bound and planning goes on: a smaller move later may still fit, so under
 * a tight limit the plan is the best the greedy order finds, not its first few moves.
 */
export function affordable(c: MigrateContext, n: number, mib: number): boolean {
  if (c.vmMoves + n > c.options.maxMoves) {
    c.limitHit ??= "max-moves";
    return false;
  }
  if (c.options.maxMigratedMiB !== undefined && c.migratedMiB + mib > c.options.maxMigratedMiB + 1e-9) {
    c.limitHit ??= "max-migrated";
    return false;
  }
  return true;
}

/** Relocation records where an item's VMs were, so that a trial move can be undone exactly. */
export interface Relocation {
  readonly vms: number[];
  readonly from: number[];
  readonly to: number;
}

/** relocate moves an item's VMs to host `to` (no checks: the caller asked the filters). */
export function relocate(c: MigrateContext, item: Item, to: number): Relocation {
  const s = c.state;
  const r: Relocation = { vms: [], from: [], to };
  const touched = new Set<number>([to]);
  for (const j of item.vms) {
    const i = s.hostOf[j];
    if (i === to) continue;
    r.vms.push(j);
    r.from.push(i);
    touched.add(i);
    s.move(j, to);
  }
  for (const i of touched) c.ledger.refresh(i);
  return r;
}

/** undo puts a relocation's VMs back where they were. */
export function undo(c: MigrateContext, r: Relocation): void {
  for (let k = r.vms.length - 1; k >= 0; k--) c.state.move(r.vms[k], r.from[k]);
  for (const i of new Set([r.to, ...r.from])) c.ledger.refresh(i);
}

/** load: mean of a host's memory and vCPU fractions (the balance measure). */
export function load(s: PlacementState, i: number): number {
  const p = s.problem;
  return (s.memUsedMiB[i] / p.hostMemoryMiB[i] + s.vcpusUsed[i] / p.hostVcpuCap[i]) / 2;
}

/**
 * objectiveOn: the weighted points of a set of hosts as they stand (risk, balance, cost, or under
 * min-energy their predicted watts). A move changes only its own hosts, so its gain is this
 * before minus this after, on those hosts.
 */
export function objectiveOn(c: MigrateContext, hosts: readonly number[]): number {
  const s = c.state;
  const energy = c.problem.policy.objective === "min-energy";
  let risk = 0;
  let sq = 0;
  let cost = 0;
  for (const i of hosts) {
    risk += c.ledger.points[i];
    const l = load(s, i);
    sq += l * l;
    if (energy) cost += s.hostWatts(i) * ENERGY_POINTS_PER_WATT;
    else if (s.vmsOn[i].length > 0) cost += c.problem.hostCost[i] * COST_POINTS_PER_HOST_COST;
  }
  const w = c.weights;
  return w.risk * risk + w.balance * BALANCE_POINTS_PER_SQ * sq + w.cost * cost;
}

/** itemsOn: the items with a VM on host i that the plan has not moved yet, in index order. */
export function itemsOn(c: MigrateContext, i: number): Item[] {
  const seen = new Set<number>();
  for (const j of c.state.vmsOn[i]) {
    const k = c.items.itemOf[j];
    if (c.moved[k] === 0) seen.add(k);
  }
  return [...seen].sort((a, b) => a - b).map((k) => c.items.items[k]);
}

/** vmIds: the document ids of VM indices. */
export function vmIds(c: MigrateContext, vms: Iterable<number>): string[] {
  return Array.from(vms, (j) => c.problem.vms[j].id);
}
