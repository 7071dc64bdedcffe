import type { Effect, MoveKind, WhyTarget, WhyVm } from "../model/migration.js";
import type { Item } from "../placement/items.js";
import { objectiveOn, relocate, undo, type MigrateContext, type PlannedMove, type Relocation } from "./context.js";
import { vmMoveCost } from "./points.js";

/** Trial is a move applied to the planning state and measured, not yet kept. */
export interface Trial {
  readonly item: Item;
  readonly r: Relocation;
  /** Points gained on the move's hosts (risk, balance, cost by the mode's weights). */
  readonly gain: number;
  /** Points the migrations cost (the live-migration model's time and downtime). */
  readonly cost: number;
  readonly before: ReadonlyMap<number, number>;
}

/** tryMove applies item → host `to` and measures it; keep() or drop() it next. */
export function tryMove(c: MigrateContext, item: Item, to: number): Trial {
  const s = c.state;
  const hosts = [...new Set([to, ...Array.from(item.vms, (j) => s.hostOf[j])])];
  const before = snapshot(c, hosts);
  const objBefore = objectiveOn(c, hosts);
  const r = relocate(c, item, to);
  let cost = 0;
  r.vms.forEach((j, k) => (cost += vmMoveCost(c.problem, j, r.from[k], to)));
  return { item, r, gain: objBefore - objectiveOn(c, hosts), cost, before };
}

/** drop undoes a trial. */
export function drop(c: MigrateContext, t: Trial): void {
  undo(c, t.r);
}

export interface MoveMeta {
  kind: MoveKind;
  priority: number;
  whyVm: WhyVm;
  whyTarget: WhyTarget;
  /** The move's share of a batch's gain, when the gain belongs to the batch (consolidation). */
  gain?: number;
}

/** keep records a trial as a planned move, with its predicted effect on the victims it touches. */
export function keep(c: MigrateContext, t: Trial, meta: MoveMeta): PlannedMove {
  const after = snapshot(c, hostsOfTrial(t));
  const move: PlannedMove = {
    vms: t.r.vms,
    from: t.r.from,
    to: t.r.to,
    ...meta,
    gain: round(meta.gain ?? t.gain),
    cost: round(t.cost),
    effect: effectsOf(c, t, after),
  };
  c.moves.push(move);
  c.moved[c.items.itemOf[t.item.vms[0]]] = 1;
  c.vmMoves += t.r.vms.length;
  for (const j of t.r.vms) c.migratedMiB += c.problem.vmMemoryMiB[j];
  return move;
}

function hostsOfTrial(t: Trial): number[] {
  return [...new Set([t.r.to, ...t.r.from])];
}

/** snapshot: predicted request p99.9 of every latency-sensitive VM on these hosts. */
export function snapshot(c: MigrateContext, hosts: readonly number[]): Map<number, number> {
  const s = c.state;
  const out = new Map<number, number>();
  for (const i of hosts)
    for (const j of s.vmsOn[i]) {
      if (c.problem.latencySensitive[j] !== 1) continue;
      out.set(j, c.model.p999Us(s, j));
    }
  return out;
}

// A move's explanation lists at most this many VMs: the moved ones, then the largest changes.
const MAX_EFFECTS = 12;

function effectsOf(c: MigrateContext, t: Trial, after: ReadonlyMap<number, number>): Effect[] {
  const moved = new Set(t.r.vms);
  const out: (Effect & { delta: number })[] = [];
  for (const [j, a] of after) {
    const b = t.before.get(j);
    if (b === undefined) continue;
    const role = moved.has(j) ? "moved" : c.state.hostOf[j] === t.r.to ? "neighbour" : "helped";
    if (role !== "moved" && Math.abs(a - b) < 1) continue;
    const slo = c.model.slo999[j];
    out.push({
      vmId: c.problem.vms[j].id,
      role,
      beforeP999Us: round(b),
      afterP999Us: round(a),
      ...(slo !== Infinity ? { sloP999Us: slo } : {}),
      delta: role === "moved" ? Infinity : Math.abs(a - b),
    });
  }
  out.sort((x, y) => y.delta - x.delta || (x.vmId < y.vmId ? -1 : 1));
  return out.slice(0, MAX_EFFECTS).map(({ delta: _d, ...e }) => e);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
