import type { Plan } from "../model/plan.js";
import { gib, mdTable, ms, num } from "./format.js";
import { boundLines, gapText, outscoredText, runnerUpText, solverText } from "./plan-text.js";
import { statusText } from "./status-text.js";
import { viewsMarkdown } from "./objectives-render.js";
import { planObjectiveViews } from "./objectives-view.js";
import { chartHostsOfPlan, DRIVER_HEADERS, driverRows, planHeadline, validationRows } from "./plan-view.js";
import { topScores } from "./scores.js";
import { unplacedText } from "./unplaced-text.js";
import { violationText } from "../model/violation-text.js";

// Explanations of a 10,000-VM plan would drown the report: the first ones, with a count.
const MAX_EXPLANATIONS = 100;

/** renderPlanMarkdown: the placer's plan as a Markdown report. */
export function renderPlanMarkdown(p: Plan): string {
  const objectives = viewsMarkdown(planObjectiveViews(p));
  const parts = [`# Placement plan (${p.objective})`, planHeadline(p), overview(p), hostsSection(p), driverSection(p), validationSection(p), objectives, explanationsSection(p), problemsSection(p)];
  return `${parts.filter((x) => x !== "").join("\n\n")}\n`;
}

function overview(p: Plan): string {
  const rows: string[][] = [
    ["status", statusText(p).replace(/^status: /, "")],
    ["hosts used", String(p.hostsUsed)],
    ["cost", num(p.cost)],
    ["lower bound", `${num(p.lowerBound)} from ${p.lowerBoundSource}; ${boundLines(p).join("; ")}`],
    ["gap", gapText(p)],
    ["soft-constraint violations", String(p.softViolations)],
    ["solver", solverText(p)],
    ["predicted SLO breaches", String(p.slo.predictedBreaches)],
    ["independent check", p.check.ok ? "ok" : `${p.counts.violations} violation(s), ${p.counts.unplaced} VM(s) not placed`],
    ["seed", String(p.seed)],
  ];
  return `## Overview\n\n${mdTable(["", ""], rows)}`;
}

function hostsSection(p: Plan): string {
  const { hosts, hidden } = chartHostsOfPlan(p);
  if (hosts.length === 0) return "";
  const rows = hosts.map((h) => [h.host, String(h.vms), String(h.vcpus), gib(h.memoryMiB), h.level, ms(h.predictedDelayP999Us), String(h.predictedBreaches), h.simulatedBreaches === undefined ? "–" : String(h.simulatedBreaches)]);
  const note = hidden > 0 ? `\n\nThe ${hosts.length} riskiest of ${hosts.length + hidden} used hosts.` : "";
  return `## Hosts${note}\n\n${mdTable(["host", "VMs", "vCPUs", "GiB", "risk", "predicted p99.9 delay ms", "predicted breaches", "simulated breaches"], rows)}`;
}

function driverSection(p: Plan): string {
  const rows = driverRows(p);
  if (rows.length === 0) return "";
  return `## Driver domains\n\nDriver CPU is what the hosts' io guests cost dom0 / vhost per packet; it is shared by every guest of the host.\n\n${mdTable(DRIVER_HEADERS, rows)}`;
}

function validationSection(p: Plan): string {
  const v = p.validation;
  if (!v.performed) return `## Validation\n\n${v.note ?? "Not re-simulated."}`;
  const head = `${v.rounds} round(s), ${v.hostsSimulated} host(s) simulated for ${num(v.durationMs / 1000)} s after ${num(v.warmupMs / 1000)} s warm-up, ${v.repairs.length} repair(s).`;
  const repairs = v.repairs.map((r) => `- round ${r.round}: ${r.host} breached for ${r.victim}; moved ${r.moved}${r.to ? ` to ${r.to}` : " (nowhere to go)"}; ${r.cut}`);
  const rows = validationRows(p).map((x) => [x.vm, x.host, ms(x.predictedP999Us), x.simulatedP999Us === undefined ? "–" : ms(x.simulatedP999Us), x.sloP999Us === undefined ? "–" : ms(x.sloP999Us), x.breach ? "BREACH" : "ok"]);
  return [`## Validation`, head, ...(repairs.length > 0 ? [repairs.join("\n")] : []), mdTable(["VM", "host", "predicted p99.9 ms", "simulated p99.9 ms", "SLO ms", "verdict"], rows)].join("\n\n");
}

function explanationsSection(p: Plan): string {
  if (p.explanations.length === 0) return "";
  const rows = p.explanations.slice(0, MAX_EXPLANATIONS).map((e) => {
    const top = topScores(e.scores);
    return [e.vm, e.host, num(e.total, 1), top, runnerUpText(e), outscoredText(e), String(e.candidates)];
  });
  const more = p.explanations.length > MAX_EXPLANATIONS ? `\n\nFirst ${MAX_EXPLANATIONS} of ${p.explanations.length}; the JSON has them all.` : "";
  return `## Why each VM is where it is${more}\n\n${mdTable(["VM", "host", "score", "top scores", "runner-up", "scores higher (plan cost if moved there)", "hosts compared"], rows)}`;
}

function problemsSection(p: Plan): string {
  const lines = [
    ...p.check.violations.filter((v) => v.constraint !== "unplaced").map((v) => `- violation: ${violationText(v)}`),
    ...p.unplacedReasons.map((u) => `- not placed: ${unplacedText(u)}`),
  ];
  return lines.length === 0 ? "" : `## Problems\n\n${lines.join("\n")}`;
}
