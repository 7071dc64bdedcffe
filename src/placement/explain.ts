import type { Framework, Reason } from "./framework.js";
import { typeCostPerVm } from "./host-order.js";
import { isAllowed, type PlacementProblem } from "./problem.js";
import type { PlacementState } from "./state.js";

/** Explanation: why VM j sits on its host, and why not on the best other candidate. */
export interface Explanation {
  readonly vm: number;
  readonly host: number;
  readonly total: number;
  readonly scores: Readonly<Record<string, number>>;
  readonly runnerUp?: { host: number; total?: number; scores?: Readonly<Record<string, number>>; reasons?: readonly Reason[] };
  /** The best host that scores higher than the chosen one, and what moving there would do to the plan's cost. */
  readonly outscoredBy?: { host: number; total: number; scores: Readonly<Record<string, number>>; costChange: number };
  readonly candidates: number;
}

/** Fleets up to this many hosts compare every host; larger ones a deterministic sample. */
const ALL_HOSTS_UP_TO = 64;
const SAMPLE_USED = 12;
/**
 * Empty hosts compared per VM: the cheapest types (per capacity) that take it. One per type was
 * O(VMs × types): the default generator's rack labels make 1,500 types at 10,000 hosts, and the
 * explanations of 100,000 VMs took 149 s (the search before them 28 s).
 */
const SAMPLE_EMPTY = 4;

/**
 * explainPlacement scores each placed VM's host and its candidates with the profile's score
 * plugins, as if the VM were joining now (it is lifted off and put back, so the state ends
 * unchanged). Candidates: every host on small fleets; otherwise 12 used hosts picked by a hash
 * of the VM index and an empty host of each of the 4 cheapest types (per capacity) that take
 * the VM, so the cost is O(VMs × 16 × plugins), not O(VMs × hosts) or O(VMs × types).
 *
 * The score plugins are per-VM preferences (best fit, risk slack) that guide construction; the
 * plan itself minimises its objective over all VMs at once, so another host can score higher for
 * one VM while moving it there would not lower the plan's cost. Such a host is reported apart, as
 * `outscoredBy` with that cost change, and the runner-up is the best feasible host that does not
 * outscore the chosen one (or, if there is none, the first candidate with the filters' reasons):
 * a runner-up that beat the winner would contradict the explanation.
 */
export function explainPlacement(state: PlacementState, fw: Framework): Explanation[] {
  const p = state.problem;
  const out: Explanation[] = [];
  const emptyPerType = emptyHostsCheapestFirst(state);
  const used = [...state.usedList].sort((a, b) => a - b);
  for (let j = 0; j < p.nVms; j++) {
    const i = state.hostOf[j];
    if (i < 0) continue;
    const cands = candidates(p, used, emptyPerType, j, i);
    state.unassign(j);
    const feasible = cands.filter((h) => fw.fits(state, j, h));
    const sc = fw.score(state, j, [i, ...feasible]);
    const mine = round(sc.total[0]);
    let below = -1;
    let above = -1;
    for (let k = 1; k < sc.hosts.length; k++) {
      const t = round(sc.total[k]);
      if (t <= mine && (below < 0 || t > round(sc.total[below]))) below = k;
      if (t > mine && (above < 0 || t > round(sc.total[above]))) above = k;
    }
    const scored = (k: number) => ({ host: sc.hosts[k], total: round(sc.total[k]), scores: pick(sc.byPlugin, k) });
    const refused = feasible.length < cands.length ? cands.find((h) => !feasible.includes(h)) : undefined;
    const runnerUp: Explanation["runnerUp"] = below >= 0 ? scored(below) : refused !== undefined ? { host: refused, reasons: fw.filter(state, j, refused).reasons } : undefined;
    const outscoredBy = above >= 0 ? { ...scored(above), costChange: costChange(state, i, sc.hosts[above]) } : undefined;
    state.assign(j, i);
    out.push({ vm: j, host: i, total: mine, scores: pick(sc.byPlugin, 0), runnerUp, outscoredBy, candidates: cands.length + 1 });
  }
  return out;
}

/** costChange: the plan's cost change if the lifted VM went to `to` instead of back to `from`. */
function costChange(state: PlacementState, from: number, to: number): number {
  const p = state.problem;
  const open = state.vmsOn[to].length === 0 ? p.hostCost[to] : 0;
  const close = state.vmsOn[from].length === 0 ? p.hostCost[from] : 0;
  return Math.round((open - close) * 1e6) / 1e6;
}

/** emptyHostsCheapestFirst: one empty host per type (its lowest index), types cheapest per capacity first. */
function emptyHostsCheapestFirst(state: PlacementState): number[] {
  const p = state.problem;
  const perVm = typeCostPerVm(p);
  const out: number[] = [];
  for (const t of p.types) {
    for (const i of t.hosts)
      if (state.vmsOn[i].length === 0) {
        out.push(i);
        break;
      }
  }
  return out.sort((a, b) => perVm[p.hostTypeOf[a]] - perVm[p.hostTypeOf[b]] || a - b);
}

function candidates(p: PlacementProblem, used: readonly number[], empty: readonly number[], j: number, mine: number): number[] {
  if (p.nHosts <= ALL_HOSTS_UP_TO) return Array.from({ length: p.nHosts }, (_, i) => i).filter((i) => i !== mine);
  const set = new Set<number>();
  for (let k = 0; k < SAMPLE_USED && used.length > 0; k++) set.add(used[(j * 7919 + k * 104729) % used.length]);
  let taken = 0;
  for (let k = 0; k < empty.length && taken < SAMPLE_EMPTY; k++)
    if (isAllowed(p, j, empty[k])) {
      set.add(empty[k]);
      taken++;
    }
  set.delete(mine);
  return [...set].sort((a, b) => a - b);
}

function pick(byPlugin: Readonly<Record<string, Float64Array>>, k: number): Record<string, number> {
  return Object.fromEntries(Object.entries(byPlugin).map(([name, s]) => [name, round(s[k])]));
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
