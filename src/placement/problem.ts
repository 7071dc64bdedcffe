import type { Cluster, Host, Policy, Vm } from "../model/cluster.js";
import type { DriverDomain } from "../model/driver-domain.js";
import { powerCurve } from "../model/power.js";
import type { SchedulerParams } from "../model/scheduler.js";
import { vcpuCapacity } from "../model/validate.js";
import { CandidateTable } from "../interference/candidates.js";
import { victimTerms } from "../interference/host-state.js";
import { markUnmeetable } from "../interference/unmeetable.js";
import type { Victim } from "../interference/predictor.js";
import type { Predictor } from "../interference/predictor.js";
import { profileVm, type VmProfile } from "../interference/profile.js";

/**
 * HostType groups hosts that no constraint or objective can tell apart: same cores, memory,
 * network, cost, scheduler parameters, power model and values of the labels that host-label
 * constraints name.
 * Solvers use it for symmetry breaking (open identical hosts in index order), the lower bound
 * and the infeasibility report (one line per VM and type, not per host).
 */
export interface HostType {
  readonly index: number;
  /** Stable identity of the type (JSON of the fields above), for reports and caches. */
  readonly key: string;
  /** Host indices of this type, ascending. */
  readonly hosts: Int32Array;
  readonly cores: number;
  readonly memoryMiB: number;
  /** vCPUs the type may carry under the policy's overcommit (vcpuCapacity). */
  readonly vcpuCap: number;
  /** Infinity when the hosts do not declare a network capacity. */
  readonly networkMbps: number;
  readonly cost: number;
  readonly scheduler: SchedulerParams;
  readonly driverDomain?: DriverDomain;
  /** Only the labels some host-label constraint reads. */
  readonly labels: Readonly<Record<string, string>>;
}

/** ConstraintGroup is one affinity or anti-affinity constraint of the document, by VM index. */
export interface ConstraintGroup {
  /** Position in `cluster.constraints`; `name` is its JSON path, used in reports and LP row names. */
  readonly index: number;
  readonly name: string;
  readonly kind: "affinity" | "anti-affinity";
  readonly soft: boolean;
  /** VM indices, ascending. */
  readonly vms: Int32Array;
}

/** HostLabelGroup is one host-label constraint: its VMs may (soft: should) run only where hostOk. */
export interface HostLabelGroup {
  readonly index: number;
  readonly name: string;
  readonly kind: "host-label";
  readonly soft: boolean;
  readonly vms: Int32Array;
  readonly label: string;
  readonly value: string;
  /** hostOk[i] = 1 when host i carries label=value. */
  readonly hostOk: Uint8Array;
}

/**
 * PlacementProblem is a Cluster turned into index-based arrays, built once and shared read-only
 * by every plugin and solver (heuristics, the MILP, the lower bound). VMs are `j`, hosts `i`,
 * host types `t` throughout. Typed arrays keep the hot paths allocation-free at 10,000 VMs.
 */
export interface PlacementProblem {
  readonly cluster: Cluster;
  readonly policy: Policy;
  readonly predictor: Predictor;
  readonly hosts: readonly Host[];
  readonly vms: readonly Vm[];
  readonly nHosts: number;
  readonly nVms: number;

  readonly vmMemoryMiB: Float64Array;
  readonly vmVcpus: Int32Array;
  /** 0 when the VM declares no network demand. */
  readonly vmNetworkMbps: Float64Array;
  /**
   * Some VM declares network demand and some host a network capacity: the heuristics' fill and
   * size measures then count network beside memory and vCPUs (on tight fleets it is what binds).
   */
  readonly networkInPlay: boolean;

  readonly hostMemoryMiB: Float64Array;
  readonly hostVcpuCap: Int32Array;
  readonly hostCores: Int32Array;
  /** Infinity when the host declares no network capacity. */
  readonly hostNetworkMbps: Float64Array;
  readonly hostCost: Float64Array;
  /** Each host's power curve, LOAD_LEVELS watts per host (host i at i × LOAD_LEVELS), and its draw when off. */
  readonly hostCurveWatts: Float64Array;
  readonly hostStandbyWatts: Float64Array;
  readonly hostTypeOf: Int32Array;
  readonly types: readonly HostType[];

  readonly profiles: readonly VmProfile[];
  /** Victim terms (SLO slack) of latency-sensitive VMs; undefined for the others. */
  readonly victims: readonly (Victim | undefined)[];
  /** 1 when the VM has an io part (its tail latency is what interference hurts). */
  readonly latencySensitive: Uint8Array;
  /** What the interference filter's what-if reads of each VM, one row per VM (HostState.fitsAt). */
  readonly candidates: CandidateTable;

  readonly antiAffinity: readonly ConstraintGroup[];
  readonly affinity: readonly ConstraintGroup[];
  readonly hostLabel: readonly HostLabelGroup[];
  /** Per VM: indices into antiAffinity / affinity / hostLabel of the groups naming it. */
  readonly vmAntiAffinity: readonly (readonly number[])[];
  readonly vmAffinity: readonly (readonly number[])[];
  readonly vmHostLabel: readonly (readonly number[])[];

  /**
   * typeAllowed[j * types.length + t] = 1 when VM j fits an empty host of type t (memory, vCPU
   * overcommit, vcpus ≤ cores, network) and every hard host-label constraint on j allows t.
   * The static half of every filter: solvers skip disallowed pairs without asking plugins.
   */
  readonly typeAllowed: Uint8Array;
}

/** isAllowed is the static pair check (see typeAllowed). */
export function isAllowed(p: PlacementProblem, j: number, i: number): boolean {
  return p.typeAllowed[j * p.types.length + p.hostTypeOf[i]] === 1;
}

/**
 * buildProblem indexes a parsed cluster. Cost: O(VMs + hosts + constraint members) plus
 * O(VMs × host types) for typeAllowed (types, not hosts: a fleet has few hardware shapes).
 */
export function buildProblem(cluster: Cluster, predictor: Predictor): PlacementProblem {
  const { hosts, vms, policy } = cluster;
  const vmIndex = new Map(vms.map((v, j) => [v.id, j]));
  const labelKeys = [...new Set(cluster.constraints.flatMap((c) => (c.kind === "host-label" ? [c.label] : [])))].sort();
  const { types, hostTypeOf } = groupHostTypes(hosts, policy.cpuOvercommit, labelKeys);
  const profiles = vms.map(profileVm);
  const victims = profiles.map((p) => victimTerms(p, predictor));
  markUnmeetable(profiles, victims, types.map((t) => hosts[t.hosts[0]]), predictor);
  const groups = indexConstraints(cluster, vmIndex);
  const base = {
    cluster,
    policy,
    predictor,
    hosts,
    vms,
    nHosts: hosts.length,
    nVms: vms.length,
    vmMemoryMiB: Float64Array.from(vms, (v) => v.memoryMiB),
    vmVcpus: Int32Array.from(vms, (v) => v.vcpus),
    vmNetworkMbps: Float64Array.from(vms, (v) => v.networkMbps ?? 0),
    hostMemoryMiB: Float64Array.from(hosts, (h) => h.memoryMiB),
    hostVcpuCap: Int32Array.from(hosts, (h) => vcpuCapacity(h, policy.cpuOvercommit)),
    hostCores: Int32Array.from(hosts, (h) => h.cores),
    hostNetworkMbps: Float64Array.from(hosts, (h) => h.networkMbps ?? Infinity),
    hostCost: Float64Array.from(hosts, (h) => h.cost),
    hostCurveWatts: Float64Array.from(hosts.flatMap((h) => powerCurve(h.power, h.cores))),
    hostStandbyWatts: Float64Array.from(hosts, (h) => h.power?.standbyWatts ?? 0),
    hostTypeOf,
    types,
    profiles,
    victims,
    latencySensitive: Uint8Array.from(profiles, (p) => (p.io ? 1 : 0)),
    candidates: CandidateTable.of(profiles, victims, predictor),
    ...groups,
  };
  const networkInPlay = base.vmNetworkMbps.some((x) => x > 0) && base.hostNetworkMbps.some((x) => Number.isFinite(x));
  return { ...base, networkInPlay, typeAllowed: computeTypeAllowed({ ...base, networkInPlay }) };
}

function groupHostTypes(
  hosts: readonly Host[],
  cpuOvercommit: number,
  labelKeys: readonly string[],
): { types: HostType[]; hostTypeOf: Int32Array } {
  const byKey = new Map<string, number[]>();
  const hostTypeOf = new Int32Array(hosts.length);
  const keys: string[] = [];
  hosts.forEach((h, i) => {
    const labels = Object.fromEntries(labelKeys.map((k) => [k, h.labels[k] ?? ""]));
    const key = JSON.stringify([h.cores, h.memoryMiB, h.networkMbps ?? null, h.cost, h.scheduler, labels, h.driverDomain ?? null, h.power ?? null]);
    let list = byKey.get(key);
    if (!list) {
      list = [];
      byKey.set(key, list);
      keys.push(key);
    }
    list.push(i);
  });
  const types = keys.map((key, t): HostType => {
    const list = byKey.get(key)!;
    const h = hosts[list[0]];
    for (const i of list) hostTypeOf[i] = t;
    return {
      index: t,
      key,
      hosts: Int32Array.from(list),
      cores: h.cores,
      memoryMiB: h.memoryMiB,
      vcpuCap: vcpuCapacity(h, cpuOvercommit),
      networkMbps: h.networkMbps ?? Infinity,
      cost: h.cost,
      scheduler: h.scheduler,
      driverDomain: h.driverDomain,
      labels: Object.fromEntries(labelKeys.map((k) => [k, h.labels[k] ?? ""])),
    };
  });
  return { types, hostTypeOf };
}

type Groups = Pick<
  PlacementProblem,
  "antiAffinity" | "affinity" | "hostLabel" | "vmAntiAffinity" | "vmAffinity" | "vmHostLabel"
>;

function indexConstraints(cluster: Cluster, vmIndex: ReadonlyMap<string, number>): Groups {
  const n = cluster.vms.length;
  const out = {
    antiAffinity: [] as ConstraintGroup[],
    affinity: [] as ConstraintGroup[],
    hostLabel: [] as HostLabelGroup[],
    vmAntiAffinity: Array.from({ length: n }, () => [] as number[]),
    vmAffinity: Array.from({ length: n }, () => [] as number[]),
    vmHostLabel: Array.from({ length: n }, () => [] as number[]),
  };
  cluster.constraints.forEach((c, index) => {
    const members = Int32Array.from(new Set(c.vms.map((id) => vmIndex.get(id) ?? -1))).filter((j) => j >= 0).sort();
    const name = `constraints[${index}]`;
    if (c.kind === "host-label") {
      const hostOk = Uint8Array.from(cluster.hosts, (h) => (h.labels[c.label] === c.value ? 1 : 0));
      for (const j of members) out.vmHostLabel[j].push(out.hostLabel.length);
      out.hostLabel.push({ index, name, kind: c.kind, soft: c.soft, vms: members, label: c.label, value: c.value, hostOk });
      return;
    }
    const [list, perVm] = c.kind === "affinity" ? [out.affinity, out.vmAffinity] : [out.antiAffinity, out.vmAntiAffinity];
    for (const j of members) perVm[j].push(list.length);
    list.push({ index, name, kind: c.kind, soft: c.soft, vms: members });
  });
  return out;
}

/**
 * computeTypeAllowed is fitsEmptyHost (model/validate.ts) restated on the typed arrays: the same
 * four comparisons without building an object per pair, which at 10,000 VMs × 150 types was 4 s.
 */
function computeTypeAllowed(p: Omit<PlacementProblem, "typeAllowed">): Uint8Array {
  const nT = p.types.length;
  const out = new Uint8Array(p.nVms * nT);
  // VMs with the same demand and no host-label constraint have the same row: copied, not
  // recomputed (100,000 VMs × 1,500 types was 2.8 s of a plan, the rows all alike).
  const firstOf = new Map<string, number>();
  for (let j = 0; j < p.nVms; j++) {
    if (p.vmHostLabel[j].length > 0) {
      fillTypeAllowedRow(p, j, out);
      continue;
    }
    const key = `${p.vmMemoryMiB[j]}|${p.vmVcpus[j]}|${p.vmNetworkMbps[j]}`;
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, j);
      fillTypeAllowedRow(p, j, out);
    } else out.copyWithin(j * nT, first * nT, (first + 1) * nT);
  }
  return out;
}

/** fillTypeAllowedRow writes VM j's row of typeAllowed (a candidate slot rewrites one row). */
export function fillTypeAllowedRow(p: Omit<PlacementProblem, "typeAllowed">, j: number, out: Uint8Array): void {
  const nT = p.types.length;
  const mem = p.vmMemoryMiB[j];
  const vcpus = p.vmVcpus[j];
  const net = p.vmNetworkMbps[j];
  for (let t = 0; t < nT; t++) {
    const ty = p.types[t];
    let ok = mem <= ty.memoryMiB && vcpus <= ty.vcpuCap && vcpus <= ty.cores && net <= ty.networkMbps;
    for (const g of p.vmHostLabel[j]) {
      const hl = p.hostLabel[g];
      if (!hl.soft && hl.hostOk[ty.hosts[0]] === 0) ok = false;
    }
    out[j * nT + t] = ok ? 1 : 0;
  }
}
