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
  /** Host types in the order new hosts are opened: cheapest per capacity first, or cheapest outright. */
  readonly openTypes: Int32Array;
  readonly cheapestTypes: Int32Array;
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

/** sampleUsed: sampleHosts over the used hosts. */
export function sampleUsed(c: MoveContext, n: number, skip: readonly number[] = []): number[] {
  return sampleHosts(c, c.s.usedList, n, skip);
}

/**
 * sampleHosts draws up to `n` distinct hosts of `from`, none of `skip`: by rejection with an
 * epoch stamp when `from` far outnumbers n (O(n + skip), no copy of the list: it is called per
 * recreated item), by a partial Fisher–Yates shuffle of a copy otherwise.
 */
export function sampleHosts(c: MoveContext, from: readonly number[], n: number, skip: readonly number[]): number[] {
  const out: number[] = [];
  if (stamp.length < c.s.problem.nHosts) stamp = new Int32Array(c.s.problem.nHosts);
  if (++epoch === 2 ** 31 - 1) (stamp.fill(0), (epoch = 1));
  // Skipped hosts carry this draw's stamp from the start: rejected like repeats.
  for (const i of skip) stamp[i] = epoch;
  if (from.length >= 4 * (n + skip.length)) {
    for (let tries = 0; out.length < n && tries < 8 * n; tries++) {
      const i = from[Math.floor(c.rng() * from.length)];
      if (stamp[i] === epoch) continue;
      stamp[i] = epoch;
      out.push(i);
    }
    return out;
  }
  scratch.length = 0;
  for (const i of from) scratch.push(i);
  for (let k = 0; k < scratch.length && out.length < n; k++) {
    const r = k + Math.floor(c.rng() * (scratch.length - k));
    const i = scratch[r];
    scratch[r] = scratch[k];
    scratch[k] = i;
    if (stamp[i] !== epoch) out.push(i);
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

/** Used hosts (any fill) a recreate tries to make room on by ejecting one smaller item. */
const EJECT_SAMPLE = 8;

function recreateItem(c: MoveContext, item: Item, r: Recreate): boolean {
  // Hosts this recreate opened come first: they are why the rest should fit without more.
  // Only hosts with some room left can take the item; any used host can make room by ejecting.
  const cands = r.opened.concat(sampleHosts(c, c.s.roomyList, c.sample, r.opened));
  if (placeBestFit(c, item, cands)) return true;
  if (ejectOne(c, item, r.opened.concat(sampleUsed(c, EJECT_SAMPLE, r.opened)), cands)) return true;
  const i = openHost(c, item, r);
  if (i < 0) return false;
  r.opened.push(i);
  return true;
}

/**
 * placeBestFit puts the item on the candidate it would fill most (memory, vCPU and network
 * fractions, fillWith), never on `except`. A one-VM item is probed with the filters alone; a
 * group is placed and taken back off.
 */
export function placeBestFit(c: MoveContext, item: Item, cands: readonly number[], except = -1): boolean {
  const s = c.s;
  let best = -1;
  let bestFill = -1;
  for (const i of cands) {
    if (i === except || !hasRoom(s, item, i)) continue;
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
 * ejectOne: on one of `targets`, take off one smaller item so the item fits there, and re-place
 * the ejected one on another of `dests` (best fit). One level deep: an ejection chain of length two.
 */
function ejectOne(c: MoveContext, item: Item, targets: readonly number[], dests: readonly number[]): boolean {
  for (const t of targets) {
    // The cheap checks read flat arrays only (at 30,000 VMs the item objects miss the cache);
    // the few VMs that pass them are tried after, as trying changes the host's list.
    const tryable = ejectable(c, item, t);
    for (const j of tryable) {
      const e = c.set.items[c.set.itemOf[j]];
      const mark = c.journal.size;
      liftItem(c, e);
      if (hostOk(c.s, t) && placeItem(c, item, t) && placeBestFit(c, e, dests, t)) return true;
      c.journal.rollbackTo(mark);
    }
  }
  return false;
}

/**
 * ejectable: the VMs on host t whose leaving makes room for the item on every resource: one-VM
 * items only (cheap, and groups rarely make the best room), each smaller than the item.
 */
function ejectable(c: MoveContext, item: Item, t: number): number[] {
  const s = c.s;
  const p = s.problem;
  const { alone, itemSize } = c.set;
  const mem = p.hostMemoryMiB[t] - s.memUsedMiB[t] - item.memoryMiB;
  const cpu = p.hostVcpuCap[t] - s.vcpusUsed[t] - item.vcpus;
  const net = p.hostNetworkMbps[t] - s.netUsedMbps[t] - item.networkMbps + 1e-9;
  const out: number[] = [];
  for (const j of s.vmsOn[t]) {
    if (alone[j] === 0 || itemSize[j] >= item.size) continue;
    if (p.vmMemoryMiB[j] + mem >= 0 && p.vmVcpus[j] + cpu >= 0 && p.vmNetworkMbps[j] + net >= 0) out.push(j);
  }
  return out;
}

/**
 * openHost puts the item on an unused host (the just-ruined ones count as unused): when one
 * host of some type can take all the recreate still has to place, two times in three the
 * cheapest such type (what turns two big hosts into a big and a small one); otherwise by type
 * cheapest per capacity, or, a third of the time, cheapest outright. Within a type a ruined host
 * is preferred (no churn), else its lowest-index empty host (EmptyHosts: O(types), not O(hosts)).
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
  const tryOrder = (types: Int32Array, wholeOnly: boolean): number => {
    for (const t of types) {
      const i = ruinedByType.get(t) ?? s.empty.first(t);
      if (i < 0) continue;
      if (wholeOnly && (p.hostMemoryMiB[i] < r.memMiB || p.hostVcpuCap[i] < r.vcpus || p.hostNetworkMbps[i] < r.netMbps - 1e-9)) continue;
      // Static checks first: most types refuse an item on size or labels alone.
      if (!item.vms.every((j) => isAllowed(p, j, i))) continue;
      if (placeItem(c, item, i)) return i;
    }
    return -1;
  };
  // Not always: two small hosts can beat the one big host that holds everything.
  const whole = c.rng() < 2 / 3 ? tryOrder(c.cheapestTypes, true) : -1;
  if (whole >= 0) return whole;
  return tryOrder(c.rng() < 2 / 3 ? c.openTypes : c.cheapestTypes, false);
}
