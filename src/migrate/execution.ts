import type { Attempt, MoveState } from "../model/execution.js";
import type { MigrationPlan, Move } from "../model/migration.js";

/** ExecutionError: a plan's state forbids what was asked (apply an unapproved plan, approve a running one). */
export class ExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExecutionError";
  }
}

/** approvePlan records an operator's approval; only a recommended (or already approved) plan may be approved. */
export function approvePlan(plan: MigrationPlan, by: string, at: string): MigrationPlan {
  if (plan.state !== "recommended" && plan.state !== "approved")
    throw new ExecutionError(`the plan is ${plan.state}; only a recommended plan can be approved`);
  return { ...plan, state: "approved", execution: { ...plan.execution, approvedAt: at, approvedBy: by } };
}

/** checkRunnable: apply may run (or resume) the plan; says why not otherwise. */
export function checkRunnable(plan: MigrationPlan): void {
  if (plan.state === "recommended") throw new ExecutionError("the plan is only recommended: approve it first (vmplace approve PLAN, or apply --approve)");
}

export interface PendingWave {
  readonly wave: number;
  /** Its moves not done yet, in step order (failed and interrupted ones run again). */
  readonly moves: readonly Move[];
}

/** pendingWaves: the waves with a move still to do, in order. */
export function pendingWaves(plan: MigrationPlan): PendingWave[] {
  const out: PendingWave[] = [];
  for (const w of plan.waves) {
    const moves = plan.moves.filter((m) => m.wave === w.index && m.state !== "done");
    if (moves.length > 0) out.push({ wave: w.index, moves });
  }
  return out;
}

/** withMove: the plan with one move's state set (and an attempt appended). */
export function withMove(plan: MigrationPlan, step: number, state: MoveState, attempt?: Attempt): MigrationPlan {
  return {
    ...plan,
    moves: plan.moves.map((m) => (m.step === step ? { ...m, state, attempts: attempt ? [...m.attempts, attempt] : m.attempts } : m)),
  };
}

/** settledState: done when every move is, failed when any failed, else still in progress. */
export function settledState(plan: MigrationPlan): MigrationPlan["state"] {
  if (plan.moves.every((m) => m.state === "done")) return "done";
  return plan.moves.some((m) => m.state === "failed") ? "failed" : "in-progress";
}

export interface ApplyDeps {
  /** Runs one move's pre-check and command; never throws for a failed command (that is an attempt). */
  run(move: Move): Promise<Attempt>;
  /** Records the plan document (atomically); called after every state change, one at a time. */
  save(plan: MigrationPlan): Promise<void>;
  /** ISO-8601 wall clock. */
  now(): string;
  log(line: string): void;
  /** True once the operator asked to stop (no new move starts; running ones finish). */
  stopping(): boolean;
  /** Most moves of a wave run at once (the wave's own size by default). */
  maxParallel?: number;
  executor: string;
}

/**
 * runPlan applies a plan wave by wave: a wave's moves run together (each marked in progress, then
 * done or failed with its attempt, the document saved after each change), and a failure ends the
 * run once its wave has finished, since the next wave's safety assumed this one's result. Moves
 * already done are skipped, so running it again resumes. Returns the final document.
 */
export async function runPlan(start: MigrationPlan, d: ApplyDeps): Promise<MigrationPlan> {
  checkRunnable(start);
  let plan: MigrationPlan = { ...start, state: "in-progress", execution: { ...start.execution, startedAt: d.now(), finishedAt: undefined, executor: d.executor } };
  const update = async (next: MigrationPlan): Promise<void> => {
    plan = next;
    await d.save(plan);
  };
  await update(plan);
  for (const w of pendingWaves(plan)) {
    if (d.stopping()) break;
    d.log(`wave ${w.wave}: ${w.moves.length} migration(s)`);
    await inParallel(w.moves, d.maxParallel ?? w.moves.length, d.stopping, async (m) => {
      await update(withMove(plan, m.step, "in-progress"));
      d.log(`  step ${m.step}: ${m.vmId} ${m.from} -> ${m.to} ...`);
      const attempt = await d.run(m);
      await update(withMove(plan, m.step, attempt.ok ? "done" : "failed", attempt));
      d.log(`  step ${m.step}: ${attempt.ok ? "done" : `failed${attempt.failedAt === "precheck" ? " at its pre-check" : ""} (${exitText(attempt)})`}`);
    });
    if (plan.moves.some((m) => m.wave === w.wave && m.state !== "done")) break;
  }
  const state = settledState(plan);
  await update({ ...plan, state, execution: { ...plan.execution, finishedAt: state === "in-progress" ? undefined : d.now() } });
  return plan;
}

function exitText(a: Attempt): string {
  return a.signal ? `killed by ${a.signal}` : a.exitCode !== undefined ? `exit ${a.exitCode}` : "did not start";
}

/** inParallel runs `work` over items, at most `limit` at once, starting none once `stop()` says so. */
async function inParallel<T>(items: readonly T[], limit: number, stop: () => boolean, work: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !stop()) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
