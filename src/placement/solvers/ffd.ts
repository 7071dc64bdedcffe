import type { Framework } from "../framework.js";
import { typeOpenOrder } from "../host-order.js";
import { fillWith, hasRoom, tryPlaceItem, type Item, type ItemSet } from "../items.js";
import type { PlacementProblem } from "../problem.js";
import { PlacementState } from "../state.js";

export interface FfdOptions {
  /** first: the first open host that takes the item; best: the one it would fill most. */
  mode?: "first" | "best";
}

export interface FfdResult {
  readonly state: PlacementState;
  /** Items no host could take (every filter is respected, so they stay out). */
  readonly unplaced: readonly number[];
}

/**
 * firstFitDecreasing places items largest first on open hosts (in opening order), opening a new
 * host of the cheapest type per unit of capacity (host-order.ts) when none takes it. Every
 * placement passes every filter, so the interference rule (no predicted SLO breach, no Bobtail
 * under forbidBobtail) holds by construction.
 *
 * Cost: O(items × hosts still open to some remaining item). A host drops out of the scan as soon
 * as it cannot hold the smallest remaining demand (suffix minima over the sorted items), so on
 * generated instances the scan stays at a few dozen hosts; the quadratic worst case needs
 * items that fit nowhere open yet keep hosts half empty, which interference can cause on
 * victim-heavy fleets, and is accepted as FFD is only the start of the search.
 */
export function firstFitDecreasing(p: PlacementProblem, fw: Framework, set: ItemSet, o: FfdOptions = {}): FfdResult {
  const s = new PlacementState(p);
  const order = [...set.items].sort((a, b) => b.size - a.size || a.index - b.index);
  const sufMem = suffixMin(order, (it) => it.memoryMiB);
  const sufCpu = suffixMin(order, (it) => it.vcpus);
  const sufNet = suffixMin(order, (it) => it.networkMbps);
  const opener = new HostOpener(p);
  const active: number[] = [];
  const unplaced: number[] = [];
  for (let k = 0; k < order.length; k++) {
    if ((k & 63) === 0) {
      // In place: at 10,000 hosts a new array per pass was half the run in garbage collection.
      let n = 0;
      for (const i of active)
        if (p.hostMemoryMiB[i] - s.memUsedMiB[i] >= sufMem[k] && p.hostVcpuCap[i] - s.vcpusUsed[i] >= sufCpu[k] && p.hostNetworkMbps[i] - s.netUsedMbps[i] >= sufNet[k] - 1e-9) active[n++] = i;
      active.length = n;
    }
    const item = order[k];
    if (placeOnOpen(fw, s, item, active, o.mode ?? "first")) continue;
    const i = opener.open(fw, s, item);
    if (i >= 0) active.push(i);
    else unplaced.push(item.index);
  }
  return { state: s, unplaced: unplaced.sort((a, b) => a - b) };
}

function placeOnOpen(fw: Framework, s: PlacementState, item: Item, active: readonly number[], mode: "first" | "best"): boolean {
  const p = s.problem;
  let best = -1;
  let bestFill = -1;
  for (const i of active) {
    if (!hasRoom(s, item, i)) continue;
    if (mode === "first") {
      if (tryPlaceItem(fw, s, item, i)) return true;
      continue;
    }
    const fill = fillWith(s, item, i);
    if (fill <= bestFill || !tryPlaceItem(fw, s, item, i)) continue;
    for (const j of item.vms) s.unassign(j);
    best = i;
    bestFill = fill;
  }
  return best >= 0 && tryPlaceItem(fw, s, item, best);
}

/**
 * HostOpener hands out unused hosts cheapest type first. Hosts of a type are interchangeable
 * (same resources, scheduler and constraint-relevant labels), so one empty host per type is
 * tried (its lowest index, PlacementState.empty) and a type that refuses an item is skipped whole.
 */
export class HostOpener {
  private readonly typeOrder: Int32Array;

  constructor(p: PlacementProblem) {
    this.typeOrder = typeOpenOrder(p);
  }

  /** open places the item on an unused host of the cheapest type that takes it; -1 if none. */
  open(fw: Framework, s: PlacementState, item: Item): number {
    for (const t of this.typeOrder) {
      const i = s.empty.first(t);
      if (i >= 0 && tryPlaceItem(fw, s, item, i)) return i;
    }
    return -1;
  }
}

function suffixMin(items: readonly Item[], f: (it: Item) => number): Float64Array {
  const out = new Float64Array(items.length + 1).fill(Infinity);
  for (let k = items.length - 1; k >= 0; k--) out[k] = Math.min(out[k + 1], f(items[k]));
  return out;
}
