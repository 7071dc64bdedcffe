import type { Cluster } from "./cluster.js";
import { checkPlan } from "./check-plan.js";
import type { Violation } from "./plan.js";

/**
 * currentViolations: the hard constraints the current placement (each VM's `host`) breaks, found
 * by the same independent checker as plans. VMs without a current host are not part of the
 * current placement, so they are neither checked nor counted here.
 */
export function currentViolations(c: Cluster): Violation[] {
  const assignments = c.vms.filter((v) => v.host !== undefined).map((v) => ({ vm: v.id, host: v.host as string }));
  // The checker may also report VMs missing from the assignments; here that is the input's state.
  return checkPlan(c, assignments).filter((v) => String(v.constraint) !== "unplaced");
}
