import { ADVICE_KIND, AdviceSchema, type Advice } from "../model/advice.js";
import { MIGRATION_PLAN_KIND, MIGRATION_PLAN_VERSION, MigrationPlanSchema, type MigrationPlan } from "../model/migration.js";
import { ROBUSTNESS_KIND, RobustnessReportSchema, type RobustnessReport } from "../model/objectives.js";
import { PlanSchema, type Plan } from "../model/plan.js";
import { problemsFromZod, type ParseResult } from "../model/problems.js";
import { renderAdviceHtml } from "./advice-html.js";
import { renderAdviceJson } from "./advice-json.js";
import { renderAdviceMarkdown } from "./advice-markdown.js";
import { renderMigrationHtml } from "./migration-html.js";
import { renderMigrationJson } from "./migration-json.js";
import { renderMigrationMarkdown } from "./migration-markdown.js";
import { renderPlanHtml } from "./plan-html.js";
import { renderPlanJson } from "./plan-json.js";
import { renderPlanMarkdown } from "./plan-markdown.js";
import { renderRobustnessHtml, renderRobustnessJson, renderRobustnessMarkdown } from "./robustness-report.js";

export const REPORT_FORMATS = ["html", "md", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** ReportDocument: a saved document a report can render, tagged by which schema it matched. */
export type ReportDocument =
  | { kind: "migration"; doc: MigrationPlan }
  | { kind: "plan"; doc: Plan }
  | { kind: "advice"; doc: Advice }
  | { kind: "robustness"; doc: RobustnessReport };

/**
 * detectDocument tells a migration plan (its `kind` field) from a placer plan (`assignments` and
 * `solver`) and validates it with that schema; anything else is a problem, never a guess.
 */
export function detectDocument(value: unknown): ParseResult<ReportDocument> {
  const o = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (o?.kind === MIGRATION_PLAN_KIND) {
    if (typeof o.version === "number" && o.version < MIGRATION_PLAN_VERSION)
      return { ok: false, problems: [{ path: "version", message: `a version-${o.version} migration plan from an older vmplace; run vmplace migrate again for a version-${MIGRATION_PLAN_VERSION} plan` }] };
    const r = MigrationPlanSchema.safeParse(value);
    return r.success ? { ok: true, value: { kind: "migration", doc: r.data } } : { ok: false, problems: problemsFromZod(r.error) };
  }
  if (o?.kind === ADVICE_KIND) {
    const r = AdviceSchema.safeParse(value);
    return r.success ? { ok: true, value: { kind: "advice", doc: r.data } } : { ok: false, problems: problemsFromZod(r.error) };
  }
  if (o?.kind === ROBUSTNESS_KIND) {
    const r = RobustnessReportSchema.safeParse(value);
    return r.success ? { ok: true, value: { kind: "robustness", doc: r.data } } : { ok: false, problems: problemsFromZod(r.error) };
  }
  if (o && "assignments" in o && "solver" in o) {
    const r = PlanSchema.safeParse(value);
    return r.success ? { ok: true, value: { kind: "plan", doc: r.data } } : { ok: false, problems: problemsFromZod(r.error) };
  }
  return { ok: false, problems: [{ path: "", message: `not a migration plan ("kind": "${MIGRATION_PLAN_KIND}", from vmplace migrate), a placement plan (from vmplace plan), advice ("kind": "${ADVICE_KIND}", from vmplace advise) or a robustness check ("kind": "${ROBUSTNESS_KIND}", from vmplace check-robustness --json)` }] };
}

/** renderDocument renders either document in any format. */
export function renderDocument(d: ReportDocument, format: ReportFormat): string {
  if (d.kind === "advice") {
    if (format === "html") return renderAdviceHtml(d.doc);
    return format === "md" ? renderAdviceMarkdown(d.doc) : renderAdviceJson(d.doc);
  }
  if (d.kind === "robustness") {
    if (format === "html") return renderRobustnessHtml(d.doc);
    return format === "md" ? renderRobustnessMarkdown(d.doc) : renderRobustnessJson(d.doc);
  }
  if (d.kind === "migration") {
    if (format === "html") return renderMigrationHtml(d.doc);
    return format === "md" ? renderMigrationMarkdown(d.doc) : renderMigrationJson(d.doc);
  }
  if (format === "html") return renderPlanHtml(d.doc);
  return format === "md" ? renderPlanMarkdown(d.doc) : renderPlanJson(d.doc);
}

/** formatFromPath guesses a format from a file name (.html/.htm, .md, .json). */
export function formatFromPath(path: string): ReportFormat | undefined {
  const m = /\.(html?|md|markdown|json)$/i.exec(path);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  return ext.startsWith("htm") ? "html" : ext === "json" ? "json" : "md";
}

/** parseMigrationPlan reads a saved migration plan (apply, approve, emit), or says what is wrong. */
export function parseMigrationPlan(value: unknown): ParseResult<MigrationPlan> {
  const r = detectDocument(value);
  if (!r.ok) return r;
  const other = { plan: "a placement plan (vmplace plan)", advice: "advice (vmplace advise)", robustness: "a robustness check (vmplace check-robustness)" } as const;
  if (r.value.kind !== "migration") return { ok: false, problems: [{ path: "", message: `${other[r.value.kind]}, not a migration plan (vmplace migrate --format json)` }] };
  return { ok: true, value: r.value.doc };
}
