import { Pct, type Predictor } from "../interference/predictor.js";
import type { Cluster } from "../model/cluster.js";
import type { MigrationPlan, SimulatedHost, WhyVm } from "../model/migration.js";
import type { SimRunner } from "../sim/runner.js";
import { Framework } from "../placement/framework.js";
import { validationCut } from "../placement/plugins/validation-cut.js";
import { DEMAND_EPS, demandExcess, fittingHog, mostHarmful, repairTarget } from "../placement/validate-plan.js";
import { stopped, vmIds, type MigrateContext } from "./context.js";
import { moveMandatory, noTarget } from "./mandatory.js";
import { schedulePlan, type MigrationSession } from "./plan-migrations.js";
import { changedHostsOf, finalHostsOf, simulateHosts, worstChanged, type ResimulateOptions, type SimulatedVerdict } from "./resimulate.js";

/** Repair rounds after the first simulation: each adds moves, schedules, re-simulates. */
export const REPAIR_ROUNDS = 2;
/** At most this many VMs leave one breaching host per round (as the placer's repair). */
const MAX_EVICTIONS = 8;

export interface RepairOptions extends ResimulateOptions {
  /** Repair rounds (default REPAIR_ROUNDS); 0 only re-simulates. */
  readonly maxRounds?: number;
  /**
   * Hosts to simulate (and repair) too though the plan does not change them: a host whose breach
   * only the simulation sees has no predicted breach for the planner to move VMs off (the
   * what-if advisor asks for the moves that would fix it).
   */
  readonly alsoHosts?: readonly string[];
}

/**
 * resimulateAndRepair re-simulates the plan's worst changed hosts (as resimulate does), then
 * repairs what the simulation finds: every simulated host where a latency-sensitive VM's p99 or
 * p99.9 breaches its SLO is treated as breached with the simulated numbers, as the placer's
 * validateByResimulation does. Its most harmful CPU-bound VMs (largest cut in the host's
 * predicted delay; not yet moved by the plan) get mandatory fix-breach moves to the best target
 * that passes every filter, until the predicted delay, scaled by how far the simulation outran
 * the prediction, fits the victim's slack. A cut keeps CPU-bound vCPUs from coming back onto that
 * host, and no target is a host the simulation saw breaching. The whole plan is then scheduled
 * into safe waves again and only the hosts whose final VMs changed are simulated again, for at
 * most maxRounds rounds. The plan says how many breaches were found, repaired and left.
 *
 * Mutates the session (its moves); deterministic for a seed (simulations are pure). The time
 * spent simulating does not count against the planning budget.
 */
export async function resimulateAndRepair(cluster: Cluster, predictor: Predictor, session: MigrationSession, plan: MigrationPlan, runner: SimRunner, o: RepairOptions): Promise<MigrationPlan> {
  const c = session.c;
  const clock = async <T>(f: () => Promise<T>): Promise<T> => {
    const t = c.now?.();
    try {
      return await f();
    } finally {
      if (t !== undefined) c.t0 += c.now!() - t;
    }
  };
  const changed = changedHostsOf(plan);
  let finalHost = finalHostsOf(cluster, plan);
  const extra = (o.alsoHosts ?? []).filter((h) => !changed.includes(h));
  const first = await clock(() => simulateHosts(cluster, predictor, plan, finalHost, [...worstChanged(cluster, plan, finalHost, changed, o.maxHosts), ...extra], runner, o));
  const hosts = new Map(first.hosts.map((h) => [h.hostId, h]));
  const verdicts = first.verdicts;
  const found = [...verdicts].filter(([, v]) => v.breach).map(([id]) => id);
  const cuts = new Map<number, number>();
  const firstRepair = c.moves.length;
  const vmMovesBefore = c.vmMoves;
  let rounds = 0;
  while (rounds < (o.maxRounds ?? REPAIR_ROUNDS) && found.length > 0) {
    const breaching = breachingHosts(c, verdicts);
    if (breaching.size === 0) break;
    rounds++;
    const planned = c.moves.length;
    repairRound(c, cuts, breaching);
    if (c.moves.length === planned) break;
    plan = schedulePlan(session);
    const next = finalHostsOf(cluster, plan);
    const touched = touchedHosts(finalHost, next);
    finalHost = next;
    for (const h of touched) hosts.delete(h);
    for (const [id, v] of verdicts) if (touched.has(v.hostId) || finalHost.get(id) !== v.hostId) verdicts.delete(id);
    const again = await clock(() => simulateHosts(cluster, predictor, plan, finalHost, [...touched].sort(), runner, { ...o, onProgress: undefined }));
    for (const h of again.hosts) hosts.set(h.hostId, h);
    for (const [id, v] of again.verdicts) verdicts.set(id, v);
  }
  const predicted = new Map(plan.vms.map((v) => [v.vmId, v.afterP999Us]));
  const simulated = [...hosts.values()].sort((a, b) => (a.hostId < b.hostId ? -1 : 1)).map((h) => withPredicted(h, predicted));
  const breaches = simulated.reduce((n, h) => n + h.vms.filter((v) => v.breach).length, 0);
  const repaired = found.filter((id) => verdicts.get(id)?.breach === false).length;
  const moves = c.moves.length > firstRepair ? c.vmMoves - vmMovesBefore : 0;
  return {
    ...plan,
    simulation: { durationMs: o.durationMs, changedHosts: changedHostsOf(plan).length, hosts: simulated, breaches, repair: { rounds, found: found.length, repaired, moves } },
  };
}

/** breachingHosts: per host (index) with a simulated breach, its worst victim and verdict. */
function breachingHosts(c: MigrateContext, verdicts: ReadonlyMap<string, SimulatedVerdict>): Map<number, { victim: number; v: SimulatedVerdict }> {
  const p = c.problem;
  const hostIndex = new Map(p.hosts.map((h, i) => [h.id, i]));
  const vmIndex = new Map(p.vms.map((v, j) => [v.id, j]));
  const over = (j: number, v: SimulatedVerdict): number => Math.max(v.p999Us / (p.profiles[j].sloP999Us ?? Infinity), v.p99Us / (p.profiles[j].sloP99Us ?? Infinity));
  const out = new Map<number, { victim: number; v: SimulatedVerdict }>();
  for (const [id, v] of [...verdicts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!v.breach) continue;
    const i = hostIndex.get(v.hostId)!;
    const j = vmIndex.get(id)!;
    const cur = out.get(i);
    if (cur === undefined || over(j, v) > over(cur.victim, cur.v)) out.set(i, { victim: j, v });
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

/** repairRound adds the mandatory moves for every simulated-breaching host, lowest index first. */
function repairRound(c: MigrateContext, cuts: Map<number, number>, breaching: ReadonlyMap<number, { victim: number; v: SimulatedVerdict }>): void {
  const fw = c.fw;
  c.fw = new Framework([...fw.filters, validationCut(cuts)], fw.scorers);
  const exclude = new Set(breaching.keys());
  try {
    for (const [i, { victim, v }] of breaching) {
      if (stopped(c)) return;
      repairHost(c, cuts, exclude, i, victim, v);
    }
  } finally {
    c.fw = fw;
  }
}

function repairHost(c: MigrateContext, cuts: Map<number, number>, exclude: ReadonlySet<number>, i: number, victim: number, v: SimulatedVerdict): void {
  const s = c.state;
  const p = c.problem;
  // The planning state has the host as the simulation saw it unless a move of the plan was left
  // unscheduled; a victim that is no longer there is not this host's to repair.
  if (s.hostOf[victim] !== i) return;
  const { metric, target, blind } = repairTarget(s, i, victim, { host: i, p99Us: v.p99Us, p999Us: v.p999Us, requests: v.requests, breach: true });
  // A breach the prediction is blind to: CPU-bound VMs leave until a core's worth of demand is free (validate-plan.ts).
  let excess = blind ? demandExcess(s, i) : 0;
  const hs = s.hostStates[i];
  const helps = vmIds(c, s.vmsOn[i].filter((j) => p.latencySensitive[j] === 1).sort((a, b) => a - b));
  const stuck = new Set<number>();
  const movable = (j: number): boolean => c.moved[c.items.itemOf[j]] === 0 && !stuck.has(j);
  let moved = 0;
  let why = "no CPU-bound VM on it may still move";
  const vt = p.victims[victim]!;
  // The simulation breached: at least one eviction even where the predictor saw no delay at all.
  const more = (): boolean => (blind ? excess > DEMAND_EPS : hs.victimDelayUs(vt, metric) > target);
  while (moved < MAX_EVICTIONS && (moved === 0 || more()) && !stopped(c)) {
    const worst = excess > DEMAND_EPS ? fittingHog(s, c.items, i, victim, excess, movable) : mostHarmful(s, c.items, i, victim, metric, movable);
    if (worst < 0) break;
    const cap = Math.min(s.aggressorVcpus[i] - p.profiles[worst].cpuVcpus, cuts.get(i) ?? Infinity);
    cuts.set(i, cap);
    const item = c.items.items[c.items.itemOf[worst]];
    const d0 = hs.victimDelayUs(vt, Pct.P999);
    hs.remove(p.profiles[worst], p.victims[worst]);
    const removed = Math.max(0, d0 - hs.victimDelayUs(vt, Pct.P999));
    hs.add(p.profiles[worst], p.victims[worst]);
    const whyVm: WhyVm = { code: "aggressor", delayRemovedUs: Math.round(removed), helps, alternatives: s.vmsOn[i].length - 1 };
    const t = moveMandatory(c, item, "fix-breach", whyVm, { exclude });
    if (t === undefined) return;
    if (t.host < 0) {
      why = noTarget(t);
      // It stays; the next most harmful VM is tried instead.
      stuck.add(worst);
      continue;
    }
    moved++;
    excess -= p.profiles[worst].demandCpus;
  }
  if (moved === 0)
    c.unresolved.push({ kind: "breach", hostId: p.hosts[i].id, vmIds: vmIds(c, [victim]), reason: `simulated breach (p99.9 ${Math.round(v.p999Us)} µs): ${why}` });
}

/** touchedHosts: hosts whose final VMs differ between two final placements. */
function touchedHosts(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [vm, h] of a) if (b.get(vm) !== h) (out.add(h), b.get(vm) !== undefined && out.add(b.get(vm)!));
  for (const [vm, h] of b) if (!a.has(vm)) out.add(h);
  return out;
}

/** withPredicted: a simulated host with each VM's predicted p99.9 from the final plan document. */
function withPredicted(h: SimulatedHost, predicted: ReadonlyMap<string, number>): SimulatedHost {
  return { ...h, vms: h.vms.map((v) => ({ ...v, predictedP999Us: predicted.get(v.vmId) ?? v.predictedP999Us })) };
}
