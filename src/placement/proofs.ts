import type { PlacementProblem } from "./problem.js";

/**
 * Proofs that VMs cannot all be placed, whatever the search does. Each is a relaxation of the
 * placement problem that already fails, so it holds for every plan:
 *
 * - volume: the VMs whose every allowed host type lies in a set S need more of one resource than
 *   all hosts of S have together (S = every type gives the plain aggregate bound; the sets of the
 *   VMs' own allowed types give the restricted ones, e.g. the VMs that only the large-network
 *   types take). At least n − m of them stay out, m the most of the smallest that fit.
 * - half-size: VMs that take more than half of some resource on every host they may use never
 *   share a host; more of them than such hosts leaves the difference out.
 * - anti-affinity: a hard group with more members than hosts that could take any of them.
 *
 * The VMs proved unplaceable one by one (fits-no-host and kin, infeasible.ts) are left out of
 * these sets, so the counts add up: minUnplaced = individually proved + the largest set bound.
 */
export type ResourceName = "memoryMiB" | "vcpus" | "networkMbps";

export type SetProof =
  | {
      readonly kind: "aggregate-capacity";
      readonly bound: "volume" | "half-size";
      readonly resource: ResourceName;
      /** VMs of the set, their total demand (volume) and what the set's hosts hold. */
      readonly vms: number;
      readonly demand: number;
      readonly capacity: number;
      readonly hosts: number;
      /** Host types the set is confined to; undefined = every type. */
      readonly types?: readonly number[];
      readonly minUnplaced: number;
      readonly members: Uint8Array;
    }
  | {
      readonly kind: "anti-affinity-exceeds-hosts";
      /** Index into problem.antiAffinity. */
      readonly group: number;
      readonly members: Uint8Array;
      readonly size: number;
      readonly hosts: number;
      readonly minUnplaced: number;
    };

const RESOURCES: readonly ResourceName[] = ["memoryMiB", "vcpus", "networkMbps"];

/** Restricted volume bounds are tried for at most this many distinct allowed-type sets. */
const MAX_TYPE_SETS = 32;

/** setProofs: every set bound with minUnplaced > 0 over the VMs not in `excluded`. */
export function setProofs(p: PlacementProblem, excluded: Uint8Array): SetProof[] {
  const nT = p.types.length;
  const demand = (r: ResourceName, j: number): number => (r === "memoryMiB" ? p.vmMemoryMiB[j] : r === "vcpus" ? p.vmVcpus[j] : p.vmNetworkMbps[j]);
  const cap = (r: ResourceName, t: number): number => (r === "memoryMiB" ? p.types[t].memoryMiB : r === "vcpus" ? p.types[t].vcpuCap : p.types[t].networkMbps);
  const masks = allowedMasks(p, excluded);
  const out: SetProof[] = [];
  for (const r of RESOURCES) {
    const order = Int32Array.from({ length: p.nVms }, (_, j) => j).sort((a, b) => demand(r, a) - demand(r, b) || a - b);
    for (const s of masks.sets) {
      const members = new Uint8Array(p.nVms);
      let capacity = 0;
      let hosts = 0;
      for (let t = 0; t < nT; t++) if (s[t]) (capacity += p.types[t].hosts.length * cap(r, t)), (hosts += p.types[t].hosts.length);
      if (!Number.isFinite(capacity)) continue;
      let n = 0;
      let total = 0;
      let fit = 0;
      let used = 0;
      for (const j of order) {
        if (excluded[j] || !masks.within(j, s)) continue;
        members[j] = 1;
        n++;
        total += demand(r, j);
        if (used + demand(r, j) <= capacity + 1e-9) (used += demand(r, j)), fit++;
      }
      const all = s.every((x) => x === 1);
      if (n > fit) out.push({ kind: "aggregate-capacity", bound: "volume", resource: r, vms: n, demand: total, capacity, hosts, types: all ? undefined : typesOf(s), minUnplaced: n - fit, members });
    }
    const half = halfSize(p, excluded, r, demand, cap);
    if (half) out.push(half);
  }
  out.push(...antiAffinityProofs(p, excluded));
  return out;
}

function typesOf(s: Uint8Array): number[] {
  return [...s.keys()].filter((t) => s[t] === 1);
}

/**
 * allowedMasks: the distinct sets of host types VMs may use (static: size and labels), the most
 * common first, plus the set of every type; `within` says whether VM j's set lies inside one.
 */
function allowedMasks(p: PlacementProblem, excluded: Uint8Array): { sets: Uint8Array[]; within: (j: number, s: Uint8Array) => boolean } {
  const nT = p.types.length;
  const counts = new Map<string, number>();
  for (let j = 0; j < p.nVms; j++) {
    if (excluded[j]) continue;
    const key = p.typeAllowed.subarray(j * nT, (j + 1) * nT).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  const all = "1".repeat(nT);
  const sets = [all, ...keys.filter((k) => k !== all && k.includes("1")).slice(0, MAX_TYPE_SETS)].map((k) => Uint8Array.from(k, Number));
  const within = (j: number, s: Uint8Array): boolean => {
    for (let t = 0; t < nT; t++) if (p.typeAllowed[j * nT + t] === 1 && s[t] === 0) return false;
    return true;
  };
  return { sets, within };
}

/** halfSize: the VMs that take more than half of resource r on every host they may use. */
function halfSize(p: PlacementProblem, excluded: Uint8Array, r: ResourceName, demand: (r: ResourceName, j: number) => number, cap: (r: ResourceName, t: number) => number): SetProof | undefined {
  const nT = p.types.length;
  const members = new Uint8Array(p.nVms);
  const reach = new Uint8Array(nT);
  let n = 0;
  let total = 0;
  for (let j = 0; j < p.nVms; j++) {
    if (excluded[j]) continue;
    let big = false;
    for (let t = 0; t < nT; t++) {
      if (p.typeAllowed[j * nT + t] === 0) continue;
      big = 2 * demand(r, j) > cap(r, t);
      if (!big) break;
    }
    if (!big) continue;
    members[j] = 1;
    n++;
    total += demand(r, j);
    for (let t = 0; t < nT; t++) if (p.typeAllowed[j * nT + t] === 1) reach[t] = 1;
  }
  let hosts = 0;
  for (let t = 0; t < nT; t++) if (reach[t]) hosts += p.types[t].hosts.length;
  if (n <= hosts) return undefined;
  return { kind: "aggregate-capacity", bound: "half-size", resource: r, vms: n, demand: total, capacity: hosts, hosts, types: typesOf(reach), minUnplaced: n - hosts, members };
}

/** antiAffinityProofs: hard groups with more members than hosts that could take one of them. */
function antiAffinityProofs(p: PlacementProblem, excluded: Uint8Array): SetProof[] {
  const out: SetProof[] = [];
  p.antiAffinity.forEach((g, k) => {
    if (g.soft) return;
    const members = new Uint8Array(p.nVms);
    let size = 0;
    for (const j of g.vms) if (!excluded[j]) (members[j] = 1), size++;
    const nT = p.types.length;
    let hosts = 0;
    for (let t = 0; t < nT; t++) if (g.vms.some((j) => members[j] === 1 && p.typeAllowed[j * nT + t] === 1)) hosts += p.types[t].hosts.length;
    if (size > hosts) out.push({ kind: "anti-affinity-exceeds-hosts", group: k, members, size, hosts, minUnplaced: size - hosts });
  });
  return out;
}
