import type { Plan } from "../model/plan.js";
import { gapText, unplacedText } from "../report/unplaced-text.js";

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const sec = (ms: number | undefined): string => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);

/** renderPlan is the readable summary of a plan: cost, bound, gap, SLO breaches, time. */
export function renderPlan(plan: Plan, nHosts: number): string {
  const s = plan.solver;
  const lines: string[] = [];
  const placed = plan.assignments.length;
  lines.push(`placed ${placed} of ${placed + plan.unplaced.length} VMs on ${plan.hostsUsed} of ${nHosts} hosts`);
  lines.push(`cost ${plan.cost}, lower bound ${plan.lowerBound} (${plan.lowerBoundSource}), ${gapText(plan, pct)}${plan.softViolations > 0 ? `, ${plan.softViolations} soft-constraint violation(s)` : ""}`);
  for (const b of plan.boundSources) lines.push(`  bound ${b.source}: ${b.value}${b.valid ? "" : " (not a bound)"}: ${b.detail}`);
  const model = s.exactStatus === "optimal" && !plan.provedOptimal ? " for its model, not proved for the plan" : "";
  const exact = s.exactStatus ? `; HiGHS: ${s.exactStatus}${model}${s.note ? ` (${s.note})` : ""}` : s.note ? `; ${s.note}` : "";
  lines.push(`solver ${s.used} (start: ${s.construction}), stopped on ${s.stoppedOn} after ${s.iterations} iterations${exact}`);
  if (s.fallback) lines.push(`  ${s.requested === "milp" ? "--solver milp fell back to the heuristics" : "the exact solve was not used"}: ${s.fallback.reason} (${s.fallback.detail})`);
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
  const t = plan.timings;
  if (t) lines.push(`time ${sec(t.totalMs)} (search ${sec(t.searchMs)}${t.validateMs !== undefined ? `, validation ${sec(t.validateMs)}` : ""})`);
  return lines.join("\n");
}
