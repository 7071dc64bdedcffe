import type { Framework, Reason } from "./framework.js";
import type { PlacementState } from "./state.js";

/** Explanation: why VM j sits on its host, and why not on the best other candidate. */
export interface Explanation {
  readonly vm: number;
  readonly host: number;
  readonly total: number;
  readonly scores: Readonly<Record<string, number>>;
  readonly runnerUp?: { host: number; total?: number; scores?: Readonly<Record<string, number>>; reasons?: readonly Reason[] };
  readonly candidates: number;
}

/** Fleets up to this many hosts compare every host; larger ones a deterministic sample. */
const ALL_HOSTS_UP_TO = 64;
const SAMPLE_USED = 12;

/**
 * explainPlacement scores each placed VM's host and its candidates with the profile's score
 * plugins, as if the VM were joining now (it is lifted off and put back, so the state ends
 * unchanged). Candidates: every host on small fleets; otherwise 12 used hosts picked by a hash
 * of the VM index and one empty host per type, so the cost is O(VMs × 16 × plugins), not
 * O(VMs × hosts). The runner-up is the best-scoring candidate that passes every filter, or, if
 * none does, the first candidate with the filters' reasons.
 */
export function explainPlacement(state: PlacementState, fw: Framework): Explanation[] {
  const p = state.problem;
  const out: Explanation[] = [];
  const emptyPerType = p.types.map((t) => [...t.hosts].find((i) => state.vmsOn[i].length === 0) ?? -1).filter((i) => i >= 0);
  const used = [...state.usedList].sort((a, b) => a - b);
  for (let j = 0; j < p.nVms; j++) {
    const i = state.hostOf[j];
    if (i < 0) continue;
    const cands = candidates(p.nHosts, used, emptyPerType, j, i);
    state.unassign(j);
    const feasible = cands.filter((h) => fw.fits(state, j, h));
    const sc = fw.score(state, j, [i, ...feasible]);
    const mine = { total: round(sc.total[0]), scores: pick(sc.byPlugin, 0) };
    let runnerUp: Explanation["runnerUp"];
    if (feasible.length > 0) {
      let b = 1;
      for (let k = 2; k < sc.hosts.length; k++) if (sc.total[k] > sc.total[b]) b = k;
      runnerUp = { host: sc.hosts[b], total: round(sc.total[b]), scores: pick(sc.byPlugin, b) };
    } else if (cands.length > 0) runnerUp = { host: cands[0], reasons: fw.filter(state, j, cands[0]).reasons };
    state.assign(j, i);
    out.push({ vm: j, host: i, ...mine, runnerUp, candidates: cands.length + 1 });
  }
  return out;
}

function candidates(nHosts: number, used: readonly number[], empty: readonly number[], j: number, mine: number): number[] {
  if (nHosts <= ALL_HOSTS_UP_TO) return Array.from({ length: nHosts }, (_, i) => i).filter((i) => i !== mine);
  const set = new Set<number>();
  for (let k = 0; k < SAMPLE_USED && used.length > 0; k++) set.add(used[(j * 7919 + k * 104729) % used.length]);
  for (const i of empty) set.add(i);
  set.delete(mine);
  return [...set].sort((a, b) => a - b);
}

function pick(byPlugin: Readonly<Record<string, Float64Array>>, k: number): Record<string, number> {
  return Object.fromEntries(Object.entries(byPlugin).map(([name, s]) => [name, round(s[k])]));
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
