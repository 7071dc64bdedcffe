import type { MigrationPlan, Move, Unresolved, Wave } from "../model/migration.js";
import { PlacementState } from "../placement/state.js";
import type { MigrateContext } from "./context.js";
import { moveCost } from "./points.js";
import type { MoveGroup, Schedule, ScheduledWave } from "./schedule.js";
import { hostLoads, sideOf, vmLatencies, violationsOf } from "./measure.js";
import type { TimedMigration } from "./wave-timing.js";
import { migrationEnergy } from "./energy.js";
import { serviceChanges } from "./services.js";
import { robustnessSection } from "../placement/robustness/section.js";

/** buildDocument turns the planning context and its schedule into the plan document. */
export function buildDocument(c: MigrateContext, start: Int32Array, schedule: Schedule): MigrationPlan {
  const p = c.problem;
  const before = PlacementState.fromAssignment(p, start);
  const after = schedule.final;
  const moves: Move[] = [];
  let clockSec = 0;
  const waves: Wave[] = schedule.waves.map((w, k) => {
    const steps: number[] = [];
    w.groups.forEach((g, gi) => {
      for (const m of movesOf(c, g, w.timing.migrations[gi], k + 1, moves.length + 1)) (moves.push(m), steps.push(m.step));
    });
    const wave = waveOf(w, k + 1, steps, clockSec);
    clockSec += w.timing.durationSec;
    return wave;
  });
  const o = c.options;
  const policy = p.cluster.policy;
  return {
    kind: "vmplace/migration-plan",
    version: 2,
    options: { mode: o.mode, ...(o.host !== undefined ? { host: o.host } : {}), threshold: o.threshold, maxMoves: o.maxMoves, ...(o.maxMigratedMiB !== undefined ? { maxMigratedMiB: o.maxMigratedMiB } : {}), maxConcurrent: o.maxConcurrent, perHostConcurrent: o.perHostConcurrent, seed: o.seed, timeBudgetMs: o.timeBudgetMs },
    migrationPolicy: { ...policy.migration },
    disruptionBudgets: policy.disruptionBudgets.map((b) => ({ ...b })),
    state: "recommended",
    execution: {},
    stoppedOn: c.stoppedOn ?? c.limitHit ?? "done",
    summary: {
      hosts: p.nHosts,
      vms: p.nVms,
      moves: moves.length,
      vmsMoved: new Set(moves.map((m) => m.vmId)).size,
      memoryCopiedMiB: moves.reduce((s, m) => s + m.memoryMiB, 0),
      waves: waves.length,
      durationSec: round(clockSec),
      worstDowntimeMs: round(Math.max(0, ...moves.map((m) => m.downtimeMs))),
      nonConverging: moves.filter((m) => !m.converged).length,
      before: sideOf(c.model, before),
      after: sideOf(c.model, after),
    },
    moves,
    waves,
    hosts: { before: hostLoads(before), after: hostLoads(after) },
    vms: vmLatencies(c.model, before, after),
    violations: { before: violationsOf(before), after: violationsOf(after) },
    unresolved: [...c.unresolved, ...schedule.unscheduled.map((g) => unscheduled(c, g, schedule.why.get(g.planned)))],
    energy: migrationEnergy(c, start, after.hostOf, moves),
    services: serviceChanges(before, after),
    robustness: robustnessOf(c, after),
  };
}

function waveOf(w: ScheduledWave, index: number, steps: number[], startSec: number): Wave {
  return {
    index,
    steps,
    memoryCopiedMiB: w.memoryCopiedMiB,
    peakMemoryFraction: w.peakMemoryFraction,
    breaches: w.breaches,
    risk: w.risk,
    violations: w.violations,
    startSec: round(startSec),
    durationSec: round(w.timing.durationSec),
    worstDowntimeMs: round(w.timing.worstDowntimeMs),
    linkPeakFraction: Math.round(w.timing.linkPeakFraction * 1000) / 1000,
    transientBreaches: w.transientBreaches,
    transientNewBreaches: w.transientNewBreaches,
    transientWorstRatio: w.transientWorstRatio,
  };
}

/** robustnessOf: what a host failure does to the placement after the plan, when the policy asks. */
function robustnessOf(c: MigrateContext, after: PlacementState): MigrationPlan["robustness"] {
  const pol = c.problem.policy;
  if (pol.robustness !== "n+1" && pol.headroomPercent === 0) return undefined;
  return robustnessSection({ nominal: c.nominal, state: after, fw: c.fw, set: c.items, mode: pol.robustness, headroomPercent: pol.headroomPercent });
}

/** movesOf expands one scheduled group into one Move per VM, the gain shared by memory. */
function movesOf(c: MigrateContext, g: MoveGroup, timed: readonly TimedMigration[], wave: number, firstStep: number): Move[] {
  const p = c.problem;
  const planned = c.moves[g.planned];
  const total = g.vms.reduce((s, j) => s + p.vmMemoryMiB[j], 0);
  const park = g.leg === "park";
  return g.vms.map((j, k) => {
    const mem = p.vmMemoryMiB[j];
    const t = timed[k];
    return {
      step: firstStep + k,
      wave,
      vmId: p.vms[j].id,
      from: p.hosts[g.from[k]].id,
      to: p.hosts[g.to].id,
      priority: planned.priority,
      kind: planned.kind,
      leg: g.leg,
      memoryMiB: mem,
      gain: park ? 0 : round((planned.gain * mem) / Math.max(total, 1)),
      cost: round(moveCost(t)),
      bandwidthMbps: round(t.mbps),
      dirtyMiBps: round(t.dirtyMiBps),
      durationSec: round(t.durationSec),
      downtimeMs: round(t.downtimeMs),
      rounds: t.rounds,
      converged: t.converged,
      whyVm: planned.whyVm,
      whyTarget: park ? { scores: {}, total: 0, feasible: 0, rejected: {}, temporary: true } : planned.whyTarget,
      effect: park ? [] : [...planned.effect],
      state: "recommended",
      attempts: [],
    };
  });
}

function unscheduled(c: MigrateContext, g: MoveGroup, limit: string | undefined): Unresolved {
  const p = c.problem;
  const why = limit ?? "every remaining move waits on another, and no host can hold one of them meanwhile";
  return {
    kind: "unscheduled",
    hostId: p.hosts[g.from[0]].id,
    vmIds: g.vms.map((j) => p.vms[j].id),
    reason: `no safe order moves it to ${p.hosts[g.to].id}: ${why}`,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
