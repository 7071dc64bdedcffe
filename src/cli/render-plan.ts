import type { Plan } from "../model/plan.js";

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const sec = (ms: number | undefined): string => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);

/** renderPlan is the readable summary of a plan: cost, bound, gap, SLO breaches, time. */
export function renderPlan(plan: Plan, nHosts: number): string {
  const s = plan.solver;
  const lines: string[] = [];
  const placed = plan.assignments.length;
  lines.push(`placed ${placed} of ${placed + plan.unplaced.length} VMs on ${plan.hostsUsed} of ${nHosts} hosts`);
  lines.push(`cost ${plan.cost}, lower bound ${plan.lowerBound}, gap ${pct(plan.gap)}${plan.softViolations > 0 ? `, ${plan.softViolations} soft-constraint violation(s)` : ""}`);
  for (const b of plan.boundSources) lines.push(`  bound ${b.source}: ${b.value} (${b.detail})`);
  const exact = s.exactStatus ? `; HiGHS: ${s.exactStatus}${s.note ? ` (${s.note})` : ""}` : s.note ? `; ${s.note}` : "";
  lines.push(`solver ${s.used} (start: ${s.construction}), stopped on ${s.stoppedOn} after ${s.iterations} iterations${exact}`);
  const v = plan.validation;
  const sim = v.performed
    ? `simulated ${plan.slo.simulatedBreachesBefore ?? 0} before validation, ${plan.slo.simulatedBreachesAfter ?? 0} after (${v.rounds} round(s), ${v.hostsSimulated} host(s), ${sec(v.durationMs)} + ${sec(v.warmupMs)} warm-up each, ${v.repairs.length} repair(s))`
    : "not simulated (--no-validate)";
  lines.push(`SLO breaches: predicted ${plan.slo.predictedBreaches}; ${sim}`);
  if (v.performed && v.costBefore !== undefined && v.costBefore !== plan.cost) lines.push(`  repairs raised the cost from ${v.costBefore} to ${plan.cost}`);
  if (v.note && v.performed) lines.push(`  ${v.note}`);
  for (const r of v.repairs) lines.push(`  repair round ${r.round}: ${r.host} breached for ${r.victim}; moved ${r.moved}${r.to ? ` to ${r.to}` : " (nowhere to go)"}; cut: ${r.cut}`);
  lines.push(plan.check.ok ? "check: ok (independent checker, 0 violations)" : `check: ${plan.check.violations.length} VIOLATION(S): ${plan.check.violations.map((x) => `${x.constraint} ${x.host ?? ""} [${x.vms.join(", ")}]`).join("; ")}`);
  for (const u of plan.infeasible) {
    const why = u.byHostType.map((t) => `${t.host} (${t.cores} cores): ${t.reasons.map((r) => r.resource ? `${r.constraint}/${r.resource}` : r.constraint).join(", ")}`);
    lines.push(`cannot place ${u.vm}: ${why.join("; ")}`);
  }
  const t = plan.timings;
  if (t) lines.push(`time ${sec(t.totalMs)} (search ${sec(t.searchMs)}${t.validateMs !== undefined ? `, validation ${sec(t.validateMs)}` : ""})`);
  return lines.join("\n");
}
