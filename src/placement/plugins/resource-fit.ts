import { OK, infeasible, type FilterPlugin, type LpPlugin, type Reason, type Status } from "../framework.js";
import { resourceFitRows } from "../lp-rows.js";
import { RESOURCE_FIT } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * ResourceFit: memory is never overcommitted, vCPUs stay within cores × cpuOvercommit, a VM has
 * no more vCPUs than the host has cores (it could not run them all at once), and network demand
 * stays within the host's where both declare one.
 */
export const resourceFit: FilterPlugin & LpPlugin = {
  name: RESOURCE_FIT,

  fits(s: PlacementState, j: number, i: number): boolean {
    const p = s.problem;
    return (
      s.memUsedMiB[i] + p.vmMemoryMiB[j] <= p.hostMemoryMiB[i] &&
      s.vcpusUsed[i] + p.vmVcpus[j] <= p.hostVcpuCap[i] &&
      p.vmVcpus[j] <= p.hostCores[i] &&
      s.netUsedMbps[i] + p.vmNetworkMbps[j] <= p.hostNetworkMbps[i]
    );
  },

  filter(s: PlacementState, j: number, i: number): Status {
    if (this.fits(s, j, i)) return OK;
    const p = s.problem;
    const reasons: Reason[] = [];
    const check = (resource: string, requested: number, used: number, capacity: number): void => {
      if (used + requested > capacity) reasons.push({ constraint: RESOURCE_FIT, resource, requested, used, capacity });
    };
    check("memoryMiB", p.vmMemoryMiB[j], s.memUsedMiB[i], p.hostMemoryMiB[i]);
    check("vcpus", p.vmVcpus[j], s.vcpusUsed[i], p.hostVcpuCap[i]);
    check("cores", p.vmVcpus[j], 0, p.hostCores[i]);
    check("networkMbps", p.vmNetworkMbps[j], s.netUsedMbps[i], p.hostNetworkMbps[i]);
    return infeasible(...reasons);
  },

  toLp: resourceFitRows,
};
