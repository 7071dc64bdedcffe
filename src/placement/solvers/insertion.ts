import { fillWith, hasRoom, hostOk, type Item } from "../items.js";
import { isAllowed } from "../problem.js";
import { itemsOn, liftItem, placeItem, ruinRecreate, sampleUsed, type MoveContext } from "./ruin-recreate.js";

/**
 * The insertion phase: the first key of the lexicographic objective (unplaced VMs, hard
 * violations, SLO breaches, cost). Items the construction left out are placed before cost is
 * optimised, at any cost: on the used host they fill most, else on an empty host of the
 * cheapest type that takes them, else by an ejection chain: on a host that would take the item
 * once some of its items left, those blockers leave and are themselves inserted elsewhere, with
 * the same rules one level down (the host they left is closed to them, so a chain never cycles).
 * A chain either places everything it moved or is rolled back whole: no placed VM is ever traded.
 * Where no chain works (every host in use, the room left split into slivers), the last resort
 * is a ruin-and-recreate that re-packs the item with everything on a few hosts that nearly take
 * it (plus random others): measured on a fleet packed by a network-blind FFD (every host used,
 * 46 of 300 VMs out), chains placed none of them.
 *
 * Cost: the item itself scans every used host, O(hosts); a chain tries at most `breadth` hosts
 * and two blocker sets per host at each of `depth` levels, each blocker over a sample of 64
 * used hosts, so one item costs O(hosts + (2·breadth)^depth × 64) filter calls, plus `repacks`
 * ruins of a few hosts each; only items the construction left out pay it.
 */
export interface InsertionLimits {
  /** Ejection levels below the item itself (0: direct placement only). */
  readonly depth: number;
  /** Hosts tried per level, those needing the least room made first. */
  readonly breadth: number;
  /** Ruin-and-recreate attempts per item once no chain works (0: none). */
  readonly repacks?: number;
}

export const DEFAULT_INSERTION: InsertionLimits = { depth: 3, breadth: 6, repacks: 16 };

/** insertUnplaced tries to place every item (largest first); returns the ones still out. */
export function insertUnplaced(c: MoveContext, items: readonly Item[], limits: InsertionLimits = DEFAULT_INSERTION): Item[] {
  const order = [...items].sort((a, b) => b.size - a.size || a.index - b.index);
  const left: Item[] = [];
  for (const it of order) {
    c.journal.clear();
    if (insertItem(c, it, limits.depth, limits.breadth, [])) continue;
    c.journal.rollback();
    if (!repack(c, it, limits.repacks ?? 0)) left.push(it);
  }
  c.journal.clear();
  return left.sort((a, b) => a.index - b.index);
}

/**
 * Blockers (below the top level) look at this many random used hosts, not all of them: the
 * number of chain nodes grows as (2·breadth)^depth, and a full scan at each made one item cost
 * 7 ms at 10,000 hosts (20 s for the 2,866 VMs a network-blind FFD left out there).
 */
const BLOCKER_SAMPLE = 64;

function insertItem(c: MoveContext, item: Item, depth: number, breadth: number, closed: readonly number[], top = true): boolean {
  const hosts = top ? c.s.usedList : sampleUsed(c, BLOCKER_SAMPLE, closed);
  if (placeDirect(c, item, hosts, closed)) return true;
  if (depth <= 0) return false;
  for (const h of ejectionHosts(c, item, hosts, breadth, closed)) {
    for (const blockers of blockerSets(c, item, h)) {
      const mark = c.journal.size;
      for (const b of blockers) liftItem(c, b);
      if (hostOk(c.s, h) && placeItem(c, item, h)) {
        const next = [...closed, h];
        const rest = [...blockers].sort((a, b) => b.size - a.size || a.index - b.index);
        if (rest.every((b) => insertItem(c, b, depth - 1, breadth, next, false))) return true;
      }
      c.journal.rollbackTo(mark);
    }
  }
  return false;
}

/**
 * repack: ruin the host that needs the least room made for the item plus one to three random
 * used hosts, and recreate their items with it; the first attempt that places all wins.
 */
function repack(c: MoveContext, item: Item, attempts: number): boolean {
  const near = ejectionHosts(c, item, c.s.usedList, attempts, []);
  for (let k = 0; k < attempts && near.length > 0; k++) {
    const first = near[k % near.length];
    const hosts = [first, ...sampleUsed(c, 1 + Math.floor(c.rng() * 3), [first])];
    c.journal.clear();
    if (ruinRecreate(c, hosts, [item])) return true;
    c.journal.rollback();
  }
  c.journal.clear();
  return false;
}

/** room: what host i has left of memory, vCPUs and network. */
function room(c: MoveContext, i: number): [number, number, number] {
  const p = c.s.problem;
  return [p.hostMemoryMiB[i] - c.s.memUsedMiB[i], p.hostVcpuCap[i] - c.s.vcpusUsed[i], p.hostNetworkMbps[i] - c.s.netUsedMbps[i]];
}

/** resourcesOn: how many fractions fillWith sums on host i (2, or 3 with network). */
function resourcesOn(c: MoveContext, i: number): number {
  const p = c.s.problem;
  return p.networkInPlay && Number.isFinite(p.hostNetworkMbps[i]) ? 3 : 2;
}

function allowedOn(c: MoveContext, item: Item, i: number): boolean {
  for (const j of item.vms) if (!isAllowed(c.s.problem, j, i)) return false;
  return true;
}

/**
 * placeDirect: the used host the item fills most (memory, vCPU and network fractions), else an
 * empty host of the cheapest type that takes it (the rule: open the cheapest host that
 * fits, not the cheapest per capacity: the item is what must be placed, not the fleet).
 */
function placeDirect(c: MoveContext, item: Item, hosts: readonly number[], closed: readonly number[]): boolean {
  const p = c.s.problem;
  let best = -1;
  let bestFill = -Infinity;
  for (const i of hosts) {
    if (!hasRoom(c.s, item, i) || closed.includes(i)) continue;
    const fill = fillWith(c.s, item, i) / resourcesOn(c, i);
    if (fill < bestFill || (fill === bestFill && i > best) || !allowedOn(c, item, i)) continue;
    const mark = c.journal.size;
    if (!placeItem(c, item, i)) continue;
    c.journal.rollbackTo(mark);
    best = i;
    bestFill = fill;
  }
  if (best >= 0 && placeItem(c, item, best)) return true;
  if (c.s.usedList.length === p.nHosts) return false;
  for (const t of c.cheapestTypes) {
    // Closed hosts hold the item a chain made room for, so they are never empty; checked anyway.
    const i = c.s.empty.first(t);
    if (i >= 0 && !closed.includes(i) && allowedOn(c, item, i) && placeItem(c, item, i)) return true;
  }
  return false;
}

/**
 * ejectionHosts: up to `breadth` of `hosts` whose type takes the item, ordered by the room that
 * must be made on them (the shortfall on each resource as a share of the host, summed).
 */
function ejectionHosts(c: MoveContext, item: Item, hosts: readonly number[], breadth: number, closed: readonly number[]): number[] {
  const p = c.s.problem;
  const net = item.networkMbps;
  // The best `breadth` kept in order as the scan goes: O(hosts × breadth), where sorting every
  // used host per call was most of the phase at 10,000 hosts.
  const top: { i: number; need: number }[] = [];
  if (breadth <= 0) return [];
  for (const i of hosts) {
    if (closed.includes(i) || !allowedOn(c, item, i)) continue;
    const [m, v, n] = room(c, i);
    const need = Math.max(0, item.memoryMiB - m) / p.hostMemoryMiB[i] + Math.max(0, item.vcpus - v) / p.hostVcpuCap[i] + (Number.isFinite(n) ? Math.max(0, net - n) / p.hostNetworkMbps[i] : 0);
    if (top.length === breadth && !before(need, i, top[breadth - 1])) continue;
    let k = top.length === breadth ? breadth - 1 : top.length;
    for (; k > 0 && before(need, i, top[k - 1]); k--) top[k] = top[k - 1];
    top[k] = { i, need };
  }
  return top.map((x) => x.i);
}

function before(need: number, i: number, x: { i: number; need: number }): boolean {
  return need < x.need || (need === x.need && i < x.i);
}

/**
 * blockerSets: at most two ways to make room for the item on host h: the smallest single item
 * whose leaving covers every shortfall, and a greedy set (items that cover most of what is still
 * missing first). Items larger than the one being inserted never leave: a chain must shrink.
 */
function blockerSets(c: MoveContext, item: Item, h: number): Item[][] {
  const p = c.s.problem;
  const [m, v, n] = room(c, h);
  const short = [Math.max(0, item.memoryMiB - m), Math.max(0, item.vcpus - v), Number.isFinite(n) ? Math.max(0, item.networkMbps - n) : 0];
  const scale = [p.hostMemoryMiB[h], p.hostVcpuCap[h], Number.isFinite(p.hostNetworkMbps[h]) ? p.hostNetworkMbps[h] : 1];
  const on = itemsOn(c, h).filter((b) => b.size < item.size || (b.size === item.size && b.vms.length < item.vms.length));
  const demand = (b: Item): number[] => [b.memoryMiB, b.vcpus, b.networkMbps];
  const out: Item[][] = [];
  let single: Item | undefined;
  for (const b of on) {
    const d = demand(b);
    if (d.every((x, r) => x >= short[r] - 1e-9) && (!single || b.size < single.size)) single = b;
  }
  if (single) out.push([single]);
  const missing = [...short];
  const chosen: Item[] = [];
  const pool = [...on];
  while (missing.some((x) => x > 1e-9) && pool.length > 0) {
    let k = 0;
    let gain = -1;
    pool.forEach((b, q) => {
      const g = demand(b).reduce((s, x, r) => s + Math.min(x, missing[r]) / scale[r], 0);
      if (g > gain) (gain = g), (k = q);
    });
    if (gain <= 0) break;
    const [b] = pool.splice(k, 1);
    chosen.push(b);
    demand(b).forEach((x, r) => (missing[r] -= x));
  }
  if (missing.every((x) => x <= 1e-9) && !(chosen.length === 1 && chosen[0] === single)) out.push(chosen);
  return out;
}
