import type { AdviceSection } from "../model/advice.js";
import { adviceHead, hostTitle, optionRow, recommendationText, settingsText } from "../report/advice-text.js";
import { statusText } from "../report/status-text.js";
import type { ResultStatus } from "../model/status.js";

/** renderAdviceSummary: what `vmplace advise` prints on a terminal: per host, its options and the pick. */
export function renderAdviceSummary(a: AdviceSection & Partial<ResultStatus>): string {
  const lines: string[] = [];
  if (a.hosts.length === 0) lines.push(`${a.hostsScreened} host(s) screened: no predicted or simulated SLO breach, nothing to advise`);
  for (const h of a.hosts) {
    lines.push(`host ${hostTitle(h)}`);
    // Columns in the order of adviceHead, without the "elsewhere" column (the report has it).
    const head = adviceHead(h).slice(0, -1);
    const rows = h.options.map((o) => optionRow(h, o).slice(0, -1));
    lines.push(...columns([head, ...rows]).map((l) => `  ${l}`));
    lines.push(`  ${recommendationText(h)}`);
    if (h.noMoves) lines.push(`  no migrate option: ${h.noMoves}`);
  }
  if (a.hosts.length > 0) lines.push(settingsText(a));
  lines.push(statusText(a));
  return lines.join("\n");
}

/** columns pads each column to its widest cell. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => [...(r[k] ?? "")].length)));
  return rows.map((r) => r.map((c, k) => (k === r.length - 1 ? c : c + " ".repeat(widths[k] - [...c].length))).join("  ").trimEnd());
}
