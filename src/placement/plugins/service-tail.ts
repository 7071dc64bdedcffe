import { newPrediction, Pct } from "../../interference/predictor.js";
import { MAX_SCORE, OK, infeasible, type CycleState, type FilterPlugin, type Reason, type ScorePlugin, type Status } from "../framework.js";
import { SERVICE_TAIL } from "../names.js";
import { ledgerOf, serviceIndex, type ServiceGroup, type TailLedger } from "../service-index.js";
import type { PlacementState } from "../state.js";

/**
 * ServiceTail: a fan-out service's SLO (service-index.ts: the union bound over its members'
 * predicted exceedances) holds once VM j joins host i. j changes the delay of every member on
 * host i, and its own exceedance if it is a member, so the check covers every service with a
 * member there. A move that does not raise a service's sum is always allowed, so a service over
 * its budget from the start (its SLO below what idle hosts give) strands no VM: it only blocks
 * what would make it worse. As a scorer it ranks hosts by how little of the service's budget j's
 * arrival uses: members go where their tails stay short, others away from members' hosts.
 */
export const serviceTail: FilterPlugin & ScorePlugin = {
  name: SERVICE_TAIL,

  fits(s: PlacementState, j: number, i: number): boolean {
    return worst(s, j, i, undefined) <= 0;
  },

  filter(s: PlacementState, j: number, i: number): Status {
    const reasons: Reason[] = [];
    return worst(s, j, i, reasons) <= 0 ? OK : infeasible(...reasons);
  },

  score(_c: CycleState, s: PlacementState, j: number, i: number): number {
    return MAX_SCORE * Math.max(0, 1 - budgetUsed(s, j, i));
  },
};

// Scratch for the affected groups of one query: the hot path allocates nothing.
let affected = new Int32Array(64);

/** affectedGroups: the services with a member on host i, and j's own; count in the scratch. */
function affectedGroups(s: PlacementState, j: number, i: number): number {
  const idx = serviceIndex(s.problem);
  let n = 0;
  const add = (g: number): void => {
    if (g < 0) return;
    for (let k = 0; k < n; k++) if (affected[k] === g) return;
    if (n === affected.length) {
      const grown = new Int32Array(n * 2);
      grown.set(affected);
      affected = grown;
    }
    affected[n++] = g;
  };
  add(idx.serviceOf[j]);
  for (const k of s.vmsOn[i]) add(idx.serviceOf[k]);
  return n;
}

/**
 * change: group g's sum of target t before and after j joins host i (new delays d99, d999).
 * Members already on i move to the new delays; j, if a member, from alone to i.
 */
function change(l: TailLedger, g: ServiceGroup, t: 0 | 1, j: number, i: number, d99: number, d999: number): { before: number; after: number } {
  const s = l.s;
  const before = l.sum(g, t);
  let delta = 0;
  for (const k of s.vmsOn[i]) if (l.index.serviceOf[k] === g.index) delta += l.memberExceed(k, t, d99, d999) - l.exceed(k, t);
  if (l.index.serviceOf[j] === g.index) delta += l.memberExceed(j, t, d99, d999) - l.exceed(j, t);
  return { before, after: before + delta };
}

/** Scratch for a joining member's own prediction (single-threaded, reused per call). */
const joining = newPrediction();

/**
 * eachChange calls `visit` with every affected service's sum of each target it has, before and
 * after j joins host i (the host's new delays computed once).
 */
function eachChange(s: PlacementState, j: number, i: number, visit: (g: ServiceGroup, t: 0 | 1, before: number, after: number) => void): void {
  if (s.problem.cluster.services.length === 0) return;
  const idx = serviceIndex(s.problem);
  const n = affectedGroups(s, j, i);
  if (n === 0) return;
  const l = ledgerOf(s);
  const pj = s.problem.profiles[j];
  // The host's largest victim delay with j added, and j's own there (it is a victim too).
  const hs = s.hostStates[i];
  const vj = s.problem.victims[j];
  const own = vj ? hs.predictVictim(vj, joining, pj, true) : undefined;
  const d99 = Math.max(hs.harmUs(Pct.P99, pj), own ? own.estimateUs[Pct.P99] - vj!.tail.base99Us : 0);
  const d999 = Math.max(hs.harmUs(Pct.P999, pj), own ? own.estimateUs[Pct.P999] - vj!.tail.base999Us : 0);
  for (let k = 0; k < n; k++) {
    const g = idx.groups[affected[k]];
    for (const t of [0, 1] as const) {
      if (!Number.isFinite(g.budgets[t])) continue;
      const { before, after } = change(l, g, t, j, i, d99, d999);
      visit(g, t, before, after);
    }
  }
}

/**
 * worst: over the affected services and targets, how far the move takes a sum over its budget
 * while raising it (≤ 0: allowed). With `reasons`, one reason per breaking service and target.
 */
function worst(s: PlacementState, j: number, i: number, reasons: Reason[] | undefined): number {
  let out = 0;
  eachChange(s, j, i, (g, t, before, after) => {
    const over = after > before + 1e-15 ? after - g.budgets[t] : -Infinity;
    out = Math.max(out, over);
    if (over > 0 && reasons) reasons.push({ constraint: SERVICE_TAIL, resource: t === 0 ? "p99Exceedance" : "p999Exceedance", requested: r6(after - before), used: r6(before), capacity: r6(g.budgets[t]), group: g.name });
  });
  return out;
}

/** budgetUsed: the largest share of an affected service's budget j's arrival on i would use. */
function budgetUsed(s: PlacementState, j: number, i: number): number {
  let used = 0;
  eachChange(s, j, i, (g, t, before, after) => (used = Math.max(used, (after - before) / g.budgets[t])));
  return Math.min(1, used);
}

function r6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
