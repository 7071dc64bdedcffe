import { z } from "zod";

/**
 * The one status every result carries (plan, migration plan, score, validate; CLI JSON and API
 * bodies alike), so scripts act on a single field and the CLI's exit code has the same meaning:
 * "ok" when the result is whole, "incomplete" otherwise, with a reason per kind of shortfall.
 * The status always tells the whole truth; `--fail-on` only chooses which kinds make the CLI
 * exit 3.
 */

/**
 * unplaced: VMs left without a host (or that no placement of them all can exist); violation: hard
 * constraints broken, in a plan or in the current placement; breach: predicted or simulated SLO
 * breaches left (of VMs or of fan-out services); robustness: the policy asks for n+1 or headroom
 * and some host cannot be evacuated, or an SLO breaks at the grown load.
 */
export const SHORTFALL_KINDS = ["unplaced", "violation", "breach", "robustness"] as const;
export type ShortfallKind = (typeof SHORTFALL_KINDS)[number];

export const ShortfallSchema = z.strictObject({
  kind: z.enum(SHORTFALL_KINDS),
  /** How many VMs, violations or breaches; always at least 1. */
  count: z.number().int().min(1),
  /** The shortfall as a sentence, e.g. "6 VM(s) left unplaced". */
  message: z.string(),
});
export type Shortfall = z.infer<typeof ShortfallSchema>;

export const RESULT_STATUSES = ["ok", "incomplete"] as const;
export type ResultStatusCode = (typeof RESULT_STATUSES)[number];

/** ResultStatusSchema: the `status` and `reasons` fields a result document carries at its top. */
export const ResultStatusSchema = z.strictObject({
  /** ok: the result is whole; incomplete: see reasons (the CLI exits 3 on the kinds --fail-on names). */
  status: z.enum(RESULT_STATUSES),
  /** Every shortfall, empty when the status is ok. */
  reasons: z.array(ShortfallSchema),
});
export type ResultStatus = z.infer<typeof ResultStatusSchema>;

/** shortfall builds one reason, or nothing when the count is zero. */
export function shortfall(kind: ShortfallKind, count: number, message: string): Shortfall[] {
  return count > 0 ? [{ kind, count, message }] : [];
}

/** resultStatus turns a list of shortfalls into the status fields. */
export function resultStatus(reasons: readonly Shortfall[]): ResultStatus {
  return { status: reasons.length === 0 ? "ok" : "incomplete", reasons: [...reasons] };
}

/** withStatus puts the status fields first in a document, so a reader sees them before the details. */
export function withStatus<T extends object>(doc: T, status: ResultStatus): ResultStatus & T {
  const { status: _s, reasons: _r, ...rest } = doc as T & Partial<ResultStatus>;
  return { ...status, ...(rest as T) };
}
