import type { WhyTarget, WhyVm } from "../model/migration.js";
import type { Item } from "../placement/items.js";
import type { PlacementState } from "../placement/state.js";
import { keep, tryMove } from "./commit.js";
import { affordable, itemsOn, vmIds, type MigrateContext } from "./context.js";
import { hostRisk } from "./risk.js";
import { candidates, firstFailing, TARGET_SAMPLE, whyOn } from "./target.js";

interface SwapFound {
  b: Item;
  host: number;
  whyA: WhyTarget;
  whyB: WhyTarget;
}

/**
 * trySwap ends the breaches on host i by trading one of its items (`cands`, best first) with an
 * item of another host when neither fits anywhere alone: a leaves for B, b comes to i. The two
 * moves wait on each other (each needs the other's room), which the wave scheduler breaks with a
 * temporary host. Cost: O(hosts looked at × items on them) per candidate, only when every plain
 * move has failed.
 */
export function trySwap(c: MigrateContext, i: number, cands: readonly Item[]): boolean {
  for (const a of cands) {
    if (c.moved[a.index] === 1) continue;
    const f = findSwap(c, i, a);
    if (!f || !affordable(c, a.vms.length + f.b.vms.length, a.memoryMiB + f.b.memoryMiB)) continue;
    const helps = vmIds(c, c.state.vmsOn[i].filter((j) => c.problem.latencySensitive[j] === 1 && !a.vms.includes(j)));
    const whyA: WhyVm = { code: a.vms.some((j) => c.problem.latencySensitive[j] === 1) ? "victim" : "aggressor", helps, alternatives: cands.length - 1 };
    keep(c, tryMove(c, a, f.host), { kind: "fix-breach", priority: 1, whyVm: whyA, whyTarget: f.whyA });
    keep(c, tryMove(c, f.b, i), { kind: "fix-breach", priority: 1, whyVm: { code: "making-room", helps, alternatives: 0 }, whyTarget: f.whyB });
    return true;
  }
  return false;
}

function findSwap(c: MigrateContext, i: number, a: Item): SwapFound | undefined {
  const s = c.state;
  if (Array.from(a.vms).some((j) => s.hostOf[j] !== i)) return undefined;
  lift(s, a.vms);
  try {
    for (const host of candidates(c, c.problem.nHosts <= TARGET_SAMPLE)) {
      if (host === i || c.forbidden[host] === 1) continue;
      const room = c.problem.hostMemoryMiB[host] - s.memUsedMiB[host];
      for (const b of itemsOn(c, host)) {
        if (room + b.memoryMiB < a.memoryMiB || Array.from(b.vms).some((j) => s.hostOf[j] !== host)) continue;
        const f = trySwapWith(c, i, a, b, host);
        if (f) return f;
      }
    }
    return undefined;
  } finally {
    place(s, a.vms, i);
  }
}

/** trySwapWith checks a → host and b → i with both lifted; the state is as it was after. */
function trySwapWith(c: MigrateContext, i: number, a: Item, b: Item, host: number): SwapFound | undefined {
  const s = c.state;
  lift(s, b.vms);
  let found: SwapFound | undefined;
  if (firstFailing(c, s, a, host) === undefined) {
    const whyA = whyOn(c, a.vms[0], host);
    place(s, a.vms, host);
    if (firstFailing(c, s, b, i) === undefined) {
      const whyB = whyOn(c, b.vms[0], i);
      place(s, b.vms, i);
      if (hostRisk(c.model, s, i).breaches === 0) found = { b, host, whyA, whyB };
      lift(s, b.vms);
    }
    lift(s, a.vms);
  }
  place(s, b.vms, host);
  return found;
}

function lift(s: PlacementState, vms: Int32Array): void {
  for (const j of vms) s.unassign(j);
}

function place(s: PlacementState, vms: Int32Array, i: number): void {
  for (const j of vms) s.assign(j, i);
}
