import type { HostSimResult, Scenario } from "../../model/scenario.js";
import { simulateHost } from "../../sim/simulate-host.js";

/**
 * Tasks: the heavy work the API hands to worker threads, by name. Inputs and outputs cross a
 * thread boundary, so they must survive structured cloning (plain data, no classes).
 */
export interface Tasks {
  simulate: { input: Scenario; output: HostSimResult };
}
export type TaskKind = keyof Tasks;
export type TaskInput<K extends TaskKind> = Tasks[K]["input"];
export type TaskOutput<K extends TaskKind> = Tasks[K]["output"];

type Runners = { [K in TaskKind]: (input: TaskInput<K>) => TaskOutput<K> | Promise<TaskOutput<K>> };

/** TASK_RUNNERS: what a worker runs for each kind; also callable inline (tests, tiny inputs). */
export const TASK_RUNNERS: Runners = {
  simulate: (scenario) => simulateHost(scenario),
};

/** runTask dispatches one task by kind. */
export function runTask<K extends TaskKind>(kind: K, input: TaskInput<K>): Promise<TaskOutput<K>> {
  const run = TASK_RUNNERS[kind] as (input: TaskInput<K>) => TaskOutput<K> | Promise<TaskOutput<K>>;
  return Promise.resolve().then(() => run(input));
}
