import { Pct } from "../interference/predictor.js";
import type { WhyVm } from "../model/migration.js";
import type { Item } from "../placement/items.js";
import { itemsOn, stopped, vmIds, type MigrateContext } from "./context.js";
import { moveMandatory, noTarget } from "./mandatory.js";
import { hostRisk } from "./risk.js";
import { trySwap } from "./swap.js";
import type { TargetChoice } from "./target.js";

// A breached host is fixed in at most this many moves before the planner gives up on it, and
// each round tries this many candidate VMs for a target (ranked by how much they help per GiB).
const MAX_ROUNDS = 8;
const CANDIDATES_PER_ROUND = 6;

/** fixBreaches removes every predicted SLO breach, worst host first. */
export function fixBreaches(c: MigrateContext): void {
  const hosts: { i: number; excess: number }[] = [];
  for (let i = 0; i < c.problem.nHosts; i++) if (c.ledger.breaches[i] > 0) hosts.push({ i, excess: hostRisk(c.model, c.state, i).excess });
  hosts.sort((a, b) => b.excess - a.excess || a.i - b.i);
  for (const { i } of hosts) {
    if (stopped(c)) return;
    fixHost(c, i);
  }
}

/**
 * fixHost moves VMs off a breached host one at a time: the cheapest move that ends every breach
 * on it if there is one, else the one that takes most breach excess away per GiB copied. When no
 * candidate has a target, a swap with a VM of another host is tried.
 */
function fixHost(c: MigrateContext, i: number): void {
  for (let round = 0; round < MAX_ROUNDS && c.ledger.breaches[i] > 0; round++) {
    const cands = rankCandidates(c, i);
    let last: TargetChoice | undefined;
    let moved = false;
    for (const cand of cands.slice(0, CANDIDATES_PER_ROUND)) {
      if (stopped(c)) return;
      last = moveMandatory(c, cand.item, "fix-breach", whyOf(c, i, cand, cands.length - 1));
      if (last === undefined) return;
      if (last.host >= 0) {
        moved = true;
        break;
      }
    }
    if (moved) continue;
    if (trySwap(c, i, cands.slice(0, 3).map((x) => x.item))) continue;
    const victims = c.state.vmsOn[i].filter((j) => c.problem.latencySensitive[j] === 1);
    const why = cands.length === 0 ? "every VM on it is pinned or has already moved once" : `no VM on it can move: ${last ? noTarget(last) : "no candidate helps or the plan's limits leave no room"}`;
    c.unresolved.push({ kind: "breach", hostId: c.problem.hosts[i].id, vmIds: vmIds(c, victims), reason: why });
    return;
  }
}

interface Candidate {
  item: Item;
  fixes: boolean;
  excessAfter: number;
  excessBefore: number;
  delayRemovedUs: number;
}

/** rankCandidates: items on host i by what taking them off does to its breaches. O(VMs²) on one host. */
function rankCandidates(c: MigrateContext, i: number): Candidate[] {
  const s = c.state;
  const before = hostRisk(c.model, s, i);
  const d0 = s.hostStates[i].harmUs(Pct.P999);
  const out: Candidate[] = [];
  for (const item of itemsOn(c, i)) {
    const lifted = Array.from(item.vms).filter((j) => s.hostOf[j] === i);
    for (const j of lifted) s.unassign(j);
    const after = hostRisk(c.model, s, i);
    const d1 = s.hostStates[i].harmUs(Pct.P999);
    for (const j of lifted) s.assign(j, i);
    if (after.excess >= before.excess - 1e-12) continue;
    out.push({ item, fixes: after.breaches === 0, excessAfter: after.excess, excessBefore: before.excess, delayRemovedUs: Math.max(0, d0 - d1) });
  }
  const perGiB = (x: Candidate): number => (x.excessBefore - x.excessAfter) / Math.max(1, x.item.memoryMiB / 1024);
  return out.sort((a, b) => Number(b.fixes) - Number(a.fixes) || (a.fixes ? a.item.memoryMiB - b.item.memoryMiB : perGiB(b) - perGiB(a)) || a.item.index - b.item.index);
}

function whyOf(c: MigrateContext, i: number, cand: Candidate, alternatives: number): WhyVm {
  const breaching = breachingVictims(c, i);
  const mine = Array.from(cand.item.vms).filter((j) => breaching.includes(j));
  if (mine.length > 0) return { code: "victim", helps: vmIds(c, mine), alternatives };
  return { code: "aggressor", delayRemovedUs: Math.round(cand.delayRemovedUs), helps: vmIds(c, breaching), alternatives };
}

/** breachingVictims: latency-sensitive VMs on host i predicted over their SLO. */
export function breachingVictims(c: MigrateContext, i: number): number[] {
  const s = c.state;
  return s.vmsOn[i].filter((j) => c.problem.latencySensitive[j] === 1 && c.model.ratio(s, j) > 1).sort((a, b) => a - b);
}
