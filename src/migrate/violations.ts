import { AFFINITY, ANTI_AFFINITY, HOST_LABEL, RESOURCE_FIT } from "../placement/names.js";
import type { PlacementState } from "../placement/state.js";

/**
 * StateViolation is a hard constraint the placement breaks, found from the planning state's own
 * counters, with the VMs (indices) a fix would move. This is what the planner works on; the
 * placer's independent checker verifies every state the plan passes through.
 */
export interface StateViolation {
  readonly constraint: string;
  /** The host concerned (-1 for a split affinity group). */
  readonly host: number;
  readonly vms: readonly number[];
  readonly group?: string;
  /** capacity: which resource is over, and by how much in its unit. */
  readonly resource?: "memoryMiB" | "vcpus" | "networkMbps" | "cores";
  readonly over?: number;
}

/** stateViolations scans every host and group: O(VMs + hosts + group members). */
export function stateViolations(s: PlacementState): StateViolation[] {
  const out: StateViolation[] = [];
  for (let i = 0; i < s.problem.nHosts; i++) out.push(...hostViolations(s, i));
  out.push(...affinitySplits(s));
  return out;
}

/** hostViolations: capacity, cores, hard host-label and hard anti-affinity on one host. */
export function hostViolations(s: PlacementState, i: number): StateViolation[] {
  const p = s.problem;
  const out: StateViolation[] = [];
  const vms = [...s.vmsOn[i]].sort((a, b) => a - b);
  const cap = (resource: "memoryMiB" | "vcpus" | "networkMbps", used: number, capacity: number): void => {
    if (used > capacity + 1e-9) out.push({ constraint: RESOURCE_FIT, host: i, vms, resource, over: used - capacity });
  };
  cap("memoryMiB", s.memUsedMiB[i], p.hostMemoryMiB[i]);
  cap("vcpus", s.vcpusUsed[i], p.hostVcpuCap[i]);
  cap("networkMbps", s.netUsedMbps[i], p.hostNetworkMbps[i]);
  for (const j of vms) {
    if (p.vmVcpus[j] > p.hostCores[i]) out.push({ constraint: RESOURCE_FIT, host: i, vms: [j], resource: "cores", over: p.vmVcpus[j] - p.hostCores[i] });
    for (const g of p.vmHostLabel[j]) {
      const hl = p.hostLabel[g];
      if (!hl.soft && hl.hostOk[i] === 0) out.push({ constraint: HOST_LABEL, host: i, vms: [j], group: hl.name });
    }
  }
  const seen = new Set<number>();
  for (const j of vms) {
    for (const g of p.vmAntiAffinity[j]) {
      const grp = p.antiAffinity[g];
      if (grp.soft || seen.has(g) || s.antiAffinityCount(g, i) < 2) continue;
      seen.add(g);
      out.push({ constraint: ANTI_AFFINITY, host: i, vms: vms.filter((m) => p.vmAntiAffinity[m].includes(g)), group: grp.name });
    }
  }
  return out;
}

/** affinitySplits: hard affinity groups whose placed members run on more than one host. */
export function affinitySplits(s: PlacementState): StateViolation[] {
  const p = s.problem;
  const out: StateViolation[] = [];
  p.affinity.forEach((g, k) => {
    if (!g.soft && s.affinityHosts(k) > 1) out.push({ constraint: AFFINITY, host: -1, vms: Array.from(g.vms).filter((j) => s.hostOf[j] >= 0), group: g.name });
  });
  return out;
}

/** violationCount on some hosts and affinity groups: what a move may never increase. */
export function localViolationCount(s: PlacementState, hosts: Iterable<number>, affinityGroups: Iterable<number>): number {
  let n = 0;
  for (const i of hosts) n += hostViolations(s, i).length;
  for (const g of affinityGroups) if (!s.problem.affinity[g].soft && s.affinityHosts(g) > 1) n++;
  return n;
}
