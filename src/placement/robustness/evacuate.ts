import type { Framework } from "../framework.js";
import { hasRoom, tryPlaceItem, type Item, type ItemSet } from "../items.js";
import type { PlacementState } from "../state.js";

/** Evacuation: where each VM of a failed host goes, and the VMs nowhere can take. */
export interface Evacuation {
  readonly host: number;
  readonly vms: number;
  readonly moves: readonly (readonly [vm: number, to: number])[];
  readonly stranded: readonly number[];
}

/** evacuationOrder: the used hosts, emptiest first (ties: index), the order failed hosts' VMs try them in. */
export function evacuationOrder(s: PlacementState): number[] {
  return [...s.usedList].sort((a, b) => s.load(a) - s.load(b) || a - b);
}

/**
 * evacuateHost answers "host i fails: can its VMs run elsewhere?". Its items (hard-affinity
 * groups move whole), largest first, go to the first other used host in `order` (emptiest first:
 * a failure's load spreads) that has the room and passes every filter, so a re-placed VM breaks
 * no hard constraint and causes no predicted SLO breach, its own or a neighbour's. Hosts the
 * plan leaves off do not count: a host that is off cannot take the load when one fails. The
 * state is restored before it returns. O(items on i × hosts tried).
 */
export function evacuateHost(s: PlacementState, fw: Framework, set: ItemSet, i: number, order: readonly number[]): Evacuation {
  const items = itemsOnHost(s, set, i);
  const vms = s.vmsOn[i].length;
  const original = [...s.vmsOn[i]];
  for (const j of original) s.unassign(j);
  const moves: [number, number][] = [];
  const stranded: number[] = [];
  for (const item of items) {
    const to = order.find((h) => h !== i && s.vmsOn[h].length > 0 && hasRoom(s, item, h) && tryPlaceItem(fw, s, item, h));
    if (to === undefined) stranded.push(...item.vms);
    else for (const j of item.vms) moves.push([j, to]);
  }
  // Undo in reverse, so every host's VM list is left as it was.
  for (let k = moves.length - 1; k >= 0; k--) s.unassign(moves[k][0]);
  for (const j of original) s.assign(j, i);
  return { host: i, vms, moves, stranded: stranded.sort((a, b) => a - b) };
}

/** itemsOnHost: the items with VMs on host i, largest first; an item split over hosts contributes its VMs on i. */
export function itemsOnHost(s: PlacementState, set: ItemSet, i: number): Item[] {
  const p = s.problem;
  const seen = new Map<number, number[]>();
  for (const j of [...s.vmsOn[i]].sort((a, b) => a - b)) {
    const k = set.itemOf[j];
    const list = seen.get(k);
    if (list) list.push(j);
    else seen.set(k, [j]);
  }
  const out: Item[] = [];
  for (const [k, vms] of seen) {
    const whole = set.items[k];
    if (vms.length === whole.vms.length) {
      out.push(whole);
      continue;
    }
    let memoryMiB = 0;
    let vcpus = 0;
    let networkMbps = 0;
    for (const j of vms) (memoryMiB += p.vmMemoryMiB[j]), (vcpus += p.vmVcpus[j]), (networkMbps += p.vmNetworkMbps[j]);
    out.push({ index: k, vms: Int32Array.from(vms), memoryMiB, vcpus, networkMbps, size: (whole.size * vms.length) / whole.vms.length });
  }
  return out.sort((a, b) => b.size - a.size || a.index - b.index);
}

/** checkNPlusOne evacuates each of `hosts` (default: every used host, by index) in turn. */
export function checkNPlusOne(s: PlacementState, fw: Framework, set: ItemSet, hosts?: readonly number[]): Evacuation[] {
  const order = evacuationOrder(s);
  const list = hosts ?? [...s.usedList].sort((a, b) => a - b);
  return list.filter((i) => s.vmsOn[i].length > 0).map((i) => evacuateHost(s, fw, set, i, order));
}
