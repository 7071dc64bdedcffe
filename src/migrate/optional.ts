import type { MoveKind, WhyVm } from "../model/migration.js";
import type { Item } from "../placement/items.js";
import { drop, keep, tryMove, type Trial } from "./commit.js";
import { affordable, itemsOn, load, stopped, vmIds, type MigrateContext } from "./context.js";
import { priorityOf } from "./points.js";
import { hostRisk } from "./risk.js";
import { findTarget, type TargetChoice } from "./target.js";

// Per host and round, this many candidate items get a target search (the best by a cheap
// source-side estimate); a host gets at most MAX_ROUNDS moves per phase.
const CANDIDATES = 3;
const MAX_ROUNDS = 4;

interface Option {
  item: Item;
  target: TargetChoice;
  net: number;
  priority: number;
}

/**
 * bestOption tries each candidate on its best target, measures the gain on the touched hosts and
 * keeps the state unchanged; returns the candidate with the largest net gain whose priority the
 * threshold admits.
 */
function bestOption(c: MigrateContext, cands: readonly Item[]): Option | undefined {
  let best: Option | undefined;
  for (const item of cands) {
    const target = findTarget(c, item);
    if (target.host < 0) continue;
    const t: Trial = tryMove(c, item, target.host);
    // No optional move may leave the cluster riskier than it started (the waves must not either).
    const riskOk = c.ledger.totalPoints <= c.startRisk + 1e-6;
    const priority = priorityOf(t.gain, t.cost);
    drop(c, t);
    if (!riskOk) continue;
    if (priority === undefined || priority > c.options.threshold) continue;
    const net = t.gain - t.cost;
    if (!best || net > best.net + 1e-9) best = { item, target, net, priority };
  }
  return best;
}

function commit(c: MigrateContext, o: Option, kind: MoveKind, whyVm: WhyVm): void {
  keep(c, tryMove(c, o.item, o.target.host), { kind, priority: o.priority, whyVm, whyTarget: o.target.why });
}

/** reduceRisk moves VMs off hosts whose victims sit close to their SLO, riskiest host first. */
export function reduceRisk(c: MigrateContext): void {
  const hosts: number[] = [];
  for (let i = 0; i < c.problem.nHosts; i++) if (c.ledger.points[i] > 0) hosts.push(i);
  hosts.sort((a, b) => c.ledger.points[b] - c.ledger.points[a] || a - b);
  for (const i of hosts) {
    for (let round = 0; round < MAX_ROUNDS && c.ledger.points[i] > 0; round++) {
      if (stopped(c)) return;
      const ranked = riskCandidates(c, i);
      const o = bestOption(c, ranked.map((r) => r.item));
      if (!o || !affordable(c, o.item.vms.length, o.item.memoryMiB)) break;
      const r = ranked.find((x) => x.item === o.item)!;
      const victims = c.state.vmsOn[i].filter((j) => c.problem.latencySensitive[j] === 1 && !o.item.vms.includes(j));
      const why: WhyVm = r.victim
        ? { code: "victim", helps: vmIds(c, Array.from(o.item.vms).filter((j) => c.problem.latencySensitive[j] === 1)), alternatives: ranked.length - 1 }
        : { code: "aggressor", delayRemovedUs: Math.round(r.relief), helps: vmIds(c, victims), alternatives: ranked.length - 1 };
      commit(c, o, "reduce-risk", why);
    }
  }
}

/** riskCandidates: items whose leaving takes most risk points off host i per GiB, best first. */
function riskCandidates(c: MigrateContext, i: number): { item: Item; victim: boolean; relief: number }[] {
  const s = c.state;
  const before = c.ledger.points[i];
  const out: { item: Item; victim: boolean; relief: number; perGiB: number }[] = [];
  for (const item of itemsOn(c, i)) {
    const lifted = Array.from(item.vms).filter((j) => s.hostOf[j] === i);
    const d0 = s.hostStates[i].harmUs();
    for (const j of lifted) s.unassign(j);
    const after = hostRisk(c.model, s, i).points;
    const d1 = s.hostStates[i].harmUs();
    for (const j of lifted) s.assign(j, i);
    if (after >= before - 1e-9) continue;
    const victim = lifted.some((j) => c.problem.latencySensitive[j] === 1);
    out.push({ item, victim, relief: Math.max(0, d0 - d1), perGiB: (before - after) / Math.max(1, item.memoryMiB / 1024) });
  }
  out.sort((a, b) => b.perGiB - a.perGiB || a.item.index - b.item.index);
  return out.slice(0, CANDIDATES);
}

// A host counts as overloaded this far above the mean load (mean of memory and vCPU fractions).
const BALANCE_MARGIN = 0.1;

/** rebalance moves VMs from the most loaded hosts while the gain pays for the copy. */
export function rebalance(c: MigrateContext): void {
  const s = c.state;
  const n = c.problem.nHosts;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += load(s, i) / n;
  const hosts = Array.from({ length: n }, (_, i) => i).filter((i) => load(s, i) > mean + BALANCE_MARGIN);
  hosts.sort((a, b) => load(s, b) - load(s, a) || a - b);
  for (const i of hosts) {
    for (let round = 0; round < MAX_ROUNDS && load(s, i) > mean + BALANCE_MARGIN; round++) {
      if (stopped(c)) return;
      // The items closest to the excess move it in one copy; smaller ones are cheaper tries.
      const excessMiB = (load(s, i) - mean) * c.problem.hostMemoryMiB[i];
      const items = itemsOn(c, i).sort((a, b) => Math.abs(a.memoryMiB - excessMiB) - Math.abs(b.memoryMiB - excessMiB) || a.index - b.index);
      const o = bestOption(c, items.slice(0, CANDIDATES));
      if (!o || !affordable(c, o.item.vms.length, o.item.memoryMiB)) break;
      commit(c, o, "rebalance", { code: "overloaded", helps: [], alternatives: items.length - 1 });
    }
  }
}
