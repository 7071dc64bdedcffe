import type { Plan } from "../model/plan.js";
import { esc, num, pct } from "./format.js";
import { cards, chart, page, section, table } from "./html-page.js";
import { viewsHtml } from "./objectives-render.js";
import { planObjectiveViews } from "./objectives-view.js";
import { chartHostsOfPlan, DRIVER_HEADERS, driverRows, planHeadline, planHostChart, planLatencyChart, validationRows } from "./plan-view.js";
import { topScores } from "./scores.js";
import { optimalityLabel, outscoredText, runnerUpText } from "./plan-text.js";
import { unplacedText } from "./unplaced-text.js";
import { violationText } from "../model/violation-text.js";

const MAX_EXPLANATIONS = 200;

/** renderPlanHtml: the placer's plan as one self-contained page with inline SVG charts. */
export function renderPlanHtml(p: Plan): string {
  const objectives = viewsHtml(planObjectiveViews(p));
  return page(`Placement plan: ${p.objective}`, planHeadline(p), [summary(p), hosts(p), drivers(p), validation(p), ...objectives, explanations(p), problems(p)]);
}

function summary(p: Plan): string {
  const tone = (n: number): "bad" | "good" => (n > 0 ? "bad" : "good");
  return cards([
    [p.status === undefined ? "–" : p.status === "ok" ? "whole" : "INCOMPLETE", "status", p.status === "incomplete" ? "bad" : p.status === "ok" ? "good" : undefined],
    [String(p.hostsUsed), "hosts used"],
    [num(p.cost), `cost (valid lower bound ${num(p.lowerBound)}, ${p.lowerBoundSource})`],
    p.gap === undefined ? ["–", "no gap: VMs not placed", "bad"] : [pct(p.gap), p.provedOptimal ? "gap: proved optimal" : `gap to the valid lower bound (${optimalityLabel(p)})`],
    [String(p.unplaced.length), "VMs not placed", tone(p.unplaced.length)],
    [String(p.counts.violations), "violations (independent check)", tone(p.counts.violations)],
    [String(p.slo.predictedBreaches), "predicted SLO breaches", tone(p.slo.predictedBreaches)],
    [p.validation.performed ? String(p.slo.simulatedBreachesAfter ?? 0) : "–", "simulated SLO breaches", tone(p.slo.simulatedBreachesAfter ?? 0)],
    ...(p.energy ? [[`${num(p.energy.plan.kWhPerMonth, 0)} kWh`, `per month (${num(p.energy.plan.watts, 0)} W, ${num(p.energy.plan.kgCo2PerMonth, 0)} kg CO2)`] as [string, string]] : []),
    ...(p.robustness ? [[p.robustness.robust ? "yes" : "NO", `robust (${p.robustness.mode}${p.robustness.headroomPercent > 0 ? `, +${num(p.robustness.headroomPercent)}%` : ""})`, p.robustness.robust ? "good" : "bad"] as [string, string, "bad" | "good"]] : []),
    ...(p.services && p.services.length > 0 ? [[String(p.services.filter((x) => x.breach).length), "fan-out services over SLO", tone(p.services.filter((x) => x.breach).length)] as [string, string, "bad" | "good"]] : []),
  ]);
}

function hosts(p: Plan): string {
  const { hosts: shown, hidden } = chartHostsOfPlan(p);
  if (shown.length === 0) return "";
  const note = `Memory bars are coloured by the host's interference risk.${hidden > 0 ? ` The ${shown.length} riskiest of ${shown.length + hidden} used hosts.` : ""}`;
  return section("Hosts", chart(planHostChart(shown)), note);
}

function drivers(p: Plan): string {
  const rows = driverRows(p);
  if (rows.length === 0) return "";
  return section("Driver domains", table(DRIVER_HEADERS, rows), "Driver CPU is what the hosts' io guests cost dom0 / vhost per packet; it is shared by every guest of the host.");
}

function validation(p: Plan): string {
  const v = p.validation;
  if (!v.performed) return section("Validation", `<p>${esc(v.note ?? "Not re-simulated.")}</p>`);
  const rows = validationRows(p);
  const note = `${v.rounds} round(s), ${v.hostsSimulated} host(s) simulated for ${num(v.durationMs / 1000)} s, ${v.repairs.length} repair(s).`;
  const repairs = v.repairs.length === 0 ? "" : table(["round", "host", "victim", "moved", "to", "cut"], v.repairs.map((r) => [String(r.round), r.host, r.victim, r.moved, r.to ?? "–", r.cut]));
  const body = rows.length === 0 ? "<p>No latency-sensitive VM to simulate.</p>" : chart(planLatencyChart(rows));
  return section("Validation by re-simulation", body + repairs, note);
}

function explanations(p: Plan): string {
  if (p.explanations.length === 0) return "";
  const rows = p.explanations.slice(0, MAX_EXPLANATIONS).map((e) => {
    const top = topScores(e.scores);
    return [e.vm, e.host, num(e.total, 1), top, runnerUpText(e), outscoredText(e)];
  });
  const note = p.explanations.length > MAX_EXPLANATIONS ? `First ${MAX_EXPLANATIONS} of ${p.explanations.length}.` : "";
  return section("Why each VM is where it is", table(["VM", "host", "score", "top scores", "runner-up", "scores higher (plan cost if moved there)"], rows), note);
}

function problems(p: Plan): string {
  const items = [
    ...p.check.violations.filter((v) => v.constraint !== "unplaced").map((v) => `violation: ${violationText(v)}`),
    ...p.unplacedReasons.map((u) => `not placed: ${unplacedText(u)}`),
  ];
  if (items.length === 0) return "";
  return section("Problems", `<ul>${items.map((t) => `<li>${esc(t)}</li>`).join("")}</ul>`);
}

