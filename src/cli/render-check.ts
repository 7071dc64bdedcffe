import { renderSummary } from "../model/summary.js";
import type { ClusterCheck } from "../model/cluster-check.js";
import { violationText } from "../model/violation-text.js";

// The terminal lists this many violations; --json has every one.
const MAX_VIOLATIONS = 20;

/** checkHeadline: the verdict line of `validate`, never "valid" alone when the cluster cannot be whole. */
export function checkHeadline(file: string, r: ClusterCheck): string {
  const errors = r.capacity.filter((f) => f.level === "error").length;
  const warnings = r.capacity.length - errors;
  const but = [
    errors > 0 ? "no placement of every VM can exist" : "",
    r.violations.length > 0 ? `the current placement breaks ${r.violations.length} hard constraint(s)` : "",
  ].filter((x) => x !== "");
  if (but.length > 0) return `${file}: valid document, but ${but.join(", and ")}`;
  return `${file}: valid${warnings > 0 ? `, with ${warnings} warning(s)` : ""}`;
}

/** renderCheck: verdict, summary, capacity findings, current violations. */
export function renderCheck(file: string, r: ClusterCheck): string {
  const lines = [checkHeadline(file, r), renderSummary(r.summary)];
  for (const f of r.capacity) lines.push(`${f.level}: ${f.message}`);
  if (r.violations.length > 0) lines.push(`current placement: ${r.violations.length} hard-constraint violation(s)`);
  for (const v of r.violations.slice(0, MAX_VIOLATIONS)) lines.push(`  VIOLATION ${violationText(v)}`);
  if (r.violations.length > MAX_VIOLATIONS) lines.push(`  ... and ${r.violations.length - MAX_VIOLATIONS} more (--json lists them all)`);
  return lines.join("\n");
}
