import type { Advice, AdviceSection, HostAdvice } from "../model/advice.js";
import { mdTable } from "./format.js";
import { adviceHead, hostTitle, optionRow, predictionNotes, recommendationText, settingsText } from "./advice-text.js";
import { statusText } from "./status-text.js";

/** renderAdviceMarkdown: the advice document as a Markdown report. */
export function renderAdviceMarkdown(a: Advice): string {
  const parts = [`# What-if advice${a.settings.host ? ` for ${a.settings.host}` : ""}`, statusText(a), adviceSectionMarkdown(a, 2)];
  return `${parts.filter((x) => x !== "").join("\n\n")}\n`;
}

/** adviceSectionMarkdown: every advised host, at heading level `level` (the migration report nests it). */
export function adviceSectionMarkdown(a: AdviceSection, level: number): string {
  const intro = a.hosts.length === 0 ? "No host has a predicted or simulated SLO breach: nothing to advise." : settingsText(a);
  return [intro, ...a.hosts.map((h) => hostMarkdown(h, level))].join("\n\n");
}

function hostMarkdown(h: HostAdvice, level: number): string {
  const notes = predictionNotes(h);
  const parts = [
    `${"#".repeat(level)} ${hostTitle(h)}`,
    `**${recommendationText(h)}**`,
    mdTable(adviceHead(h), h.options.map((o) => optionRow(h, o))),
    h.options.map((o) => `- \`${o.id}\`: ${o.title} (${o.cost.note})`).join("\n"),
  ];
  if (h.noMoves) parts.push(`No migrate option: ${h.noMoves}.`);
  if (notes.length > 0) parts.push(`Predicted column: ${notes.join("; ")}.`);
  return parts.join("\n\n");
}
