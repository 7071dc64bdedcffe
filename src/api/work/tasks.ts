import type { Advice, AdviceSettings } from "../../model/advice.js";
import type { Cluster } from "../../model/cluster.js";
import type { MigrationOptions, MigrationPlan } from "../../model/migration.js";
import type { RobustnessReport } from "../../model/objectives.js";
import type { Plan } from "../../model/plan.js";
import type { RobustnessOptions } from "../plan/requests.js";
import type { HostSimResult, Scenario } from "../../model/scenario.js";
import { loadPredictor } from "../../io/calibration.js";
import type { SimRunner } from "../../sim/runner.js";
import { createSimRunner } from "../../runtime/sim-backend.js";
import type { ExactSolver } from "../../placement/solver.js";
import { taskWorkerData } from "../../runtime/task-worker.js";
import { runOffloaded, type OffloadInput, type OffloadOutput } from "./offload.js";

/** PlanTaskOptions: the request's plan options, resolved against the request's time budget. */
export interface PlanTaskOptions {
  solver: "auto" | "milp" | "heuristic";
  seed?: number;
  timeBudgetMs: number;
  iterations?: number;
  explain: boolean;
  /** Re-simulate every host of the plan for this long (ms of simulated time), or skip. */
  validation?: { durationMs: number; warmupMs: number; maxRounds: number };
}

/**
 * Tasks: the heavy work the API hands to worker threads, by name. Inputs and outputs cross a
 * thread boundary, so they must survive structured cloning (plain data, no classes).
 */
export interface Tasks {
  simulate: { input: Scenario; output: HostSimResult };
  plan: { input: { cluster: Cluster; options: PlanTaskOptions }; output: Plan };
  migrate: { input: { cluster: Cluster; options: MigrationOptions }; output: MigrationPlan };
  advise: { input: { cluster: Cluster; settings: AdviceSettings }; output: Advice };
  robustness: { input: { cluster: Cluster; options: RobustnessOptions }; output: RobustnessReport };
  /** A large request body: parsed, validated and answered here, off the event loop. */
  request: { input: OffloadInput; output: OffloadOutput };
}
export type TaskKind = keyof Tasks;
export type TaskInput<K extends TaskKind> = Tasks[K]["input"];
export type TaskOutput<K extends TaskKind> = Tasks[K]["output"];

/** TaskWorkerData: what every worker is started with (the calibration table the server uses). */
export interface TaskWorkerData {
  calibration?: string;
  /** The Redis queue the server simulates on (`serve --redis`), absent for worker threads. */
  redis?: string;
}

let lnsSolver: ExactSolver | undefined;
let sims: Promise<SimRunner> | undefined;

const predictor = () => loadPredictor(taskWorkerData<TaskWorkerData>()?.calibration);
/** This thread's simulations: inline (workers: 0), or on the server's Redis queue; kept across tasks. */
const workerSims = (): Promise<SimRunner> => (sims ??= createSimRunner({ redis: taskWorkerData<TaskWorkerData>()?.redis, workers: 0 }));

/**
 * runPlan is the CLI's plan pipeline with the worker as its edge: HiGHS in its own threads as the
 * CLI runs it, but validation simulations inline, because this thread is already off the event
 * loop and a second pool per request would oversubscribe the cores (or on the Redis queue, with
 * `serve --redis`).
 */
async function runPlan({ cluster, options: o }: Tasks["plan"]["input"]): Promise<Plan> {
  // Loaded on first use: a worker that only simulates starts (and restarts) faster without them.
  const [{ planCluster }, { createHighsSolver }, { createLnsSolver, resolveHostsExactly }, { threadSolverWorkers }] = await Promise.all([
    import("../../placement/plan.js"),
    import("../../placement/solvers/milp.js"),
    import("../../placement/solvers/milp-lns.js"),
    import("../../runtime/solver-workers.js"),
  ]);
  const exact = o.solver === "heuristic" ? undefined : createHighsSolver(threadSolverWorkers);
  // One warm LNS worker per task worker, kept across plans: LNS makes many small solves.
  const lns = exact ? (lnsSolver ??= createLnsSolver(threadSolverWorkers)) : undefined;
  try {
    return await planCluster(cluster, predictor(), {
      solver: o.solver,
      seed: o.seed,
      timeBudgetMs: o.timeBudgetMs,
      iterations: o.iterations,
      now: o.iterations === undefined ? () => performance.now() : undefined,
      exact,
      lns: lns ? (p, a, hosts, ms) => resolveHostsExactly(p, a, hosts, ms, { solver: lns }) : undefined,
      validation: o.validation ? { runner: await workerSims(), ...o.validation } : undefined,
      explain: o.explain,
    });
  } finally {
    await exact?.close();
  }
}

type Runners = { [K in TaskKind]: (input: TaskInput<K>) => TaskOutput<K> | Promise<TaskOutput<K>> };

/** TASK_RUNNERS: what a worker runs for each kind. */
export const TASK_RUNNERS: Runners = {
  // Inline this is simulateHost; with `serve --redis` an offloaded (large) body goes to the queue too.
  simulate: async (scenario) => (await (await workerSims()).runAll([{ scenario }]))[0],
  plan: runPlan,
  migrate: async ({ cluster, options }) => {
    const { planMigrations } = await import("../../migrate/plan-migrations.js");
    return planMigrations(cluster, predictor(), options, { now: () => performance.now() });
  },
  advise: async ({ cluster, settings }) => {
    const { adviseCluster } = await import("../../advise/advise.js");
    return adviseCluster(cluster, settings, { predictor: predictor(), runner: await workerSims() });
  },
  robustness: async ({ cluster, options }) => {
    const { robustnessReport } = await import("../plan/robustness.js");
    return robustnessReport(cluster, options, predictor());
  },
  request: (input) => runOffloaded(input, predictor(), TASK_RUNNERS),
};

/** runTask dispatches one task by kind. */
export function runTask<K extends TaskKind>(kind: K, input: TaskInput<K>): Promise<TaskOutput<K>> {
  const run = TASK_RUNNERS[kind] as (input: TaskInput<K>) => TaskOutput<K> | Promise<TaskOutput<K>>;
  return Promise.resolve().then(() => run(input));
}
