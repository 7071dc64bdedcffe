import type { Framework } from "../framework.js";
import { fillWith, hasRoom, hostOk, type Item, type ItemSet } from "../items.js";
import { isAllowed } from "../problem.js";
import type { PlacementState } from "../state.js";
import type { Journal } from "./journal.js";

/**
 * Ruin and recreate, the large-neighbourhood step of the local search: take every item off a
 * few hosts, then put them back largest first, each on the fullest sampled used host that takes
 * it (best fit), with a one-level ejection chain before a host is (re)opened. Emptying a host
 * for good is what lowers the cost; the best-fit recreate concentrates load, which the search's
 * Σ fill² guide rewards, so later ruins can empty more.
 */
export interface MoveContext {
  readonly fw: Framework;
  readonly set: ItemSet;
  readonly s: PlacementState;
  readonly journal: Journal;
  readonly rng: () => number;
  /** Hosts in the order new ones are opened: cheapest per capacity first, or cheapest outright. */
  readonly openOrder: Int32Array;
  readonly cheapestOrder: Int32Array;
  /** Used hosts sampled per item: bounds a recreate to O(items × sample), not O(items × hosts). */
  readonly sample: number;
}

/** placeItem puts an item on host i through the journal, or changes nothing and returns false. */
export function placeItem(c: MoveContext, item: Item, i: number): boolean {
  const mark = c.journal.size;
  for (const j of item.vms) {
    if (!c.fw.fits(c.s, j, i)) {
      c.journal.rollbackTo(mark);
      return false;
    }
    c.journal.assign(j, i);
  }
  return true;
}

/** liftItem takes an item off its host through the journal. */
export function liftItem(c: MoveContext, item: Item): void {
  for (const j of item.vms) if (c.s.hostOf[j] >= 0) c.journal.unassign(j);
}

/** itemsOn lists the distinct items on host i (ascending item index, for determinism). */
export function itemsOn(c: MoveContext, i: number): Item[] {
  const out: Item[] = [];
  const vms = c.s.vmsOn[i];
  for (const j of vms) {
    const it = c.set.items[c.set.itemOf[j]];
    // A multi-VM item is listed once: at its first member on this host.
    if (it.vms.length === 1 || it.vms[0] === j || c.s.hostOf[it.vms[0]] !== i) {
      if (it.vms.length > 1 && out.includes(it)) continue;
      out.push(it);
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

const scratch: number[] = [];
let stamp = new Int32Array(0);
let epoch = 0;

/**
 * sampleUsed draws up to `n` distinct used hosts, excluding `skip`: by rejection with an epoch
 * stamp when the used hosts far outnumber n (O(n), no copy of the list: it is called per
 * recreated item), by a partial Fisher–Yates shuffle of a copy otherwise.
 */
export function sampleUsed(c: MoveContext, n: number, skip: ReadonlySet<number>): number[] {
  const used = c.s.usedList;
  const out: number[] = [];
  if (used.length >= 4 * (n + skip.size)) {
    if (stamp.length < c.s.problem.nHosts) stamp = new Int32Array(c.s.problem.nHosts);
    if (++epoch === 2 ** 31 - 1) (stamp.fill(0), (epoch = 1));
    for (let tries = 0; out.length < n && tries < 8 * n; tries++) {
      const i = used[Math.floor(c.rng() * used.length)];
      if (stamp[i] === epoch || skip.has(i)) continue;
      stamp[i] = epoch;
      out.push(i);
    }
    return out;
  }
  scratch.length = 0;
  for (const i of used) scratch.push(i);
  for (let k = 0; k < scratch.length && out.length < n; k++) {
    const r = k + Math.floor(c.rng() * (scratch.length - k));
    const i = scratch[r];
    scratch[r] = scratch[k];
    scratch[k] = i;
    if (!skip.has(i)) out.push(i);
  }
  return out;
}

/**
 * ruinRecreate empties `hosts` and re-places their items, and the `extra` unplaced items with
 * them (the insertion phase's last resort). Returns false (state rolled back by the caller
 * through the journal) when some item finds no host at all.
 */
export function ruinRecreate(c: MoveContext, hosts: readonly number[], extra: readonly Item[] = []): boolean {
  const ruined = new Set(hosts);
  const items: Item[] = [...extra];
  for (const i of hosts) for (const it of itemsOn(c, i)) items.push(it);
  for (const it of items) liftItem(c, it);
  for (const i of hosts) if (!hostOk(c.s, i)) return false;
  // Largest first, with a little noise so repeated ruins of one host try other orders.
  const keyed = items.map((it) => ({ it, key: it.size * (0.9 + 0.2 * c.rng()) }));
  keyed.sort((a, b) => b.key - a.key || a.it.index - b.it.index);
  const r: Recreate = { ruined, opened: [], memMiB: 0, vcpus: 0, netMbps: 0 };
  for (const it of items) (r.memMiB += it.memoryMiB), (r.vcpus += it.vcpus), (r.netMbps += it.networkMbps);
  for (const { it } of keyed) {
    if (!recreateItem(c, it, r)) return false;
    r.memMiB -= it.memoryMiB;
    r.vcpus -= it.vcpus;
    r.netMbps -= it.networkMbps;
  }
  return true;
}

/** Recreate: the hosts a ruin emptied, those it opened since, and the demand still to place. */
interface Recreate {
  readonly ruined: ReadonlySet<number>;
  readonly opened: number[];
  memMiB: number;
  vcpus: number;
  netMbps: number;
}

function recreateItem(c: MoveContext, item: Item, r: Recreate): boolean {
  // Hosts this recreate opened come first: they are why the rest should fit without more.
  const cands = [...r.opened, ...sampleUsed(c, c.sample, new Set([...r.ruined, ...r.opened]))];
  if (placeBestFit(c, item, cands)) return true;
  if (ejectOne(c, item, cands.slice(0, 8))) return true;
  const i = openHost(c, item, r);
  if (i < 0) return false;
  r.opened.push(i);
  return true;
}

/**
 * placeBestFit puts the item on the candidate it would fill most (memory, vCPU and network
 * fractions, fillWith). A one-VM item is probed with the filters alone; a group is placed and
 * taken back off.
 */
export function placeBestFit(c: MoveContext, item: Item, cands: readonly number[]): boolean {
  const s = c.s;
  let best = -1;
  let bestFill = -1;
  for (const i of cands) {
    if (!hasRoom(s, item, i)) continue;
    const fill = fillWith(s, item, i);
    if (fill <= bestFill) continue;
    if (item.vms.length === 1) {
      if (!c.fw.fits(s, item.vms[0], i)) continue;
    } else {
      if (!placeItem(c, item, i)) continue;
      c.journal.rollbackTo(c.journal.size - item.vms.length);
    }
    best = i;
    bestFill = fill;
  }
  return best >= 0 && placeItem(c, item, best);
}

/**
 * ejectOne: on a candidate host, take off one smaller item so the item fits there, and re-place
 * the ejected one on another sampled host. One level deep: an ejection chain of length two.
 */
function ejectOne(c: MoveContext, item: Item, cands: readonly number[]): boolean {
  const p = c.s.problem;
  for (const t of cands) {
    for (const j of [...c.s.vmsOn[t]]) {
      const e = c.set.items[c.set.itemOf[j]];
      // One-VM items only: cheap, and groups rarely make the best room.
      if (e.vms.length > 1 || e.size >= item.size) continue;
      // Only an ejection that makes room on every resource is worth trying.
      if (c.s.memUsedMiB[t] - e.memoryMiB + item.memoryMiB > p.hostMemoryMiB[t]) continue;
      if (c.s.vcpusUsed[t] - e.vcpus + item.vcpus > p.hostVcpuCap[t]) continue;
      if (c.s.netUsedMbps[t] - e.networkMbps + item.networkMbps > p.hostNetworkMbps[t] + 1e-9) continue;
      const mark = c.journal.size;
      liftItem(c, e);
      if (hostOk(c.s, t) && placeItem(c, item, t)) {
        const others = cands.filter((i) => i !== t);
        if (placeBestFit(c, e, others)) return true;
      }
      c.journal.rollbackTo(mark);
    }
  }
  return false;
}

/**
 * openHost puts the item on an unused host (the just-ruined ones count as unused): when one
 * host of some type can take all the recreate still has to place, two times in three the
 * cheapest such type (what turns two big hosts into a big and a small one); otherwise by type
 * cheapest per capacity, or, a third of the time, cheapest outright. Within a type a ruined host is preferred (no churn).
 * Returns the host, or -1.
 */
function openHost(c: MoveContext, item: Item, r: Recreate): number {
  const s = c.s;
  const p = s.problem;
  const ruinedByType = new Map<number, number>();
  for (const h of r.ruined) {
    const t = p.hostTypeOf[h];
    if (s.vmsOn[h].length === 0 && h < (ruinedByType.get(t) ?? Infinity)) ruinedByType.set(t, h);
  }
  const tryOrder = (order: Int32Array, wholeOnly: boolean): number => {
    const triedTypes = new Set<number>();
    for (const i of order) {
      if (s.vmsOn[i].length > 0) continue;
      const t = p.hostTypeOf[i];
      if (triedTypes.has(t)) continue;
      triedTypes.add(t);
      if (wholeOnly && (p.hostMemoryMiB[i] < r.memMiB || p.hostVcpuCap[i] < r.vcpus || p.hostNetworkMbps[i] < r.netMbps - 1e-9)) continue;
      // Static checks first: most types refuse an item on size or labels alone.
      if (!item.vms.every((j) => isAllowed(p, j, i))) continue;
      const h = ruinedByType.get(t) ?? i;
      if (placeItem(c, item, h)) return h;
    }
    return -1;
  };
  // Not always: two small hosts can beat the one big host that holds everything.
  const whole = c.rng() < 2 / 3 ? tryOrder(c.cheapestOrder, true) : -1;
  if (whole >= 0) return whole;
  return tryOrder(c.rng() < 2 / 3 ? c.openOrder : c.cheapestOrder, false);
}
