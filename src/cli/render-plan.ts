import type { Plan } from "../model/plan.js";
import { boundLines, gapText, solverText } from "../report/plan-text.js";
import { statusText } from "../report/status-text.js";
import { unplacedText } from "../report/unplaced-text.js";
import { ms } from "../report/format.js";
import { serviceText } from "../model/service-text.js";
import { energyText, robustnessText } from "../report/objectives-view.js";

const sec = (ms: number | undefined): string => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);

/** renderPlan is the readable summary of a plan: cost, bound, gap, solver, SLO breaches, check, time, status. */
export function renderPlan(plan: Plan, nHosts: number): string {
  const lines: string[] = [];
  const placed = plan.assignments.length;
  lines.push(`placed ${placed} of ${placed + plan.unplaced.length} VMs on ${plan.hostsUsed} of ${nHosts} hosts`);
  lines.push(`cost ${plan.cost}; ${gapText(plan)}${plan.softViolations > 0 ? `; ${plan.softViolations} soft-constraint violation(s)` : ""}`);
  for (const b of boundLines(plan)) lines.push(`  ${b}`);
  lines.push(solverText(plan));
  const v = plan.validation;
  const sim = v.performed
    ? `simulated ${plan.slo.simulatedBreachesBefore ?? 0} before validation, ${plan.slo.simulatedBreachesAfter ?? 0} after (${v.rounds} round(s), ${v.hostsSimulated} host(s), ${sec(v.durationMs)} + ${sec(v.warmupMs)} warm-up each, ${v.repairs.length} repair(s))`
    : "not simulated (--no-validate)";
  lines.push(`SLO breaches: predicted ${plan.slo.predictedBreaches}; ${sim}`);
  if (v.performed && v.costBefore !== undefined && v.costBefore !== plan.cost) lines.push(`  repairs raised the cost from ${v.costBefore} to ${plan.cost}`);
  if (v.note && v.performed) lines.push(`  ${v.note}`);
  for (const r of v.repairs) lines.push(`  repair round ${r.round}: ${r.host} breached for ${r.victim}; moved ${r.moved}${r.to ? ` to ${r.to}` : " (nowhere to go)"}; cut: ${r.cut}`);
  const hard = plan.check.violations.filter((x) => x.constraint !== "unplaced");
  lines.push(
    plan.check.ok
      ? "check: ok (independent checker: every VM placed, 0 violations)"
      : `check: NOT OK (independent checker): ${plan.counts.unplaced} VM(s) not placed (at least ${plan.counts.minUnplaced} proved unplaceable), ${hard.length} violation(s)${hard.length > 0 ? `: ${hard.map((x) => `${x.constraint} ${x.host ?? ""} [${x.vms.join(", ")}]`).join("; ")}` : ""}`,
  );
  for (const u of plan.unplacedReasons) lines.push(`not placed: ${unplacedText(u)}`);
  lines.push(...objectiveLines(plan));
  const t = plan.timings;
  if (t) lines.push(`time ${sec(t.totalMs)} (search ${sec(t.searchMs)}${t.validateMs !== undefined ? `, validation ${sec(t.validateMs)}` : ""})`);
  lines.push(statusText(plan));
  return lines.join("\n");
}

/** objectiveLines: energy, fan-out services and robustness, one line each (services one per service). */
function objectiveLines(plan: Plan): string[] {
  const out: string[] = [];
  const e = plan.energy;
  if (e) out.push(`energy: ${energyText(e.plan)}${e.current ? ` (current placement: ${energyText(e.current)})` : ""}`);
  for (const x of plan.services ?? []) out.push(serviceText(x));
  if (plan.robustness) out.push(`robustness: ${robustnessText(plan.robustness)}`);
  return out;
}
