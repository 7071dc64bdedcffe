import type { AdviceSection } from "./advice.js";
import type { MigrationPlan } from "./migration.js";
import type { RobustnessReport, RobustnessSection, ServiceTail } from "./objectives.js";
import type { Plan } from "./plan.js";
import { resultStatus, shortfall, type ResultStatus, type Shortfall } from "./status.js";

/**
 * planStatus: a placement plan is whole when every VM is placed, the independent checker finds no
 * hard violation, no SLO breach is left, predicted or (after validation) simulated, of a VM or of
 * a fan-out service, and the robustness the policy asks for (n+1, headroom) holds.
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
    ...serviceShortfall(p.services ?? []),
    ...robustnessShortfall(p.robustness),
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
    ...serviceShortfall((p.services ?? []).map((x) => x.after)),
    ...robustnessShortfall(p.robustness),
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

/** serviceShortfall: fan-out services whose tail is over their SLO. */
export function serviceShortfall(services: readonly ServiceTail[]): Shortfall[] {
  const over = services.filter((x) => x.breach);
  return shortfall("breach", over.length, `${over.length} fan-out service(s) over their SLO (${over.slice(0, 3).map((x) => x.id).join(", ")}${over.length > 3 ? ", ..." : ""})`);
}

/** robustnessShortfall: what n+1 or headroom, when asked, finds wrong. */
export function robustnessShortfall(r: RobustnessSection | undefined): Shortfall[] {
  if (!r || r.robust) return [];
  const failing = r.mode === "n+1" ? r.nPlusOne.failing : 0;
  const grown = r.headroom && !r.headroom.ok ? r.headroom.predictedBreaches : 0;
  const simulated = r.headroom?.simulatedBreaches ?? 0;
  return [
    ...shortfall("robustness", failing, `${failing} used host(s) cannot fail: their VMs fit nowhere else without a violation or a predicted breach`),
    ...shortfall("robustness", grown, `${grown} predicted SLO breach(es) with every VM's CPU demand ${r.headroomPercent}% higher`),
    ...shortfall("robustness", simulated, `${simulated} simulated SLO breach(es) with every VM's CPU demand ${r.headroomPercent}% higher`),
  ];
}

/** robustnessReport: the check-robustness document (CLI --json and API), its status from the section. */
export function robustnessReport(section: RobustnessSection, unplaced: readonly string[]): RobustnessReport {
  return { ...resultStatus(robustnessShortfall(section)), kind: "vmplace/robustness-check", unplaced: [...unplaced], robustness: section };
}
