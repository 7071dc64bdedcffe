import type { MigrationService } from "../model/objectives.js";
import { ledgerOf, serviceIndex, type ServiceGroup } from "../placement/service-index.js";
import { serviceTails } from "../placement/service-report.js";
import type { PlacementState } from "../placement/state.js";
import { keep, tryMove, drop } from "./commit.js";
import { affordable, stopped, vmIds, type MigrateContext } from "./context.js";
import { findTarget } from "./target.js";

// A service over its budget gets at most this many member moves.
const MAX_MOVES_PER_SERVICE = 16;

/**
 * fixServices (mandatory, after the single VMs' breaches): while a fan-out service's predicted
 * tail is over its SLO (the union bound over its members, service-index.ts), move the member
 * most likely to exceed it to the target that passes every filter and ranks best, and keep the
 * move only if the service's sum falls. A member moves at most once, like every VM in a plan.
 */
export function fixServices(c: MigrateContext): void {
  const idx = serviceIndex(c.problem);
  for (const g of idx.groups) {
    for (let k = 0; k < MAX_MOVES_PER_SERVICE && overBudget(c.state, g); k++) {
      if (stopped(c) || !moveWorstMember(c, g)) break;
    }
    if (overBudget(c.state, g)) c.unresolved.push({ kind: "breach", vmIds: vmIds(c, g.members), reason: `service ${g.id}: predicted fan-out tail over its SLO, and no member move brings it down` });
  }
}

/** overBudget: some target's sum of member exceedances is over what the SLO allows. */
export function overBudget(s: PlacementState, g: ServiceGroup): boolean {
  const l = ledgerOf(s);
  return ([0, 1] as const).some((t) => Number.isFinite(g.budgets[t]) && l.sum(g, t) > g.budgets[t] + 1e-12);
}

function moveWorstMember(c: MigrateContext, g: ServiceGroup): boolean {
  const s = c.state;
  const l = ledgerOf(s);
  const t = Number.isFinite(g.budgets[0]) && l.sum(g, 0) / g.budgets[0] >= (Number.isFinite(g.budgets[1]) ? l.sum(g, 1) / g.budgets[1] : 0) ? 0 : 1;
  const ranked = [...g.members]
    .filter((j) => s.hostOf[j] >= 0 && c.moved[c.items.itemOf[j]] === 0)
    .sort((a, b) => l.exceed(b, t) - l.exceed(a, t) || a - b);
  for (const j of ranked.slice(0, 4)) {
    const item = c.items.items[c.items.itemOf[j]];
    const target = findTarget(c, item, { full: true });
    if (target.host < 0 || !affordable(c, item.vms.length, item.memoryMiB)) continue;
    const before = l.sum(g, t);
    const trial = tryMove(c, item, target.host);
    if (l.sum(g, t) >= before - 1e-15) {
      drop(c, trial);
      continue;
    }
    keep(c, trial, { kind: "fix-breach", priority: 1, whyVm: { code: "victim", helps: vmIds(c, g.members).slice(0, 12), alternatives: ranked.length - 1 }, whyTarget: target.why });
    return true;
  }
  return false;
}

/** serviceChanges: each service's tail before and after a plan. */
export function serviceChanges(before: PlacementState, after: PlacementState): MigrationService[] {
  const a = serviceTails(after);
  return serviceTails(before).map((b, k) => ({ id: b.id, before: b, after: a[k] }));
}
