import { InputError } from "../../io/load.js";
import { writeFileAtomic } from "../../io/write.js";
import type { Cluster } from "../../model/cluster.js";
import { renderDocument, type ReportFormat } from "../../report/render.js";
import { settle, type FailOn } from "../exit-policy.js";
import { renderMigrationSummary } from "../render-migration.js";
import type { SimBackendFlags } from "../sim-backend.js";
import { RESIMULATE_HOSTS, runMigrate } from "./migrate.js";

export interface FromCurrentFlags extends SimBackendFlags {
  fromCurrent?: boolean;
  maxMoves?: number;
  maxMigratedGib?: number;
  solver: string;
  iterations?: number;
  out?: string;
  json?: boolean;
  format?: ReportFormat;
  seed?: number;
  timeBudget?: number;
  validate: boolean;
  validateDuration: number;
  calibration?: string;
  failOn?: FailOn;
}

/** checkFromCurrentFlags: the limits need --from-current, and a from-scratch search knob does not fit it. */
export function checkFromCurrentFlags(f: FromCurrentFlags): void {
  if (!f.fromCurrent) {
    const limits = [f.maxMoves !== undefined ? "--max-moves" : "", f.maxMigratedGib !== undefined ? "--max-migrated-gib" : ""].filter((x) => x !== "");
    if (limits.length > 0) throw new InputError(`${limits.join(" and ")} limit the moves from the current placement: add --from-current`);
    return;
  }
  if (f.solver !== "auto" || f.iterations !== undefined) throw new InputError("--solver and --iterations steer the from-scratch search; --from-current plans moves from the current placement");
}

/**
 * planFromCurrentAction: `vmplace plan FILE --from-current [--max-moves N] [--max-migrated-gib G]`.
 * The same planner and cost model as `vmplace migrate` (its mode from the cluster's objective,
 * every move that pays for itself admitted), so the result is a migration plan: a target layout
 * within the limits, in safe waves, that `approve`, `apply` and `migrate --emit` take as is, with
 * the trade-off against the plan without the limits. Exit codes follow --fail-on, as for plan.
 */
export async function planFromCurrentAction(cluster: Cluster, f: FromCurrentFlags, format: ReportFormat | undefined): Promise<void> {
  const plan = await runMigrate(cluster, {
    fromCurrent: true,
    maxMoves: f.maxMoves,
    maxMigratedGib: f.maxMigratedGib,
    seed: f.seed,
    timeBudget: f.timeBudget,
    simulate: f.validate,
    simulateDuration: f.validateDuration,
    simulateHosts: RESIMULATE_HOSTS,
    calibration: f.calibration,
    redis: f.redis,
    redisFallback: f.redisFallback,
  });
  const text = format ? renderDocument({ kind: "migration", doc: plan }, format) : undefined;
  if (f.out && text !== undefined) writeFileAtomic(f.out, text);
  const printed = f.json || f.format ? text : undefined;
  process.stdout.write(printed ?? `${renderMigrationSummary(plan)}${f.out ? `\nmigration plan written to ${f.out} (${format})` : ""}\n`);
  settle("plan", { status: plan.status ?? "ok", reasons: plan.reasons ?? [] }, f.failOn ?? new Set());
}
