import { resourcePrices } from "./prices.js";
import { LOAD_LEVELS, wattsAt } from "../model/power.js";
import type { PlacementProblem } from "./problem.js";

/**
 * typeCapacityInVms measures each host type in "average VMs of this instance": what its
 * capacity is worth at the resource prices (prices.ts) over what the average VM's demand is
 * worth, so a resource the fleet has plenty of counts for nothing. Without prices (no demand,
 * or the price LP failed): the smallest, over memory, vCPUs and network, of capacity over the
 * mean demand.
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
  const prices = resourcePrices(p);
  if (prices) {
    const [pm, pc, pn = 0] = prices.perUnit;
    const perVm = (pm * mem + pc * cpu + pn * net) / n;
    if (perVm > 0) return Float64Array.from(prices.typeValue, (v) => v / perVm);
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
 * typeWattsPerVm is each type's draw per average VM it holds when full of them: its curve at the
 * CPU demand of that many average VMs (min-energy opens the most efficient hosts first).
 */
export function typeWattsPerVm(p: PlacementProblem): Float64Array {
  const cap = typeCapacityInVms(p);
  let demand = 0;
  for (const pr of p.profiles) demand += pr.demandCpus;
  const mean = demand / Math.max(1, p.nVms);
  return Float64Array.from(p.types, (t, k) => {
    const i = t.hosts[0];
    return wattsAt(p.hostCurveWatts, (cap[k] * mean) / t.cores, i * LOAD_LEVELS) / Math.max(cap[k], 1e-9);
  });
}

/**
 * hostWeights: what switching each host on costs in the policy's objective: its cost, or under
 * min-energy its idle draw over standby (what the search saves by emptying it).
 */
export function hostWeights(p: PlacementProblem): Float64Array {
  if (p.policy.objective !== "min-energy") return p.hostCost;
  // Cached per problem: the search asks on every ruin move.
  let w = idleWeights.get(p);
  if (!w) idleWeights.set(p, (w = Float64Array.from(p.hosts, (_, i) => p.hostCurveWatts[i * LOAD_LEVELS] - p.hostStandbyWatts[i])));
  return w;
}
const idleWeights = new WeakMap<PlacementProblem, Float64Array>();

/**
 * hostOpenOrder lists hosts cheapest per capacity first (cost, or watts under min-energy; ties,
 * within 1e-9: the type the fractional cover buys more of, then the larger type, then index),
 * the order in which the heuristics open new hosts.
 */
export function hostOpenOrder(p: PlacementProblem): Int32Array {
  const before = openComparator(p);
  const order = Array.from({ length: p.nHosts }, (_, i) => i);
  order.sort((a, b) => before(p.hostTypeOf[a], a, p.hostTypeOf[b], b));
  return Int32Array.from(order);
}

/**
 * typeOpenOrder: host types in the order hostOpenOrder first reaches one of their hosts (a
 * type's first host is its lowest index). O(types log types): callers build it per search and
 * per repair, where sorting every host was 30 ms at 33,000 hosts.
 */
export function typeOpenOrder(p: PlacementProblem): Int32Array {
  const before = openComparator(p);
  return Int32Array.from(p.types.map((t) => t.index).sort((a, b) => before(a, p.types[a].hosts[0], b, p.types[b].hosts[0])));
}

function openComparator(p: PlacementProblem): (ta: number, a: number, tb: number, b: number) => number {
  const perVm = p.policy.objective === "min-energy" ? typeWattsPerVm(p) : typeCostPerVm(p);
  const cap = typeCapacityInVms(p);
  const share = resourcePrices(p)?.typeShare;
  return (ta, a, tb, b) => {
    const d = perVm[ta] - perVm[tb];
    if (Math.abs(d) > 1e-9 * Math.max(perVm[ta], perVm[tb])) return d;
    return (share ? share[tb] - share[ta] : 0) || cap[tb] - cap[ta] || a - b;
  };
}

/** typeCheapestOrder: host types cheapest per host first (idle watts under min-energy; ties: the type whose first host comes first). */
export function typeCheapestOrder(p: PlacementProblem): Int32Array {
  const w = hostWeights(p);
  const of = (k: number): number => w[p.types[k].hosts[0]];
  return Int32Array.from(p.types.map((t) => t.index).sort((a, b) => of(a) - of(b) || p.types[a].hosts[0] - p.types[b].hosts[0]));
}
