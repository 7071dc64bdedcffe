import type { Framework } from "./framework.js";
import type { PlacementProblem } from "./problem.js";
import type { PlacementState } from "./state.js";

/**
 * An item is what the heuristics move: one VM, or a hard affinity group closed under shared
 * members (VMs that must share a host move together). `size` orders items for first-fit
 * decreasing: the largest of the memory, vCPU and (when in play) network demand relative to the
 * mean host capacity, so a memory-heavy and a CPU-heavy item compare on the resource each strains.
 */
export interface Item {
  readonly index: number;
  readonly vms: Int32Array;
  readonly memoryMiB: number;
  readonly vcpus: number;
  readonly networkMbps: number;
  readonly size: number;
}

/**
 * ItemSet: every item, and the item of each VM; per VM also whether its item is that VM alone
 * and the item's size, flat, for the hot loops over a host's VMs (item objects miss the cache).
 */
export interface ItemSet {
  readonly items: readonly Item[];
  readonly itemOf: Int32Array;
  readonly alone: Uint8Array;
  readonly itemSize: Float64Array;
}

/** buildItems merges hard affinity groups with union-find: O(VMs + members · α). */
export function buildItems(p: PlacementProblem): ItemSet {
  const parent = Int32Array.from({ length: p.nVms }, (_, j) => j);
  const find = (j: number): number => {
    while (parent[j] !== j) {
      parent[j] = parent[parent[j]];
      j = parent[j];
    }
    return j;
  };
  for (const g of p.affinity) {
    if (g.soft) continue;
    for (let k = 1; k < g.vms.length; k++) {
      const a = find(g.vms[0]);
      const b = find(g.vms[k]);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const members = new Map<number, number[]>();
  for (let j = 0; j < p.nVms; j++) {
    const r = find(j);
    const list = members.get(r);
    if (list) list.push(j);
    else members.set(r, [j]);
  }
  let meanMem = 0;
  let meanCpu = 0;
  let meanNet = 0;
  let netHosts = 0;
  for (let i = 0; i < p.nHosts; i++) {
    meanMem += p.hostMemoryMiB[i] / p.nHosts;
    meanCpu += p.hostVcpuCap[i] / p.nHosts;
    if (Number.isFinite(p.hostNetworkMbps[i])) (meanNet += p.hostNetworkMbps[i]), netHosts++;
  }
  meanNet = p.networkInPlay ? meanNet / netHosts : Infinity;
  const itemOf = new Int32Array(p.nVms);
  const items = [...members.values()].map((vms, index): Item => {
    let memoryMiB = 0;
    let vcpus = 0;
    let networkMbps = 0;
    for (const j of vms) {
      memoryMiB += p.vmMemoryMiB[j];
      vcpus += p.vmVcpus[j];
      networkMbps += p.vmNetworkMbps[j];
      itemOf[j] = index;
    }
    return { index, vms: Int32Array.from(vms), memoryMiB, vcpus, networkMbps, size: Math.max(memoryMiB / meanMem, vcpus / meanCpu, networkMbps / meanNet) };
  });
  const alone = Uint8Array.from(itemOf, (k) => (items[k].vms.length === 1 ? 1 : 0));
  const itemSize = Float64Array.from(itemOf, (k) => items[k].size);
  return { items, itemOf, alone, itemSize };
}

/**
 * tryPlaceItem puts an item's VMs on host i one by one, each checked by every filter against
 * the state with the earlier members already there; on the first refusal it takes the earlier
 * members back off and returns false. The state is unchanged then.
 */
export function tryPlaceItem(fw: Framework, s: PlacementState, item: Item, i: number): boolean {
  for (let k = 0; k < item.vms.length; k++) {
    const j = item.vms[k];
    if (!fw.fits(s, j, i)) {
      for (let m = k - 1; m >= 0; m--) s.unassign(item.vms[m]);
      return false;
    }
    s.assign(j, i);
  }
  return true;
}

/** hasRoom: host i has the memory, vCPUs and network for the item (the cheap precheck before filters). */
export function hasRoom(s: PlacementState, item: Item, i: number): boolean {
  const p = s.problem;
  return (
    s.memUsedMiB[i] + item.memoryMiB <= p.hostMemoryMiB[i] &&
    s.vcpusUsed[i] + item.vcpus <= p.hostVcpuCap[i] &&
    s.netUsedMbps[i] + item.networkMbps <= p.hostNetworkMbps[i] + 1e-9
  );
}

/**
 * fillWith: the sum of host i's memory, vCPU and (when in play and declared) network fractions
 * once the item joins it: the best-fit key (the fullest host is the best fit on every resource).
 */
export function fillWith(s: PlacementState, item: Item, i: number): number {
  const p = s.problem;
  const f = (s.memUsedMiB[i] + item.memoryMiB) / p.hostMemoryMiB[i] + (s.vcpusUsed[i] + item.vcpus) / p.hostVcpuCap[i];
  return p.networkInPlay && Number.isFinite(p.hostNetworkMbps[i]) ? f + (s.netUsedMbps[i] + item.networkMbps) / p.hostNetworkMbps[i] : f;
}

/** removeItem takes an item's VMs off their host. */
export function removeItem(s: PlacementState, item: Item): void {
  for (const j of item.vms) if (s.hostOf[j] >= 0) s.unassign(j);
}

/** hostOk: every latency-sensitive VM on host i keeps its bound within its SLO (after a removal). */
export function hostOk(s: PlacementState, i: number): boolean {
  return s.hostStates[i].fits();
}
