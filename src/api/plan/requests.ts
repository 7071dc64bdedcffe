import { z } from "zod";
import { ClusterSchema, type Cluster } from "../../model/cluster.js";
import { MigrationOptionsSchema } from "../../model/migration.js";
import { problemsFromZod, type ParseResult, type Problem } from "../../model/problems.js";
import { parseCluster } from "../../model/validate.js";
import { optionProblems } from "../../migrate/options.js";
import { AssignmentSchema } from "../../model/plan.js";
import type { MigrationOptions } from "../../model/migration.js";
import type { PlanTaskOptions } from "../work/tasks.js";

/** PlanOptionsSchema: what a client may choose about a batch plan (the CLI's plan flags). */
export const PlanOptionsSchema = z.strictObject({
  solver: z.enum(["auto", "milp", "heuristic"]).default("auto"),
  /** Default: the cluster's policy.seed. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  /** Search budget in ms (default: policy.timeBudgetMs), capped to leave room in the request's budget. */
  timeBudgetMs: z.number().int().min(1).max(3_600_000).optional(),
  /** Deterministic budget: same seed and iterations, same plan (wall clock ignored). */
  iterations: z.number().int().min(0).max(10_000_000).optional(),
  /** Re-simulate every host of the plan and repair SLO breaches. */
  validate: z.boolean().default(true),
  /** Simulated time measured per host when validating, in ms. */
  validateDurationMs: z.number().int().min(100).max(60_000).default(3000),
  /** Per-VM explanations (why this host, and why not the runner-up). */
  explain: z.boolean().default(true),
});
export type PlanOptions = z.infer<typeof PlanOptionsSchema>;

/** PlanRequestSchema: a cluster to place from scratch (current hosts are ignored) and options. */
export const PlanRequestSchema = z.strictObject({ cluster: ClusterSchema, options: PlanOptionsSchema.prefault({}) });
export type PlanRequest = z.infer<typeof PlanRequestSchema>;

/** MigrationsRequestSchema: a cluster whose VMs carry their current host, and what to aim for. */
export const MigrationsRequestSchema = z.strictObject({ cluster: ClusterSchema, options: MigrationOptionsSchema.prefault({}) });
export type MigrationsRequest = z.infer<typeof MigrationsRequestSchema>;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const under = (prefix: string, ps: readonly Problem[]): Problem[] =>
  ps.map((p) => ({ ...p, path: p.path === "" ? prefix : p.path.startsWith("[") ? `${prefix}${p.path}` : `${prefix}.${p.path}` }));

/**
 * parseWithOptions parses `{cluster, options}`: the cluster by parseCluster (every shape and
 * semantic problem), the options by their schema, then `cross` for what needs both; every
 * problem is reported at once, under "cluster." or "options.".
 */
function parseWithOptions<O>(
  input: unknown,
  options: z.ZodType<O>,
  cross: (c: Cluster, o: O) => Problem[] = () => [],
): ParseResult<{ cluster: Cluster; options: O }> {
  if (!isRecord(input)) return { ok: false, problems: [{ path: "", message: 'expected an object with "cluster" (and "options")' }] };
  const problems: Problem[] = Object.keys(input)
    .filter((k) => k !== "cluster" && k !== "options")
    .map((k) => ({ path: "", message: `unknown field(s): ${k}` }));
  const c = input.cluster === undefined ? undefined : parseCluster(input.cluster);
  if (!c) problems.push({ path: "cluster", message: "required" });
  else if (!c.ok) problems.push(...under("cluster", c.problems));
  const o = options.safeParse(input.options ?? {});
  if (!o.success) problems.push(...problemsFromZod(o.error, ["options"]));
  if (problems.length > 0 || !c?.ok || !o.success) return { ok: false, problems };
  const more = cross(c.value, o.data);
  return more.length > 0 ? { ok: false, problems: more } : { ok: true, value: { cluster: c.value, options: o.data } };
}

export const parsePlanRequest = (input: unknown): ParseResult<PlanRequest> => parseWithOptions(input, PlanOptionsSchema);

/** parseMigrationsRequest also runs the planner's option checks (the host to evacuate exists, ...). */
export const parseMigrationsRequest = (input: unknown): ParseResult<MigrationsRequest> =>
  parseWithOptions(input, MigrationOptionsSchema, (c, o) =>
    // optionProblems names cluster fields ("vms") and option fields ("host") by bare path.
    optionProblems(c, o).map((p) => ({ ...p, path: p.path === "vms" ? "cluster.vms" : `options.${p.path}` })),
  );

/**
 * RobustnessOptionsSchema: the placement to check (default: the VMs' current hosts) and the load
 * growth every SLO must survive (default: the cluster's policy.headroomPercent).
 */
export const RobustnessOptionsSchema = z.strictObject({
  assignments: z.array(AssignmentSchema).optional(),
  headroomPercent: z.number().min(0).max(400).optional(),
});
export type RobustnessOptions = z.infer<typeof RobustnessOptionsSchema>;

/** RobustnessRequestSchema: a cluster and a placement of it to check for n+1 and headroom. */
export const RobustnessRequestSchema = z.strictObject({ cluster: ClusterSchema, options: RobustnessOptionsSchema.prefault({}) });
export type RobustnessRequest = z.infer<typeof RobustnessRequestSchema>;

/** parseRobustnessRequest also checks that the placement names the cluster's VMs and hosts. */
export const parseRobustnessRequest = (input: unknown): ParseResult<RobustnessRequest> =>
  parseWithOptions(input, RobustnessOptionsSchema, (c, o) => {
    if (o.assignments === undefined)
      return c.vms.some((v) => v.host !== undefined) ? [] : [{ path: "options.assignments", message: "required: no VM of the cluster carries its current host" }];
    const vms = new Set(c.vms.map((v) => v.id));
    const hosts = new Set(c.hosts.map((h) => h.id));
    const seen = new Set<string>();
    return o.assignments.flatMap((a, k): Problem[] => {
      const at = `options.assignments[${k}]`;
      if (!vms.has(a.vm)) return [{ path: `${at}.vm`, message: `unknown VM "${a.vm}"` }];
      if (!hosts.has(a.host)) return [{ path: `${at}.host`, message: `unknown host "${a.host}"` }];
      if (seen.has(a.vm)) return [{ path: `${at}.vm`, message: `VM "${a.vm}" is assigned twice` }];
      seen.add(a.vm);
      return [];
    });
  });

// Validation warm-up, in simulated ms, and rounds: as `vmplace plan` runs it.
const VALIDATE_WARMUP_MS = 1000;
const VALIDATE_ROUNDS = 3;
/** Share of the request's budget the search may use; the rest is for validation and the reply. */
const SEARCH_SHARE = 0.5;

/** planTaskOptions caps the search so the plan, not the request's 504, is what runs out of time. */
export function planTaskOptions(o: PlanOptions, policyBudgetMs: number, requestBudgetMs: number): PlanTaskOptions {
  return {
    solver: o.solver,
    seed: o.seed,
    timeBudgetMs: Math.max(1, Math.min(o.timeBudgetMs ?? policyBudgetMs, Math.floor(requestBudgetMs * SEARCH_SHARE))),
    iterations: o.iterations,
    explain: o.explain,
    validation: o.validate ? { durationMs: o.validateDurationMs, warmupMs: VALIDATE_WARMUP_MS, maxRounds: VALIDATE_ROUNDS } : undefined,
  };
}

/** migrationTaskOptions: the planner stops itself on its budget and says so; keep that inside the request's. */
export function migrationTaskOptions(o: MigrationOptions, requestBudgetMs: number): MigrationOptions {
  return { ...o, timeBudgetMs: Math.max(1, Math.min(o.timeBudgetMs, Math.floor(requestBudgetMs * 0.8))) };
}
