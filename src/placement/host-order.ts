import type { PlacementProblem } from "./problem.js";

/**
 * typeCapacityInVms measures each host type in "average VMs of this instance": the smallest,
 * over memory, vCPUs and network, of capacity over the mean demand. A type twice as large on
 * the binding resource holds about twice as many VMs, whatever its other resources.
 */
export function typeCapacityInVms(p: PlacementProblem): Float64Array {
  const n = Math.max(1, p.nVms);
  let mem = 0;
  let cpu = 0;
  let net = 0;
  for (let j = 0; j < p.nVms; j++) {
    mem += p.vmMemoryMiB[j];
    cpu += p.vmVcpus[j];
    net += p.vmNetworkMbps[j];
  }
  return Float64Array.from(p.types, (t) => {
    let c = Math.min(t.memoryMiB / Math.max(mem / n, 1e-9), t.vcpuCap / Math.max(cpu / n, 1e-9));
    if (net > 0) c = Math.min(c, t.networkMbps / (net / n));
    return c;
  });
}

/** typeCostPerVm is each type's cost per average VM it holds (0 for free hosts). */
export function typeCostPerVm(p: PlacementProblem): Float64Array {
  const cap = typeCapacityInVms(p);
  return Float64Array.from(p.types, (t, k) => t.cost / Math.max(cap[k], 1e-9));
}

/**
 * hostOpenOrder lists hosts cheapest cost per capacity first (ties: larger type, then index), the
 * order in which the heuristics open new hosts.
 */
export function hostOpenOrder(p: PlacementProblem): Int32Array {
  const perVm = typeCostPerVm(p);
  const cap = typeCapacityInVms(p);
  const order = Array.from({ length: p.nHosts }, (_, i) => i);
  order.sort((a, b) => {
    const ta = p.hostTypeOf[a];
    const tb = p.hostTypeOf[b];
    return perVm[ta] - perVm[tb] || cap[tb] - cap[ta] || a - b;
  });
  return Int32Array.from(order);
}
