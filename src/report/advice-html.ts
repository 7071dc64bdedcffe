import type { Advice, AdviceSection, HostAdvice } from "../model/advice.js";
import { dumbbellChart, type DumbbellRow } from "./dumbbell.js";
import { esc, ms } from "./format.js";
import { adviceHead, hostTitle, optionRow, predictionNotes, recommendationText, settingsText } from "./advice-text.js";
import { chart, page, section, table } from "./html-page.js";
import { statusText } from "./status-text.js";

/** renderAdviceHtml: the advice document as one self-contained page. */
export function renderAdviceHtml(a: Advice): string {
  return page(`What-if advice${a.settings.host ? ` for ${a.settings.host}` : ""}`, `${statusText(a)}. ${settingsText(a)}`, adviceSectionsHtml(a));
}

/** adviceSectionsHtml: one section per advised host (the migration report appends them). */
export function adviceSectionsHtml(a: AdviceSection): string[] {
  if (a.hosts.length === 0) return [section("What-if advice", "<p>No host has a predicted or simulated SLO breach: nothing to advise.</p>")];
  return a.hosts.map(hostHtml);
}

function hostHtml(h: HostAdvice): string {
  const fixed = h.recommendation.optionId !== undefined;
  const rec = `<p class="${fixed ? "good" : "bad"}">${esc(recommendationText(h))}</p>`;
  const rows = h.options.map((o) => optionRow(h, o));
  const list = `<ul>${h.options.map((o) => `<li><code>${esc(o.id)}</code>: ${esc(o.title)} (${esc(o.cost.note)})</li>`).join("")}</ul>`;
  const notes = predictionNotes(h);
  const more = [h.noMoves ? `No migrate option: ${h.noMoves}.` : "", notes.length > 0 ? `Predicted column: ${notes.join("; ")}.` : ""].filter((x) => x !== "");
  const body = rec + chart(latencyChart(h)) + table(adviceHead(h), rows) + list + more.map((t) => `<p class="note">${esc(t)}</p>`).join("");
  return section(`What-if advice: ${hostTitle(h)}`, body, "Each option's predicted (grey) and simulated (green, red when over) p99.9 of the host's latency-sensitive VMs against their SLO (black tick), log scale.");
}

function latencyChart(h: HostAdvice): string {
  const rows: DumbbellRow[] = h.options.flatMap((o) =>
    o.latency.map((l) => ({
      label: `${shortId(o.id)}${o.latency.length > 1 ? ` ${l.vmId}` : ""}`.slice(0, 18),
      fromUs: l.predictedP999Us,
      toUs: l.simulatedP999Us,
      sloUs: l.sloP999Us,
      fromBad: l.sloP999Us !== undefined && l.predictedP999Us > l.sloP999Us,
      toBad: l.meetsSlo === false,
      fromTip: `${o.id}: ${l.vmId} on ${l.hostId} predicted p99.9 ${ms(l.predictedP999Us)} ms`,
      toTip: `${o.id}: ${l.vmId} on ${l.hostId} simulated p99.9 ${ms(l.simulatedP999Us)} ms (median of ${l.seedsP999Us.map(ms).join(", ")})`,
    })),
  );
  return dumbbellChart(rows, ["predicted", "simulated, within SLO"], `Predicted and simulated p99.9 under each option on ${h.hostId}`);
}

/** shortId: an option id that fits the chart's label column ("timeslice:5" -> "slice 5 ms"). */
function shortId(id: string): string {
  return id
    .split("+")
    .map((part) => {
      const [kind, value] = part.split(":");
      const short: Record<string, string> = { current: "now", scheduler: value?.replace(/^(xen|kvm)-/, "") ?? "", timeslice: `tslice ${value}`, ratelimit: `rlimit ${value}`, "victim-weight": "weight", "victim-slice": "eevdf slice", "cap-neighbours": `cap ${value}%`, "driver-charging": "charge driver", migrate: "migrate" };
      return short[kind] ?? part;
    })
    .join("+");
}
