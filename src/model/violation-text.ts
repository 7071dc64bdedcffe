import type { Violation } from "./plan.js";

// Beside the model (like renderProblems) so that score and validate print violations without
// loading the report layer.
const num = (x: number): string => String(Number(x.toFixed(2)));

/** violationText: one line for a hard-constraint violation found by the independent checker. */
export function violationText(v: Violation): string {
  const where = v.host !== undefined ? ` on ${v.host}` : "";
  const amount = v.requested !== undefined && v.capacity !== undefined ? `: ${num(v.requested)} of ${num(v.capacity)}` : "";
  const path = v.path !== undefined ? ` (${v.path})` : "";
  const vms = v.vms.length <= 4 ? v.vms.join(", ") : `${v.vms.slice(0, 4).join(", ")} and ${v.vms.length - 4} more`;
  return `${v.constraint}${where}${amount}${path}: ${vms}`;
}
