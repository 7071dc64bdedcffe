import seedrandom from "seedrandom";
import type { Predictor } from "../interference/predictor.js";
import type { Cluster } from "../model/cluster.js";
import { MigrationOptionsSchema, type MigrationOptionsInput, type MigrationPlan } from "../model/migration.js";
import { isPinned } from "../model/fleet-policy.js";
import { buildItems, type ItemSet } from "../placement/items.js";
import { buildProblem } from "../placement/problem.js";
import { frameworkFor } from "../placement/profile.js";
import { PlacementState } from "../placement/state.js";
import { fixBreaches } from "./breach.js";
import { consolidate } from "./consolidate.js";
import type { MigrateContext } from "./context.js";
import { buildDocument } from "./document.js";
import { evacuate, fixViolations } from "./mandatory.js";
import { reduceRisk, rebalance } from "./optional.js";
import { migrationProfile, optionProblems } from "./options.js";
import { gainWeights } from "./points.js";
import { RiskLedger, VictimModel } from "./risk.js";
import { scheduleMoves, type MoveGroup } from "./schedule.js";
import { restoreHeadroom } from "./headroom.js";
import { fixServices } from "./services.js";

export interface PlanMigrationsDeps {
  /** Clock in ms for the time budget (the CLI passes performance.now); none = no budget. */
  readonly now?: () => number;
  /** Called as each phase starts, with the migrations planned so far (progress on long plans). */
  readonly onPhase?: (phase: Phase, movesSoFar: number) => void;
}

export type Phase = "evacuate" | "violations" | "breaches" | "services" | "headroom" | "risk" | "rebalance" | "consolidate" | "waves";

/**
 * planMigrations recommends live migrations from the cluster's current placement (each VM's
 * `host`): first every mandatory move (evacuation, hard-constraint violations, predicted SLO
 * breaches of VMs and fan-out services, the policy's headroom), then, as the threshold admits, moves whose gain in risk (and balance or cost, by
 * mode) pays for the memory they copy; every target passes the placer's filters and is ranked by
 * its scorers. The moves are then ordered into safe waves (scheduleMoves).
 *
 * Pure: same cluster, predictor, options and seed give the same plan, unless the time budget
 * (with `now`) stops it, which the plan then says. Cost: O(VMs + hosts) to set up and measure,
 * plus O(sampled hosts) per target search, a bounded number of searches per move.
 *
 * Throws when the options do not fit the cluster (an unknown host to evacuate, no VM with a
 * current host): callers at the edges check optionProblems first and report them as input errors.
 */
export function planMigrations(cluster: Cluster, predictor: Predictor, input: MigrationOptionsInput = {}, deps: PlanMigrationsDeps = {}): MigrationPlan {
  return planMigrationSession(cluster, predictor, input, deps).plan;
}

/**
 * MigrationSession is a finished planning run kept open: its context (the planning state with
 * every planned move applied) and the start placement, so that a later step (the repair of
 * simulated breaches, resimulateAndRepair) may add moves and schedule the plan again.
 */
export interface MigrationSession {
  readonly c: MigrateContext;
  readonly start: Int32Array;
}

/** planMigrationSession is planMigrations that also hands back its session. Pure, like it. */
export function planMigrationSession(cluster: Cluster, predictor: Predictor, input: MigrationOptionsInput = {}, deps: PlanMigrationsDeps = {}): { plan: MigrationPlan; session: MigrationSession } {
  const parsed = MigrationOptionsSchema.parse(input);
  const options = { ...parsed, perHostConcurrent: parsed.perHostConcurrent ?? cluster.policy.migration.concurrentPerHost };
  const problems = optionProblems(cluster, options);
  if (problems.length > 0) throw new Error(`planMigrations: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  const problem = buildProblem(cluster, predictor);
  const fw = frameworkFor(migrationProfile(options.mode, cluster.services.length > 0, cluster.policy.objective));
  const hostIndex = new Map(problem.hosts.map((h, i) => [h.id, i]));
  const start = Int32Array.from(problem.vms, (v) => (v.host === undefined ? -1 : hostIndex.get(v.host)!));
  const state = PlacementState.fromAssignment(problem, start);
  const model = new VictimModel(problem);
  const items = buildItems(problem);
  const ledger = new RiskLedger(model, state);
  const c: MigrateContext = {
    nominal: cluster,
    problem,
    fw,
    items,
    state,
    model,
    ledger,
    startRisk: ledger.totalPoints,
    options,
    weights: gainWeights(options.mode),
    rng: seedrandom.alea(`vmplace-migrate:${options.seed}`),
    now: deps.now,
    t0: deps.now?.() ?? 0,
    forbidden: new Uint8Array(problem.nHosts),
    // A pinned item counts as moved from the start: no phase may pick it.
    moved: pinnedItems(cluster, items),
    pinned: pinnedItems(cluster, items),
    moves: [],
    unresolved: [],
    vmMoves: 0,
    migratedMiB: 0,
  };
  runPhases(c, (phase) => deps.onPhase?.(phase, c.vmMoves));
  deps.onPhase?.("waves", c.vmMoves);
  const session = { c, start };
  return { plan: schedulePlan(session), session };
}

/** schedulePlan orders every move planned so far into safe waves and builds the plan document. */
export function schedulePlan({ c, start }: MigrationSession): MigrationPlan {
  const groups: MoveGroup[] = c.moves.map((m, k) => ({ planned: k, vms: m.vms, from: m.from, to: m.to, leg: "direct", mandatory: m.priority === 1 }));
  const schedule = scheduleMoves(c.problem, c.fw, c.model, start, groups, {
    maxConcurrent: c.options.maxConcurrent,
    perHostConcurrent: c.options.perHostConcurrent,
    extraMoves: c.options.maxMoves - c.vmMoves,
    extraMiB: c.options.maxMigratedMiB === undefined ? Infinity : c.options.maxMigratedMiB - c.migratedMiB,
    forbidden: c.forbidden,
    budgets: c.problem.cluster.policy.disruptionBudgets,
  });
  return buildDocument(c, start, schedule);
}

/** runPhases: mandatory moves first (priority 1), then the optional ones the threshold admits. */
function runPhases(c: MigrateContext, phase: (p: Phase) => void): void {
  const o = c.options;
  if (o.mode === "evacuate" && o.host !== undefined) {
    phase("evacuate");
    evacuate(c, c.problem.hosts.findIndex((h) => h.id === o.host));
  }
  phase("violations");
  fixViolations(c);
  phase("breaches");
  fixBreaches(c);
  phase("services");
  fixServices(c);
  phase("headroom");
  restoreHeadroom(c);
  if (o.threshold < 2) return;
  phase("risk");
  reduceRisk(c);
  if (o.mode === "rebalance") (phase("rebalance"), rebalance(c));
  if (o.mode === "consolidate") (phase("consolidate"), consolidate(c));
}

/** pinnedItems: 1 for each item holding a VM that may not move (its flag or a policy selector). */
function pinnedItems(cluster: Cluster, items: ItemSet): Uint8Array {
  const out = new Uint8Array(items.items.length);
  cluster.vms.forEach((vm, j) => {
    if (isPinned(vm, cluster.policy.pinned)) out[items.itemOf[j]] = 1;
  });
  return out;
}
