import type { ResultStatus } from "../model/status.js";

/** statusText: the one line that says whether a result is whole, for every renderer. */
export function statusText(s: Partial<ResultStatus>): string {
  if (s.status === undefined) return "status: not recorded (a document written before vmplace recorded it)";
  if (s.status === "ok") return "status: ok (the result is whole)";
  return `status: INCOMPLETE: ${(s.reasons ?? []).map((r) => r.message).join("; ")}`;
}
