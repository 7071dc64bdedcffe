import type { Framework, Reason } from "./framework.js";
import { hasRoom, tryPlaceItem, type Item, type ItemSet } from "./items.js";
import type { PlacementProblem } from "./problem.js";
import { setProofs, type SetProof } from "./proofs.js";
import { PlacementState } from "./state.js";

/**
 * Why each VM the plan leaves out is out: a proof where one exists, else "not placed by the
 * search" with the hosts that could take it. Every reason is one a filter or a bound gave:
 *
 * - fits-no-host: the VM alone passes no filter on an empty host of any type (the resources no
 *   type has enough of are named; none named means no type has enough of all of them at once);
 * - no-host-with-labels: no host carries every label its hard host-label constraints ask for;
 * - affinity-group-fits-no-host: its hard affinity group, together, fits no empty host;
 * - contradictory-constraints: its hard affinity group holds two members of one hard
 *   anti-affinity group;
 * - set: a bound over a set of VMs it belongs to (proofs.ts): at least minUnplaced of them stay
 *   out in every plan, which proves the count, not that this one VM must be the one;
 * - not-placed-by-search: no proof; `candidates` lists the hosts that take it as the plan stands
 *   (the search missed them) or, if none, the hosts whose type takes it alone.
 */
export type UnplacedReason =
  | { readonly kind: "fits-no-host"; readonly resources: readonly string[]; readonly binding: Binding }
  | { readonly kind: "no-host-with-labels"; readonly constraints: readonly number[] }
  | { readonly kind: "affinity-group-fits-no-host"; readonly affinity: readonly number[]; readonly vms: readonly number[]; readonly resources: readonly string[]; readonly binding: Binding }
  | { readonly kind: "contradictory-constraints"; readonly affinity: readonly number[]; readonly antiAffinity: number }
  | { readonly kind: "set"; readonly proof: SetProof }
  | { readonly kind: "not-placed-by-search" };

/**
 * Binding: "each": every resource named is short on every host type the labels allow (any one of
 * them proves it); "combined": none is short everywhere, but every such type refuses the VM for
 * one of those named (what the filters said on an empty host of each type).
 */
export type Binding = "each" | "combined";

export interface UnplacedVm {
  readonly vm: number;
  readonly proof: "individual" | "set" | "none";
  readonly reason: UnplacedReason;
  /** Per host type, what the filters say on a representative host as the plan stands. */
  readonly byType: readonly { type: number; host: number; reasons: readonly Reason[] }[];
  readonly candidates: { readonly basis: "fits-now" | "fits-empty" | "none"; readonly hosts: readonly number[]; readonly count: number };
}

export interface UnplacedReport {
  readonly vms: readonly UnplacedVm[];
  /** Proved: every plan leaves at least this many VMs out. */
  readonly minUnplaced: number;
}

/** Candidate hosts listed per VM (the count covers all of them). */
const LISTED = 10;

/**
 * explainUnplaced: O(unplaced × (types + hosts)) filter calls, plus the set bounds
 * (O(VMs × types × 33) with 3 sorts) only when some VM has no individual proof.
 */
export function explainUnplaced(state: PlacementState, fw: Framework, set: ItemSet, unplacedVms: readonly number[]): UnplacedReport {
  const p = state.problem;
  if (unplacedVms.length === 0) return { vms: [], minUnplaced: 0 };
  const empty = new PlacementState(p);
  const fitsAloneOn = (item: Item): number[] => p.types.flatMap((t) => (probe(fw, empty, item, t.hosts[0]) ? [t.index] : []));
  const individual = new Map<number, UnplacedReason>();
  const aloneTypes = new Map<number, number[]>();
  const excluded = new Uint8Array(p.nVms);
  for (const j of unplacedVms) {
    const item = set.items[set.itemOf[j]];
    const types = fitsAloneOn(item);
    aloneTypes.set(j, types);
    if (types.length > 0) continue;
    individual.set(j, individualReason(p, fw, empty, item));
    excluded[j] = 1;
  }
  const proofs = individual.size < unplacedVms.length ? setProofs(p, excluded) : [];
  const reps = representatives(state);
  const vms = unplacedVms.map((j): UnplacedVm => {
    const own = individual.get(j);
    const proof = own ? undefined : bestProof(proofs, j);
    return {
      vm: j,
      proof: own ? "individual" : proof ? "set" : "none",
      reason: own ?? (proof ? { kind: "set", proof } : { kind: "not-placed-by-search" }),
      byType: reps.map((host, type) => ({ type, host, reasons: fw.filter(state, j, host).reasons })),
      candidates: candidates(state, fw, set.items[set.itemOf[j]], aloneTypes.get(j)!),
    };
  });
  const setBound = proofs.reduce((m, x) => Math.max(m, x.minUnplaced), 0);
  return { vms, minUnplaced: individual.size + setBound };
}

/** probe: does the item pass every filter on host i of state s? (s is left unchanged) */
function probe(fw: Framework, s: PlacementState, item: Item, i: number): boolean {
  if (!tryPlaceItem(fw, s, item, i)) return false;
  for (const j of item.vms) s.unassign(j);
  return true;
}

function bestProof(proofs: readonly SetProof[], j: number): SetProof | undefined {
  let best: SetProof | undefined;
  for (const x of proofs) if (x.members[j] === 1 && (!best || x.minUnplaced > best.minUnplaced)) best = x;
  return best;
}

/** individualReason: why an item fits no empty host (called only when it does not). */
function individualReason(p: PlacementProblem, fw: Framework, empty: PlacementState, item: Item): UnplacedReason {
  const vms = [...item.vms];
  const inItem = new Set(vms);
  const clash = p.antiAffinity.findIndex((g) => !g.soft && [...g.vms].filter((v) => inItem.has(v)).length > 1);
  const affinity = [...new Set(vms.flatMap((v) => p.vmAffinity[v].filter((g) => !p.affinity[g].soft)))].sort((a, b) => a - b);
  if (vms.length > 1 && clash >= 0) return { kind: "contradictory-constraints", affinity, antiAffinity: clash };
  const labels = [...new Set(vms.flatMap((v) => p.vmHostLabel[v].filter((g) => !p.hostLabel[g].soft)))].sort((a, b) => a - b);
  const labelOk = (i: number): boolean => labels.every((g) => p.hostLabel[g].hostOk[i] === 1);
  if (labels.length > 0 && !p.hosts.some((_, i) => labelOk(i))) return { kind: "no-host-with-labels", constraints: labels };
  const types = p.types.filter((t) => labelOk(t.hosts[0]));
  let resources = bindingResources(p, item, types);
  let binding: Binding = "each";
  if (resources.length === 0) {
    // No resource is short everywhere: name what the filters refuse on the empty hosts.
    const named = new Set<string>();
    for (const t of types) for (const v of vms) for (const r of fw.filter(empty, v, t.hosts[0]).reasons) named.add(r.resource ?? r.constraint);
    resources = [...named].sort();
    binding = "combined";
  }
  return vms.length > 1 ? { kind: "affinity-group-fits-no-host", affinity, vms, resources, binding } : { kind: "fits-no-host", resources, binding };
}

/** bindingResources: resources of which the item needs more than any of these types has. */
function bindingResources(p: PlacementProblem, item: Item, types: PlacementProblem["types"]): string[] {
  let net = 0;
  let widest = 0;
  for (const j of item.vms) (net += p.vmNetworkMbps[j]), (widest = Math.max(widest, p.vmVcpus[j]));
  const max = (f: (t: PlacementProblem["types"][number]) => number): number => types.reduce((m, t) => Math.max(m, f(t)), 0);
  const out: string[] = [];
  if (item.memoryMiB > max((t) => t.memoryMiB)) out.push("memoryMiB");
  if (item.vcpus > max((t) => t.vcpuCap)) out.push("vcpus");
  if (widest > max((t) => t.cores)) out.push("cores");
  if (net > max((t) => t.networkMbps)) out.push("networkMbps");
  return out;
}

/**
 * representatives: per host type, an empty host if one is left (what blocks the VM on its own),
 * else the type's host with the most free memory (what the plan around it blocks).
 */
function representatives(state: PlacementState): number[] {
  const p = state.problem;
  return p.types.map((t) => {
    const empty = [...t.hosts].find((i) => state.vmsOn[i].length === 0);
    if (empty !== undefined) return empty;
    let best = t.hosts[0];
    for (const i of t.hosts) if (p.hostMemoryMiB[i] - state.memUsedMiB[i] > p.hostMemoryMiB[best] - state.memUsedMiB[best]) best = i;
    return best;
  });
}

/** candidates: hosts that take the item as the plan stands, else hosts whose type takes it alone. */
function candidates(state: PlacementState, fw: Framework, item: Item, aloneTypes: readonly number[]): UnplacedVm["candidates"] {
  const p = state.problem;
  const now: number[] = [];
  let count = 0;
  for (let i = 0; i < p.nHosts; i++) {
    // Room first: array reads only, so the scan of every host stays cheap when few have room.
    if (!hasRoom(state, item, i) || !probe(fw, state, item, i)) continue;
    count++;
    if (now.length < LISTED) now.push(i);
  }
  if (count > 0) return { basis: "fits-now", hosts: now, count };
  const hosts = aloneTypes.flatMap((t) => [...p.types[t].hosts]).sort((a, b) => a - b);
  return hosts.length > 0 ? { basis: "fits-empty", hosts: hosts.slice(0, LISTED), count: hosts.length } : { basis: "none", hosts: [], count: 0 };
}
