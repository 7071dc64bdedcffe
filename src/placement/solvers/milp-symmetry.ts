import { xName } from "../lp.js";
import type { PlacementProblem } from "../problem.js";
import type { PackedModel } from "./milp-model.js";

/**
 * Symmetry of identical hosts. Hosts of one HostType are interchangeable for every constraint
 * and objective, and a scope is closed (its hosts hold only scope VMs), so any solution can be
 * relabelled inside each type without changing its feasibility or objective. Relabel so that the
 * used hosts of a type come first, ordered by the smallest scope position of a VM on them; then
 *  - the k-th host of the type is used only if the (k−1)-th is: the placer's symmetry rows
 *    (y_prev ≥ y_next, symmetryRows in lp-rows.ts), and
 *  - the VM at scope position k sits on one of the first k + 1 hosts of each type: the r-th used
 *    host's smallest VM position is at least r (positions are distinct and increasing).
 * The second is imposed here by fixing those x to 0 (presolve drops them). Both hold for the
 * relabelled form of every solution, so neither cuts off an optimum; together they leave HiGHS
 * far fewer equivalent branches than the rows alone.
 */

/** typeHostsInScope lists, per host type, the scope hosts of that type in ascending order. */
function typeHostsInScope(p: PlacementProblem, hosts: Int32Array): number[][] {
  const out: number[][] = p.types.map(() => []);
  for (const i of hosts) out[p.hostTypeOf[i]].push(i);
  for (const list of out) list.sort((a, b) => a - b);
  return out;
}

/** fixItemSymmetry sets colUpper of x(VM at position k, r-th host of a type) to 0 for r > k. */
export function fixItemSymmetry(p: PlacementProblem, pm: PackedModel): number {
  let fixed = 0;
  const upper = pm.arrays.colUpper;
  for (const list of typeHostsInScope(p, pm.hosts)) {
    const last = Math.min(pm.vms.length, list.length);
    for (let k = 0; k < last; k++) {
      const j = pm.vms[k];
      for (let r = k + 1; r < list.length; r++) {
        const c = pm.colOf.get(xName(j, list[r]));
        if (c === undefined) continue;
        upper[c] = 0;
        fixed++;
      }
    }
  }
  return fixed;
}

/**
 * relabelWithinTypes maps an assignment onto the canonical form above (used hosts of each type
 * first, by smallest VM position). VMs outside the scope and unplaced VMs are untouched. The
 * result is the same plan up to swapping identical hosts, so it has the same cost and
 * feasibility; it is the form the symmetry rows and fixed columns accept as a start.
 */
export function relabelWithinTypes(p: PlacementProblem, pm: PackedModel, assignment: Int32Array): Int32Array {
  const minPos = new Map<number, number>();
  pm.vms.forEach((j, k) => {
    const i = assignment[j];
    if (i >= 0 && !minPos.has(i)) minPos.set(i, k);
  });
  const map = new Map<number, number>();
  for (const list of typeHostsInScope(p, pm.hosts)) {
    const used = list.filter((i) => minPos.has(i)).sort((a, b) => minPos.get(a)! - minPos.get(b)!);
    used.forEach((i, r) => map.set(i, list[r]));
  }
  const out = Int32Array.from(assignment);
  for (const j of pm.vms) if (out[j] >= 0) out[j] = map.get(out[j]) ?? out[j];
  return out;
}
