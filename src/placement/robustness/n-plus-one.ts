import type { Framework } from "../framework.js";
import { hostOpenOrder } from "../host-order.js";
import { hasRoom, tryPlaceItem, type ItemSet } from "../items.js";
import type { PlacementState } from "../state.js";
import { checkNPlusOne, itemsOnHost, type Evacuation } from "./evacuate.js";

export interface RobustRepair {
  readonly hostsAdded: number;
  readonly costBefore: number;
  /** Why the repair stopped short, when it did. */
  readonly note?: string;
  /** The last check: every host that still fails, with its evacuation. */
  readonly failing: readonly Evacuation[];
}

/**
 * makeRobust turns a plan into an n+1 plan: while some used host cannot be evacuated, it switches
 * on one more host (the cheapest per capacity, as the heuristics open them) and spreads load onto
 * it from the fullest hosts, one item per host in turn, until it carries the mean load. Room freed
 * everywhere is what a failed host's VMs need; a spare left empty would be off, and a host that
 * is off cannot take them. Every move passes every filter. After a round only the hosts that
 * failed, the new host and the donors are evacuated again (the others only gained room).
 * Mutates the state; deterministic. At most `maxAdded` hosts are added.
 */
export function makeRobust(s: PlacementState, fw: Framework, set: ItemSet, maxAdded: number): RobustRepair {
  const costBefore = s.usedCost;
  let failing = checkNPlusOne(s, fw, set).filter((e) => e.stranded.length > 0);
  let added = 0;
  const order = hostOpenOrder(s.problem);
  while (failing.length > 0) {
    if (added >= maxAdded) return { hostsAdded: added, costBefore, failing, note: `stopped after adding ${added} host(s), the most the repair may add` };
    const spread = spreadOntoNewHost(s, fw, set, order);
    if (!spread) return { hostsAdded: added, costBefore, failing, note: "no unused host can take load from the used ones" };
    added++;
    const again = new Set([...failing.map((e) => e.host), spread.host, ...spread.donors]);
    failing = checkNPlusOne(s, fw, set, [...again].sort((a, b) => a - b)).filter((e) => e.stranded.length > 0);
  }
  return { hostsAdded: added, costBefore, failing };
}

/**
 * spreadOntoNewHost opens the first unused host (in `order`) that takes an item from the fullest
 * host, then keeps taking one item from each used host, fullest first, round after round, while
 * the new host stays under the mean load of the used hosts. Items tried largest first that keep
 * it under that mean. Returns the new host and the hosts that gave it VMs, or undefined.
 */
function spreadOntoNewHost(s: PlacementState, fw: Framework, set: ItemSet, order: Int32Array): { host: number; donors: number[] } | undefined {
  const donors = [...s.usedList].sort((a, b) => s.load(b) - s.load(a) || a - b);
  let total = 0;
  for (const i of donors) total += s.load(i);
  const target = total / (donors.length + 1);
  for (const h of order) {
    if (s.vmsOn[h].length > 0) continue;
    const gave = new Set<number>();
    let moved = true;
    while (moved && s.load(h) < target) {
      moved = false;
      for (const d of donors) {
        if (s.load(h) >= target) break;
        if (moveOne(s, fw, set, d, h, target)) (gave.add(d), (moved = true));
      }
    }
    if (gave.size > 0) return { host: h, donors: [...gave].sort((a, b) => a - b) };
  }
  return undefined;
}

/** moveOne moves the largest item of host d that host h takes while staying under `target` load. */
function moveOne(s: PlacementState, fw: Framework, set: ItemSet, d: number, h: number, target: number): boolean {
  for (const item of itemsOnHost(s, set, d)) {
    if (!hasRoom(s, item, h)) continue;
    for (const j of item.vms) s.unassign(j);
    if (tryPlaceItem(fw, s, item, h)) {
      if (s.load(h) <= target || s.vmsOn[h].length === item.vms.length) return true;
      for (const j of item.vms) s.unassign(j);
    }
    for (const j of item.vms) s.assign(j, d);
  }
  return false;
}
