import type { WhyVm } from "../model/migration.js";
import { drop, keep, tryMove, type Trial } from "./commit.js";
import { affordable, itemsOn, load, stopped, type MigrateContext } from "./context.js";
import { priorityOf } from "./points.js";
import { findTarget, type TargetChoice } from "./target.js";
import { hostWeights } from "../placement/host-order.js";
import { checkNPlusOne } from "../placement/robustness/evacuate.js";

// Hosts tried for emptying, lightest first: each try costs one target search per VM on the host.
const MAX_TRIES = 64;

/**
 * consolidate empties lightly loaded hosts onto hosts already running, when switching the host
 * off (its cost, or its watts under min-energy, in points) pays for migrating all its VMs (the live-migration model's time and pause). A host
 * is emptied whole or not at all: half an evacuation saves nothing. Under n+1 a host is switched
 * off only when every remaining host can still be evacuated. Every move passes the latency guard
 * (the filters: no predicted SLO breach, single VMs' or fan-out services').
 */
export function consolidate(c: MigrateContext): void {
  const s = c.state;
  const p = c.problem;
  const received = new Set(c.moves.map((m) => m.to));
  const hosts = s.usedList.filter((i) => c.forbidden[i] === 0 && !received.has(i));
  const weight = hostWeights(p);
  const per = (i: number): number => load(s, i) / Math.max(weight[i], 1e-9);
  hosts.sort((a, b) => per(a) - per(b) || a - b);
  for (const i of hosts.slice(0, MAX_TRIES)) {
    if (stopped(c)) return;
    if (s.vmsOn[i].length > 0) emptyHost(c, i);
  }
}

/**
 * stillRobust: under policy robustness n+1, the placement with the host emptied must still let
 * every used host be evacuated onto the others (a powered-off host is no failover capacity).
 */
function stillRobust(c: MigrateContext): boolean {
  if (c.problem.policy.robustness !== "n+1") return true;
  return checkNPlusOne(c.state, c.fw, c.items).every((e) => e.stranded.length === 0);
}

function emptyHost(c: MigrateContext, i: number): void {
  // A VM that already moved here (a target of an earlier emptying) moves no more: the host stays on.
  if (c.state.vmsOn[i].some((j) => c.moved[c.items.itemOf[j]] === 1)) return;
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
  if (priority === undefined || priority > c.options.threshold || !stillRobust(c) || !affordable(c, vms, mib)) {
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
