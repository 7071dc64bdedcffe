import { z } from "zod";

/**
 * The life of a migration plan once an operator has it, after OpenStack Watcher's action plans:
 * the planner recommends, an operator approves, `vmplace apply` runs the moves wave by wave and
 * records each one's result in the document itself, so the file is the record of what happened.
 *
 * - recommended: what `vmplace migrate` wrote; nothing has run.
 * - approved: an operator accepted it (`vmplace approve`, or `apply --approve`).
 * - in-progress: `apply` is running it, or stopped mid-way (a killed apply leaves moves in progress).
 * - done: every move ran and succeeded.
 * - failed: a move failed; its wave finished, later waves did not start. `apply` again resumes.
 */
export const PLAN_STATES = ["recommended", "approved", "in-progress", "done", "failed"] as const;
export type PlanState = (typeof PLAN_STATES)[number];

/** A move's own state: the plan's, minus approval (a plan is approved as a whole). */
export const MOVE_STATES = ["recommended", "in-progress", "done", "failed"] as const;
export type MoveState = (typeof MOVE_STATES)[number];

/** AttemptSchema: one run of a move's pre-check and command, as `apply` recorded it. */
export const AttemptSchema = z.strictObject({
  /** ISO-8601 wall-clock times. */
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** What ran (the executor template with this move's values). */
  command: z.string(),
  /** The process's exit code (absent when it was killed by a signal or could not start). */
  exitCode: z.number().int().optional(),
  signal: z.string().optional(),
  /** Where it failed: the pre-check (the VM was not where the plan assumed) or the command. */
  failedAt: z.enum(["precheck", "command"]).optional(),
  ok: z.boolean(),
  /** The last few KiB of its stdout and stderr. */
  output: z.string(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

/** ExecutionSchema: who approved the plan and when `apply` started and ended it. */
export const ExecutionSchema = z.strictObject({
  approvedAt: z.string().optional(),
  approvedBy: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** The executor template of the latest apply. */
  executor: z.string().optional(),
});
export type Execution = z.infer<typeof ExecutionSchema>;
