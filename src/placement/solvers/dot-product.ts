import type { Framework } from "../framework.js";
import { hostOpenOrder } from "../host-order.js";
import { tryPlaceItem, type Item, type ItemSet } from "../items.js";
import type { PlacementProblem } from "../problem.js";
import { PlacementState } from "../state.js";
import { HostOpener, type FfdResult } from "./ffd.js";

/** How many items of one demand class a host may refuse (interference, anti-affinity) before the class is skipped there. */
const TRIES_PER_CLASS = 4;

/**
 * dotProductPack is a bin-centric vector packing after Panigrahy et al. ("Heuristics for Vector
 * Bin Packing", 2011): open one host, then repeatedly add the item whose demand vector points
 * most the way of the host's residual capacity (cosine of the two, each as a fraction of the
 * host) plus `sizeWeight` × its size, until nothing more fits; then open the next. Aligning
 * with the residual pairs memory-heavy with CPU-heavy VMs; item-centric FFD does not, and on
 * generated fleets leaves big hosts memory-full and CPU-idle, ~12% above the bound. The plain
 * dot product or the L2 residual rule favour size too much and do the same; the cosine alone
 * ignores size. The best sizeWeight varies by instance, so callers try a few (construct.ts).
 *
 * Items are grouped into demand classes (same memory, vCPUs, network, role), so each choice scans
 * classes, not items: O(hosts × classes + items × TRIES_PER_CLASS) filter calls. The next host
 * is of the cheapest type per capacity, or, once what is left fits one host, the cheapest type
 * that holds it all. Items no host took this way go through first-fit (ffd.ts HostOpener).
 */
export function dotProductPack(p: PlacementProblem, fw: Framework, set: ItemSet, sizeWeight = 0.3): FfdResult {
  const s = new PlacementState(p);
  const classes = demandClasses(p, set);
  const remaining = { mem: 0, cpu: 0, count: set.items.length };
  for (const it of set.items) (remaining.mem += it.memoryMiB), (remaining.cpu += it.vcpus);
  const order = hostOpenOrder(p);
  // Hosts that took nothing (labels, interference) are not offered again.
  const refused = new Uint8Array(p.nHosts);
  while (remaining.count > 0) {
    const i = nextHost(p, s, order, refused, remaining);
    if (i < 0) break;
    if (fillHost(fw, s, i, classes, remaining, sizeWeight) === 0) refused[i] = 1;
  }
  const unplaced: number[] = [];
  const opener = new HostOpener(p);
  for (const cl of classes)
    for (let k = 0; k < cl.items.length; k++) {
      if (cl.taken[k]) continue;
      const it = cl.items[k];
      if (!s.usedList.some((h) => tryPlaceItem(fw, s, it, h)) && opener.open(fw, s, it) < 0) unplaced.push(it.index);
    }
  return { state: s, unplaced: unplaced.sort((a, b) => a - b) };
}

interface DemandClass {
  readonly memoryMiB: number;
  readonly vcpus: number;
  readonly items: Item[];
  readonly taken: Uint8Array;
  head: number;
}

/**
 * demandClasses groups one-VM items by demand and interference role (victim, sleepy or busy
 * CPU-bound, neither): a host that refuses a few items of a class then refuses the rest for the
 * same reason, so skipping the class loses nothing.
 */
function demandClasses(p: PlacementProblem, set: ItemSet): DemandClass[] {
  const byKey = new Map<string, Item[]>();
  for (const it of set.items) {
    const j = it.vms[0];
    const pr = p.profiles[j];
    const role = p.victims[j] ? `v${pr.cpuVcpus}` : pr.cpuVcpus === 0 ? "n" : pr.sleepy ? "s" : "h";
    const key = it.vms.length === 1 ? `${it.memoryMiB}|${it.vcpus}|${p.vmNetworkMbps[j]}|${role}` : `item${it.index}`;
    const list = byKey.get(key);
    if (list) list.push(it);
    else byKey.set(key, [it]);
  }
  return [...byKey.values()].map((items) => ({ memoryMiB: items[0].memoryMiB, vcpus: items[0].vcpus, items, taken: new Uint8Array(items.length), head: 0 }));
}

/** nextHost: an unused host of the cheapest type, or of the cheapest type that holds all that is left. */
function nextHost(p: PlacementProblem, s: PlacementState, order: Int32Array, refused: Uint8Array, rem: { mem: number; cpu: number }): number {
  let first = -1;
  let cheapestWhole = -1;
  // O(hosts) per opened host, O(hosts²) simple checks in all: a millisecond at 1,000 hosts.
  for (const i of order) {
    if (s.vmsOn[i].length > 0 || refused[i]) continue;
    if (first < 0) first = i;
    if (rem.mem <= p.hostMemoryMiB[i] && rem.cpu <= p.hostVcpuCap[i] && (cheapestWhole < 0 || p.hostCost[i] < p.hostCost[cheapestWhole])) cheapestWhole = i;
  }
  return cheapestWhole >= 0 ? cheapestWhole : first;
}

/** fillHost adds best-matching items to host i until none fits; returns how many it placed. */
function fillHost(fw: Framework, s: PlacementState, i: number, classes: DemandClass[], rem: { mem: number; cpu: number; count: number }, sizeWeight: number): number {
  const p = s.problem;
  const blocked = new Uint8Array(classes.length);
  let placed = 0;
  for (;;) {
    const resMem = (p.hostMemoryMiB[i] - s.memUsedMiB[i]) / p.hostMemoryMiB[i];
    const resCpu = (p.hostVcpuCap[i] - s.vcpusUsed[i]) / p.hostVcpuCap[i];
    let best = -1;
    let bestDot = -Infinity;
    for (let c = 0; c < classes.length; c++) {
      const cl = classes[c];
      if (blocked[c] || cl.head >= cl.items.length) continue;
      const dm = cl.memoryMiB / p.hostMemoryMiB[i];
      const dc = cl.vcpus / p.hostVcpuCap[i];
      if (dm > resMem + 1e-12 || dc > resCpu + 1e-12) continue;
      const dot = (dm * resMem + dc * resCpu) / Math.sqrt((dm * dm + dc * dc) * (resMem * resMem + resCpu * resCpu)) + sizeWeight * (dm + dc);
      if (dot > bestDot) (bestDot = dot), (best = c);
    }
    if (best < 0) return placed;
    const it = takeFrom(fw, s, i, classes[best]);
    if (!it) {
      blocked[best] = 1;
      continue;
    }
    placed++;
    rem.mem -= it.memoryMiB;
    rem.cpu -= it.vcpus;
    rem.count--;
  }
}

/** takeFrom places the first of a class's next few items that host i accepts. */
function takeFrom(fw: Framework, s: PlacementState, i: number, cl: DemandClass): Item | undefined {
  let tried = 0;
  for (let k = cl.head; k < cl.items.length && tried < TRIES_PER_CLASS; k++) {
    if (cl.taken[k]) continue;
    tried++;
    if (!tryPlaceItem(fw, s, cl.items[k], i)) continue;
    cl.taken[k] = 1;
    while (cl.head < cl.items.length && cl.taken[cl.head]) cl.head++;
    return cl.items[k];
  }
  return undefined;
}
