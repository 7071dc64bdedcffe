import { Pct } from "../interference/predictor.js";
import type { TailCurve } from "../interference/tail.js";
import type { HostSimResult } from "../model/scenario.js";
import { isSimulated } from "../sim/schedulers/registry.js";
import type { SimJob, SimRunner } from "../sim/runner.js";
import { Framework } from "./framework.js";
import { tryPlaceItem, type ItemSet } from "./items.js";
import { validationCut } from "./plugins/validation-cut.js";
import type { PlacementState } from "./state.js";
import { HostOpener } from "./solvers/ffd.js";

export interface ValidationOptions {
  /** Runs the host simulations: a WorkerPool sized to the machine (CLI) or inlineRunner (tests). */
  readonly runner: SimRunner;
  /** Simulated time measured per host, after warm-up, in ms. */
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Simulate, repair, re-simulate at most this many times in all. */
  readonly maxRounds: number;
  readonly seed: number;
  readonly onProgress?: (fraction: number) => void;
}

/** SimulatedVm: one latency-sensitive VM's simulated request percentiles, in µs. */
export interface SimulatedVm {
  readonly host: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly requests: number;
  readonly breach: boolean;
  /** The simulated request-latency tail (fan-out services' tails are computed from it). */
  readonly tail?: TailCurve;
}

export interface RepairRecord {
  readonly round: number;
  readonly host: number;
  readonly victim: number;
  readonly moved: number;
  readonly to?: number;
  readonly maxAggressorVcpus: number;
}

export interface ValidationResult {
  readonly rounds: number;
  readonly hostsSimulated: number;
  readonly breachesBefore: number;
  readonly breachesAfter: number;
  readonly repairs: readonly RepairRecord[];
  /** Latest simulation of every latency-sensitive VM on a simulated host, by VM index. */
  readonly vms: ReadonlyMap<number, SimulatedVm>;
  /** Hosts whose scheduler the simulator does not implement (left unvalidated). */
  readonly unsimulated: readonly number[];
}

/**
 * validateByResimulation simulates every used host that carries a latency-sensitive VM (in
 * parallel through the runner), and repairs each host whose simulated p99 or p99.9 breaches an
 * SLO: the CPU-bound VM whose removal cuts the host's predicted delay most moves to another host
 * that passes every filter, and a cut caps the host's CPU-bound vCPUs below the composition that
 * breached. Only the hosts a repair touched are simulated again, for at most maxRounds rounds.
 * Mutates `state` (the repairs); deterministic for a seed (simulations are pure).
 */
export async function validateByResimulation(state: PlacementState, fw: Framework, set: ItemSet, o: ValidationOptions): Promise<ValidationResult> {
  const p = state.problem;
  const cuts = new Map<number, number>();
  const repairFw = new Framework([...fw.filters, validationCut(cuts)], fw.scorers);
  const latest = new Map<number, SimulatedVm>();
  const repairs: RepairRecord[] = [];
  const unsimulated: number[] = [];
  let todo = state.usedList.filter((i) => state.victimCount[i] > 0).sort((a, b) => a - b);
  for (const i of todo) if (!isSimulated(p.hosts[i].scheduler.kind)) unsimulated.push(i);
  todo = todo.filter((i) => isSimulated(p.hosts[i].scheduler.kind));
  const simulated = new Set<number>();
  let before = 0;
  let rounds = 0;
  while (todo.length > 0 && rounds < o.maxRounds) {
    rounds++;
    const results = await o.runner.runAll(todo.map((i) => jobFor(state, i, o)), (d, n) => o.onProgress?.(rounds === 1 ? d / n : 1));
    // Per breaching host, its worst victim (largest simulated p99.9 over SLO).
    const breaching = new Map<number, number>();
    const over = (j: number): number => Math.max(latest.get(j)!.p999Us / (p.profiles[j].sloP999Us ?? Infinity), latest.get(j)!.p99Us / (p.profiles[j].sloP99Us ?? Infinity));
    results.forEach((r, k) => {
      simulated.add(todo[k]);
      for (const [j, v] of readVictims(state, todo[k], r)) {
        latest.set(j, v);
        const cur = breaching.get(todo[k]);
        if (v.breach && (cur === undefined || over(j) > over(cur))) breaching.set(todo[k], j);
      }
    });
    if (rounds === 1) before = [...latest.values()].filter((v) => v.breach).length;
    if (breaching.size === 0 || rounds === o.maxRounds) break;
    const touched = new Set<number>();
    for (const [i, victim] of [...breaching].sort((a, b) => a[0] - b[0])) {
      for (const rec of repairHost(state, repairFw, set, cuts, i, victim, latest.get(victim)!, rounds)) {
        repairs.push(rec);
        touched.add(i);
        if (rec.to !== undefined) touched.add(rec.to);
      }
    }
    for (const [j, v] of latest) if (state.hostOf[j] !== v.host) latest.delete(j);
    todo = [...touched].filter((i) => state.victimCount[i] > 0 && isSimulated(p.hosts[i].scheduler.kind)).sort((a, b) => a - b);
  }
  const after = [...latest.values()].filter((v) => v.breach).length;
  return { rounds, hostsSimulated: simulated.size, breachesBefore: before, breachesAfter: after, repairs, vms: latest, unsimulated };
}

function jobFor(state: PlacementState, i: number, o: ValidationOptions): SimJob {
  const p = state.problem;
  const vms = [...state.vmsOn[i]].sort((a, b) => a - b).map((j) => p.vms[j]);
  const scenario = { host: p.hosts[i], vms, durationMs: o.durationMs, warmupMs: o.warmupMs, seed: o.seed };
  // Fan-out services' tails are computed from their members' simulated tails.
  return p.cluster.services.length > 0 ? { scenario, options: { requestTail: true } } : { scenario };
}

/** readVictims turns a host's simulation into each latency-sensitive VM's verdict. */
function readVictims(state: PlacementState, i: number, r: HostSimResult): [number, SimulatedVm][] {
  const p = state.problem;
  const index = new Map(state.vmsOn[i].map((j) => [p.vms[j].id, j]));
  const out: [number, SimulatedVm][] = [];
  for (const v of r.vms) {
    const j = index.get(v.id);
    if (j === undefined || !p.victims[j]) continue;
    const pr = p.profiles[j];
    const lat = v.requestLatency;
    const breach = (pr.sloP999Us !== undefined && lat.p999Us > pr.sloP999Us) || (pr.sloP99Us !== undefined && lat.p99Us > pr.sloP99Us);
    out.push([j, { host: i, p99Us: lat.p99Us, p999Us: lat.p999Us, requests: lat.count, breach, tail: v.requestTail }]);
  }
  return out;
}

/** At most this many VMs leave one breaching host per round. */
const MAX_EVICTIONS = 8;

/**
 * repairHost evicts CPU-bound VMs from a breaching host, most harmful first (largest drop in the
 * breaching victim's predicted delay when removed; ties: more CPU-bound vCPUs, then lower index),
 * until that delay, scaled by how far the simulation outran the prediction on this host, fits the
 * victim's slack. Where the prediction is blind to the breach (repairTarget's `blind`), the fitting
 * CPU-bound VMs instead, until the host's demand leaves a core free (at least one). Each eviction
 * tightens the host's cut. One record per move.
 */
function repairHost(state: PlacementState, fw: Framework, set: ItemSet, cuts: Map<number, number>, i: number, victim: number, sim: SimulatedVm, round: number): RepairRecord[] {
  const p = state.problem;
  const hs = state.hostStates[i];
  const { metric, target, blind } = repairTarget(state, i, victim, sim);
  const v = p.victims[victim]!;
  const out: RepairRecord[] = [];
  // A breach the prediction is blind to cannot size the evictions (nor its ratio to the simulation
  // scale the target: a core freed can raise the predicted delay from 0): the host's demand can.
  let excess = blind ? demandExcess(state, i) : 0;
  const more = (): boolean => (blind ? excess > DEMAND_EPS : hs.victimDelayUs(v, metric) > target);
  // The simulation breached: at least one eviction even where the predictor saw no delay at all.
  while (out.length < MAX_EVICTIONS && (out.length === 0 || more())) {
    const worst = excess > DEMAND_EPS ? fittingHog(state, set, i, victim, excess) : mostHarmful(state, set, i, victim, metric);
    if (worst < 0) break;
    excess -= p.profiles[worst].demandCpus;
    cuts.set(i, Math.min(state.aggressorVcpus[i] - p.profiles[worst].cpuVcpus, cuts.get(i) ?? Infinity));
    state.unassign(worst);
    const to = relocateFor(state, fw, set.items[set.itemOf[worst]], i);
    if (to < 0) state.assign(worst, i);
    out.push({ round, host: i, victim, moved: worst, to: to >= 0 ? to : undefined, maxAggressorVcpus: cuts.get(i)! });
    if (to < 0) break;
  }
  return out;
}

/**
 * A breach is blind when the predicted delay is under this share of the delay simulated (over the
 * victim's alone latency): the prediction then says nothing of how many VMs must leave.
 */
export const BLIND_SHARE = 0.05;

/** Demand within this of fitting fits (sums of duties are not exact). */
export const DEMAND_EPS = 1e-9;

/**
 * demandExcess: how far host i's mean CPU demand (every VM's demandCpus: CPU-bound duty x vCPUs
 * plus requests' service, the victim's included) exceeds its cores less one, 0 when it fits: what
 * a breach the prediction is blind to (repairTarget's `blind`) evicts. The simulator's reason
 * (docs/accuracy.md, fifteenth round): once every core is held, CFS's load balancer moves the
 * surplus CPU-bound vCPUs between cores, each arrives with sleeper credit on its new core and a
 * waking io vCPU cannot preempt it (it waits out a slice), and a victim with several vCPUs has a
 * group entity too light on each core to preempt any runner; every core's model predicts no delay
 * there. With a core's worth of demand free, the wakers find an idle core.
 */
export function demandExcess(state: PlacementState, i: number): number {
  const p = state.problem;
  let demand = 0;
  for (const j of state.vmsOn[i]) demand += p.profiles[j].demandCpus;
  const excess = demand - (p.hostCores[i] - 1);
  return excess > DEMAND_EPS ? excess : 0;
}

/**
 * fittingHog: the one-VM CPU-bound item other than the victim to evict for `excess` demand
 * (demandCpus): the smallest whose demand covers it, else the largest (fewest moves, least
 * overshoot); VMs without an SLO before latency-sensitive ones; ties to the lower index; `movable`
 * may rule VMs out (as mostHarmful's). -1 when none.
 */
export function fittingHog(state: PlacementState, set: ItemSet, i: number, victim: number, excess: number, movable: (j: number) => boolean = () => true): number {
  const p = state.problem;
  let best = -1;
  for (const j of [...state.vmsOn[i]].sort((a, b) => a - b)) {
    if (j === victim || p.profiles[j].cpuVcpus === 0 || set.items[set.itemOf[j]].vms.length > 1 || !movable(j)) continue;
    if (best < 0 || evictsBefore(p.latencySensitive[j], p.profiles[j].demandCpus, p.latencySensitive[best], p.profiles[best].demandCpus, excess)) best = j;
  }
  return best;
}

/** evictsBefore: fittingHog's order, strict (an equal one keeps the lower index). */
function evictsBefore(lsA: number, a: number, lsB: number, b: number, excess: number): boolean {
  if (lsA !== lsB) return lsA < lsB;
  const coversA = a >= excess;
  if (coversA !== b >= excess) return coversA;
  return coversA ? a < b : a > b;
}

/**
 * repairTarget: the predicted delay the host must get under. The simulation measured the victim
 * at sim; the predictor said baseline + delay; their ratio on the delay part is how much this
 * composition's real harm exceeds the prediction, so the slack divided by it is the target.
 */
export function repairTarget(state: PlacementState, i: number, victim: number, sim: SimulatedVm): { metric: Pct; target: number; blind: boolean } {
  const p = state.problem;
  const pr = p.profiles[victim];
  const v = p.victims[victim]!;
  const on999 = pr.sloP999Us !== undefined && sim.p999Us > pr.sloP999Us;
  const metric = on999 ? Pct.P999 : Pct.P99;
  const slo = (on999 ? pr.sloP999Us : pr.sloP99Us) ?? Infinity;
  const alone = on999 ? v.tail.base999Us : v.tail.base99Us;
  const slack = slo - alone;
  const measured = on999 ? sim.p999Us : sim.p99Us;
  const predicted = state.hostStates[i].victimDelayUs(v, metric);
  const factor = Math.max(1, (measured - alone) / Math.max(predicted, 1));
  return { metric, target: Math.max(0, slack / factor), blind: predicted < BLIND_SHARE * (measured - alone) };
}

/**
 * mostHarmful: the one-VM CPU-bound item other than the victim whose removal cuts the victim's
 * predicted delay most (-1 when none); `movable` may rule VMs out (a migration plan moves a VM at
 * most once).
 */
export function mostHarmful(state: PlacementState, set: ItemSet, i: number, victim: number, metric: Pct, movable: (j: number) => boolean = () => true): number {
  const p = state.problem;
  const hs = state.hostStates[i];
  const v = p.victims[victim]!;
  const base = hs.victimDelayUs(v, metric);
  let worst = -1;
  let worstDrop = -Infinity;
  for (const j of [...state.vmsOn[i]].sort((a, b) => a - b)) {
    const pr = p.profiles[j];
    // A mixed victim is CPU-bound too, but not its own neighbour: its delay without itself is undefined.
    if (j === victim || pr.cpuVcpus === 0 || set.items[set.itemOf[j]].vms.length > 1 || !movable(j)) continue;
    hs.remove(pr, p.victims[j]);
    const drop = base - hs.victimDelayUs(v, metric);
    hs.add(pr, p.victims[j]);
    if (drop > worstDrop || (drop === worstDrop && pr.cpuVcpus > p.profiles[worst].cpuVcpus)) [worst, worstDrop] = [j, drop];
  }
  return worst;
}

/**
 * relocateFor moves an item off a breaching host to the used host that stays safest (largest
 * predicted SLO margin once it joins: a host without latency-sensitive VMs is safest of all for
 * a CPU-bound VM), ties to the fuller host; else it opens one. A repair buys safety, not packing:
 * sending every evicted VM to the fullest host piles them up where the predictor is least sure.
 */
function relocateFor(state: PlacementState, fw: Framework, item: ItemSet["items"][number], from: number): number {
  const p = state.problem;
  let best = -1;
  let bestKey = -Infinity;
  let bestLoad = -1;
  const j0 = item.vms[0];
  for (const h of [...state.usedList].sort((a, b) => a - b)) {
    if (h === from) continue;
    const key = item.vms.length === 1 ? state.hostStates[h].worstSlackUs(p.profiles[j0], p.victims[j0]) : 0;
    if (key < bestKey || (key === bestKey && state.load(h) <= bestLoad)) continue;
    if (!tryPlaceItem(fw, state, item, h)) continue;
    for (const j of item.vms) state.unassign(j);
    [best, bestKey, bestLoad] = [h, key, state.load(h)];
  }
  if (best >= 0 && tryPlaceItem(fw, state, item, best)) return best;
  return new HostOpener(p).open(fw, state, item);
}
