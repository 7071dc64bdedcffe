import { Pct } from "../interference/predictor.js";
import { predictedExceedance } from "../interference/tail.js";
import type { PlacementProblem } from "./problem.js";
import type { PlacementState } from "./state.js";

/**
 * A fan-out service as the placer sees it. A request exceeds the service's SLO threshold T only
 * if one of the members it touches does, so P(request > T) ≤ (fanout / n) Σ_k P(member k > T)
 * (the union bound, within 1% of the exact value at the 1% a p99 allows). The SLO then becomes
 * an additive budget over members: Σ_k e_k ≤ allowed × n / fanout, which the placer keeps as
 * hosts change, one host at a time. e_k comes from the member's predicted p99 and p99.9 on its
 * host (interference/tail.ts); an unplaced member counts as if alone on a host.
 */
export interface ServiceGroup {
  readonly index: number;
  /** The document's service id and its JSON path ("services[2]"). */
  readonly id: string;
  readonly name: string;
  readonly members: Int32Array;
  readonly fanout: number;
  /** SLO thresholds in µs (target 0: p99, 1: p99.9; Infinity when not given). */
  readonly sloUs: readonly [number, number];
  /** Allowed Σ member exceedance per target (Infinity when the target is not given). */
  readonly budgets: readonly [number, number];
}

export interface ServiceIndex {
  readonly groups: readonly ServiceGroup[];
  /** Per VM: its group, or -1. */
  readonly serviceOf: Int32Array;
  /** Per VM: its own baseline p99 and p99.9 (µs) when alone; 0 for non-members. */
  readonly base99: Float64Array;
  readonly base999: Float64Array;
}

/** ALLOWED: the exceedance a p99 and a p99.9 SLO allow. */
export const ALLOWED: readonly [number, number] = [0.01, 0.001];

const cache = new WeakMap<PlacementProblem, ServiceIndex>();

/** serviceIndex indexes a problem's services once (cached per problem). */
export function serviceIndex(p: PlacementProblem): ServiceIndex {
  let x = cache.get(p);
  if (!x) {
    x = buildIndex(p);
    cache.set(p, x);
  }
  return x;
}

function buildIndex(p: PlacementProblem): ServiceIndex {
  const vmIndex = new Map(p.vms.map((v, j) => [v.id, j]));
  const serviceOf = new Int32Array(p.nVms).fill(-1);
  const base99 = new Float64Array(p.nVms);
  const base999 = new Float64Array(p.nVms);
  const groups = p.cluster.services.map((s, index): ServiceGroup => {
    const members = Int32Array.from(s.vms.map((id) => vmIndex.get(id) ?? -1).filter((j) => j >= 0)).sort();
    for (const j of members) {
      serviceOf[j] = index;
      // A member's own percentiles alone on a host (the predictor's victim tail).
      const tail = p.victims[j]?.tail;
      if (!tail) continue;
      base99[j] = tail.base99Us;
      base999[j] = tail.base999Us;
    }
    const sloUs: [number, number] = [s.slo.p99Ms !== undefined ? s.slo.p99Ms * 1000 : Infinity, s.slo.p999Ms !== undefined ? s.slo.p999Ms * 1000 : Infinity];
    const n = members.length;
    const per = n / Math.max(1, Math.min(s.fanout, n));
    const budgets: [number, number] = [Number.isFinite(sloUs[0]) ? ALLOWED[0] * per : Infinity, Number.isFinite(sloUs[1]) ? ALLOWED[1] * per : Infinity];
    return { index, id: s.id, name: `services[${index}]`, members, fanout: s.fanout, sloUs, budgets };
  });
  return { groups, serviceOf, base99, base999 };
}

/**
 * TailLedger caches, for one placement state, each host's predicted delays and each member's
 * exceedance, keyed by the state's hostVersion, so a service's sum costs O(members) reads and
 * recomputes only the members whose host changed.
 */
export class TailLedger {
  private readonly hostSeen: Float64Array;
  private readonly d99: Float64Array;
  private readonly d999: Float64Array;
  private readonly memberHost: Int32Array;
  private readonly memberSeen: Float64Array;
  private readonly memberE: Float64Array;

  constructor(
    readonly s: PlacementState,
    readonly index: ServiceIndex,
  ) {
    const p = s.problem;
    this.hostSeen = new Float64Array(p.nHosts).fill(-1);
    this.d99 = new Float64Array(p.nHosts);
    this.d999 = new Float64Array(p.nHosts);
    this.memberHost = new Int32Array(p.nVms).fill(-2);
    this.memberSeen = new Float64Array(p.nVms).fill(-1);
    this.memberE = new Float64Array(2 * p.nVms);
  }

  /** exceed: member j's exceedance of its service's target t where it stands (alone when unplaced). */
  exceed(j: number, t: 0 | 1): number {
    const i = this.s.hostOf[j];
    const v = i >= 0 ? this.s.hostVersion[i] : 0;
    if (this.memberHost[j] !== i || this.memberSeen[j] !== v) {
      const [a, b] = i >= 0 ? this.delays(i) : [0, 0];
      this.memberE[2 * j] = this.memberExceed(j, 0, a, b);
      this.memberE[2 * j + 1] = this.memberExceed(j, 1, a, b);
      this.memberHost[j] = i;
      this.memberSeen[j] = v;
    }
    return this.memberE[2 * j + t];
  }

  /** memberExceed: member j's exceedance of target t at host delays d99, d999. */
  memberExceed(j: number, t: 0 | 1, d99: number, d999: number): number {
    const g = this.index.groups[this.index.serviceOf[j]];
    const slo = g.sloUs[t];
    if (!Number.isFinite(slo)) return 0;
    return predictedExceedance(this.index.base99[j] + d99, this.index.base999[j] + d999, slo);
  }

  /** sum: Σ over group g's members of their exceedance of target t. */
  sum(g: ServiceGroup, t: 0 | 1): number {
    let acc = 0;
    for (const j of g.members) acc += this.exceed(j, t);
    return acc;
  }

  private readonly pair: [number, number] = [0, 0];

  /** delays: host i's predicted request p99 and p99.9 delays as it stands (cached per version). */
  delays(i: number): readonly [number, number] {
    const v = this.s.hostVersion[i];
    if (this.hostSeen[i] !== v) {
      const hs = this.s.hostStates[i];
      // The predictor is per victim; a host's delay for its members is the largest over its victims.
      this.d99[i] = hs.harmUs(Pct.P99);
      this.d999[i] = hs.harmUs(Pct.P999);
      this.hostSeen[i] = v;
    }
    this.pair[0] = this.d99[i];
    this.pair[1] = this.d999[i];
    return this.pair;
  }
}

const ledgers = new WeakMap<PlacementState, TailLedger>();

/** ledgerOf: the state's ledger (one per state, created on first use). */
export function ledgerOf(s: PlacementState): TailLedger {
  let l = ledgers.get(s);
  if (!l) {
    l = new TailLedger(s, serviceIndex(s.problem));
    ledgers.set(s, l);
  }
  return l;
}
