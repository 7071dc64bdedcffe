import type { AdviceSection } from "./advice.js";
import type { MigrationPlan } from "./migration.js";
import type { Plan } from "./plan.js";
import { resultStatus, shortfall, type ResultStatus } from "./status.js";

/**
 * planStatus: a placement plan is whole when every VM is placed, the independent checker finds no
 * hard violation, and no SLO breach is left, predicted or (after validation) simulated.
 */
export function planStatus(p: Plan): ResultStatus {
  // The plan's counts are the figures this status is defined on (unplaced VMs are not violations there).
  const c = p.counts;
  const simulated = p.validation.performed ? (c.simulatedBreaches ?? 0) : 0;
  return resultStatus([
    ...shortfall("unplaced", c.unplaced, `${c.unplaced} VM(s) left unplaced${c.minUnplaced > 0 ? ` (at least ${c.minUnplaced} proved unplaceable)` : ""}`),
    ...shortfall("violation", c.violations, `${c.violations} hard-constraint violation(s) in the plan`),
    ...shortfall("breach", c.predictedBreaches, `${c.predictedBreaches} predicted SLO breach(es) in the plan`),
    ...shortfall("breach", simulated, `${simulated} simulated SLO breach(es) left after validation`),
  ]);
}

/**
 * migrationStatus: a migration plan is whole when the state it leads to has no hard violation and
 * no SLO breach (predicted, or simulated where the changed hosts were re-simulated), and every VM
 * of a host being evacuated has somewhere to go.
 */
export function migrationStatus(p: MigrationPlan): ResultStatus {
  const after = p.summary.after;
  const simulated = p.simulation?.breaches ?? 0;
  const stranded = p.unresolved.filter((u) => u.kind === "evacuate").flatMap((u) => u.vmIds);
  const host = p.options.host ?? "the host";
  return resultStatus([
    ...shortfall("unplaced", stranded.length, `${stranded.length} VM(s) cannot leave ${host}, which is being evacuated`),
    ...shortfall("violation", after.violations, `${after.violations} hard-constraint violation(s) left after the migrations`),
    ...shortfall("breach", after.breaches, `${after.breaches} predicted SLO breach(es) left after the migrations`),
    ...shortfall("breach", simulated, `${simulated} simulated SLO breach(es) left after the migrations`),
  ]);
}

/**
 * adviceStatus: advice is whole when every host it looked at has an option that meets every SLO
 * in simulation, and no breached host was left out by the host limit.
 */
export function adviceStatus(a: AdviceSection): ResultStatus {
  const unfixed = a.hosts.filter((h) => h.recommendation.optionId === undefined).map((h) => h.hostId);
  return resultStatus([
    ...shortfall("breach", unfixed.length, `${unfixed.length} host(s) with no option that meets every SLO in simulation: ${unfixed.join(", ")}`),
    ...shortfall("breach", a.skipped.length, `${a.skipped.length} host(s) with a breach not advised (host limit ${a.settings.maxHosts}): ${a.skipped.slice(0, 5).join(", ")}${a.skipped.length > 5 ? ", ..." : ""}`),
  ]);
}
