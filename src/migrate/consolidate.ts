import type { WhyVm } from "../model/migration.js";
import { drop, keep, tryMove, type Trial } from "./commit.js";
import { affordable, itemsOn, load, stopped, type MigrateContext } from "./context.js";
import { priorityOf } from "./points.js";
import { findTarget, type TargetChoice } from "./target.js";

// Hosts tried for emptying, lightest first: each try costs one target search per VM on the host.
const MAX_TRIES = 64;

/**
 * consolidate empties lightly loaded hosts onto hosts already running, when switching the host
 * off (its cost, in points) pays for copying all its VMs. A host is emptied whole or not at all:
 * half an evacuation saves nothing.
 */
export function consolidate(c: MigrateContext): void {
  const s = c.state;
  const p = c.problem;
  const received = new Set(c.moves.map((m) => m.to));
  const hosts = s.usedList.filter((i) => c.forbidden[i] === 0 && !received.has(i));
  const per = (i: number): number => load(s, i) / Math.max(p.hostCost[i], 1e-9);
  hosts.sort((a, b) => per(a) - per(b) || a - b);
  for (const i of hosts.slice(0, MAX_TRIES)) {
    if (stopped(c)) return;
    if (s.vmsOn[i].length > 0) emptyHost(c, i);
  }
}

function emptyHost(c: MigrateContext, i: number): void {
  c.forbidden[i] = 1;
  const items = itemsOn(c, i).sort((a, b) => b.memoryMiB - a.memoryMiB || a.index - b.index);
  const trials: { t: Trial; target: TargetChoice }[] = [];
  for (const item of items) {
    const target = findTarget(c, item, { usedOnly: true });
    if (target.host < 0) break;
    trials.push({ t: tryMove(c, item, target.host), target });
  }
  const gain = trials.reduce((g, x) => g + x.t.gain, 0);
  const cost = trials.reduce((g, x) => g + x.t.cost, 0);
  const vms = trials.reduce((n, x) => n + x.t.r.vms.length, 0);
  const mib = trials.reduce((n, x) => n + x.t.r.vms.reduce((m, j) => m + c.problem.vmMemoryMiB[j], 0), 0);
  const priority = trials.length === items.length ? priorityOf(gain, cost) : undefined;
  if (priority === undefined || priority > c.options.threshold || !affordable(c, vms, mib)) {
    for (let k = trials.length - 1; k >= 0; k--) drop(c, trials[k].t);
    c.forbidden[i] = 0;
    return;
  }
  const why: WhyVm = { code: "emptying", helps: [], alternatives: items.length - 1 };
  // Re-apply in order so every kept move is recorded with its own effect.
  for (let k = trials.length - 1; k >= 0; k--) drop(c, trials[k].t);
  // Switching the host off is the batch's gain: each move carries its share by memory copied.
  for (const { t, target } of trials) {
    const share = cost > 0 ? (gain * t.cost) / cost : gain / trials.length;
    keep(c, tryMove(c, t.item, target.host), { kind: "consolidate", priority, whyVm: why, whyTarget: target.why, gain: share });
  }
}
