import { Pct } from "../interference/predictor.js";
import type { WhyVm } from "../model/migration.js";
import type { Item } from "../placement/items.js";
import { grownHost } from "../placement/plugins/headroom.js";
import { stopped, itemsOn, vmIds, type MigrateContext } from "./context.js";
import { moveMandatory, noTarget } from "./mandatory.js";
import type { TargetChoice } from "./target.js";

// A host short of headroom sheds at most this many VMs; each round tries this many candidates.
const MAX_ROUNDS = 8;
const CANDIDATES_PER_ROUND = 6;

/**
 * restoreHeadroom (mandatory, when the policy asks for headroomPercent): a host whose
 * latency-sensitive VMs would be predicted over their SLO with every VM's CPU demand that much
 * higher sheds VMs, one at a time, until it holds its SLOs at the grown load. Each goes to a target
 * that passes every filter, the Headroom filter included, so the target keeps its own headroom.
 * Without this the Headroom filter only guarded the moves other phases made, and a placement short
 * of headroom stayed short, with `migrate --headroom` reporting it and moving nothing.
 */
export function restoreHeadroom(c: MigrateContext): void {
  if (c.problem.policy.headroomPercent === 0) return;
  const short: { i: number; slack: number }[] = [];
  for (const i of c.state.usedList) {
    const slack = grownHost(c.state, i).worstSlackUs();
    if (slack < 0) short.push({ i, slack });
  }
  short.sort((a, b) => a.slack - b.slack || a.i - b.i);
  for (const { i } of short) {
    if (stopped(c)) return;
    shed(c, i);
  }
}

interface Candidate {
  readonly item: Item;
  /** The host's worst SLO slack at the grown load without the item, in µs. */
  readonly slackAfter: number;
  /** p99.9 delay its leaving takes off the host at the grown load, in µs. */
  readonly delayRemovedUs: number;
}

function shed(c: MigrateContext, i: number): void {
  for (let round = 0; round < MAX_ROUNDS && grownHost(c.state, i).worstSlackUs() < 0; round++) {
    const cands = rank(c, i);
    let last: TargetChoice | undefined;
    let moved = false;
    for (const cand of cands.slice(0, CANDIDATES_PER_ROUND)) {
      last = moveMandatory(c, cand.item, "restore-headroom", whyOf(c, i, cand, cands.length - 1));
      if (last === undefined) return;
      if (last.host >= 0) {
        moved = true;
        break;
      }
    }
    if (moved) continue;
    const victims = c.state.vmsOn[i].filter((j) => c.problem.latencySensitive[j] === 1);
    const why = cands.length === 0 ? "no VM on it that has not moved yet would make room" : `no VM on it can move: ${last ? noTarget(last) : "no candidate helps"}`;
    c.unresolved.push({ kind: "headroom", hostId: c.problem.hosts[i].id, vmIds: vmIds(c, victims), reason: `predicted over an SLO at +${c.problem.policy.headroomPercent}% CPU demand; ${why}` });
    return;
  }
}

/**
 * rank: the items on host i whose leaving raises its grown worst slack, those that restore it
 * first (smallest copy), then by slack gained per GiB copied. O(VMs²) on one host.
 */
function rank(c: MigrateContext, i: number): Candidate[] {
  const s = c.state;
  const before = grownHost(s, i);
  const slack0 = before.worstSlackUs();
  const d0 = before.harmUs(Pct.P999);
  const out: Candidate[] = [];
  for (const item of itemsOn(c, i)) {
    const lifted = Array.from(item.vms).filter((j) => s.hostOf[j] === i);
    for (const j of lifted) s.unassign(j);
    const after = grownHost(s, i);
    const slackAfter = after.worstSlackUs();
    const d1 = after.harmUs(Pct.P999);
    for (const j of lifted) s.assign(j, i);
    if (slackAfter > slack0 + 1e-9) out.push({ item, slackAfter, delayRemovedUs: Math.max(0, d0 - d1) });
  }
  const fixes = (x: Candidate): boolean => x.slackAfter >= 0;
  const perGiB = (x: Candidate): number => (Math.min(x.slackAfter, 0) - slack0) / Math.max(1, x.item.memoryMiB / 1024);
  return out.sort((a, b) => Number(fixes(b)) - Number(fixes(a)) || (fixes(a) ? a.item.memoryMiB - b.item.memoryMiB : perGiB(b) - perGiB(a)) || a.item.index - b.item.index);
}

function whyOf(c: MigrateContext, i: number, cand: Candidate, alternatives: number): WhyVm {
  const victims = c.state.vmsOn[i].filter((j) => c.problem.latencySensitive[j] === 1);
  const mine = Array.from(cand.item.vms).filter((j) => c.problem.latencySensitive[j] === 1 && c.state.hostOf[j] === i);
  if (mine.length > 0) return { code: "victim", helps: vmIds(c, mine), alternatives };
  return { code: "aggressor", delayRemovedUs: Math.round(cand.delayRemovedUs), helps: vmIds(c, victims), alternatives };
}
