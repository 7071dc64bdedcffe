import type { Vm } from "../model/cluster.js";
import { victimTerms } from "../interference/host-state.js";
import { profileVm } from "../interference/profile.js";
import { fillTypeAllowedRow, type ConstraintGroup, type HostLabelGroup, type PlacementProblem } from "./problem.js";

type Typed = Float64Array | Int32Array | Uint8Array;

/** spliced copies `a` with `items` inserted at `at` (typed arrays have no splice). */
function spliced<T extends Typed>(a: T, at: number, items: ArrayLike<number>): T {
  const out = new (a.constructor as new (n: number) => T)(a.length + items.length);
  out.set(a.subarray(0, at));
  out.set(items, at);
  out.set(a.subarray(at), at + items.length);
  return out;
}

function insertedAt<T>(list: readonly T[], at: number, item: T): T[] {
  return [...list.slice(0, at), item, ...list.slice(at)];
}

/** Members at or past `at` move up one index. */
function shifted<G extends ConstraintGroup | HostLabelGroup>(groups: readonly G[], at: number): G[] {
  return groups.map((g) => ({ ...g, vms: g.vms.map((j) => (j >= at ? j + 1 : j)) }));
}

/**
 * insertVm is the problem of p's cluster with `vm` inserted at VM index `at`, equal field for
 * field to buildProblem of that cluster (test/placement/problem-insert), in O(VMs) copies instead
 * of buildProblem's profile and victim terms for every VM: the fresh state the Kubernetes
 * extender answers from after it assumed a pod on a node costs one VM's profile, not the fleet's
 * (buildProblem is about 50-250 ms at 10,000 VMs). The VM must be new to the cluster and named by
 * no constraint (the caller rebuilds otherwise): it joins no constraint group.
 */
export function insertVm(p: PlacementProblem, vm: Vm, at: number): PlacementProblem {
  if (at < 0 || at > p.nVms) throw new Error(`insertVm: index ${at} is outside 0..${p.nVms}`);
  if (p.vms.some((v) => v.id === vm.id)) throw new Error(`insertVm: VM ${vm.id} is already in the problem`);
  if (p.cluster.constraints.some((c) => c.vms.includes(vm.id))) throw new Error(`insertVm: a constraint names VM ${vm.id}; rebuild the problem instead`);
  const vms = insertedAt(p.vms, at, vm);
  const profile = profileVm(vm);
  const victim = victimTerms(profile, p.predictor);
  const nT = p.types.length;
  const base = {
    ...p,
    cluster: { ...p.cluster, vms },
    vms,
    nVms: p.nVms + 1,
    vmMemoryMiB: spliced(p.vmMemoryMiB, at, [vm.memoryMiB]),
    vmVcpus: spliced(p.vmVcpus, at, [vm.vcpus]),
    vmNetworkMbps: spliced(p.vmNetworkMbps, at, [vm.networkMbps ?? 0]),
    profiles: insertedAt(p.profiles, at, profile),
    victims: insertedAt(p.victims, at, victim),
    latencySensitive: spliced(p.latencySensitive, at, [profile.io ? 1 : 0]),
    candidates: p.candidates.inserted(at, profile, victim, p.predictor),
    antiAffinity: shifted(p.antiAffinity, at),
    affinity: shifted(p.affinity, at),
    hostLabel: shifted(p.hostLabel, at),
    vmAntiAffinity: insertedAt(p.vmAntiAffinity, at, []),
    vmAffinity: insertedAt(p.vmAffinity, at, []),
    vmHostLabel: insertedAt(p.vmHostLabel, at, []),
  };
  const networkInPlay = p.networkInPlay || ((vm.networkMbps ?? 0) > 0 && p.hostNetworkMbps.some((x) => Number.isFinite(x)));
  const typeAllowed = spliced(p.typeAllowed, at * nT, new Uint8Array(nT));
  const out = { ...base, networkInPlay, typeAllowed };
  fillTypeAllowedRow(out, at, typeAllowed);
  return out;
}
