import { parentPort, workerData } from "node:worker_threads";

/** TaskMessage is what the pool posts: one task at a time per worker. */
export interface TaskMessage {
  id: number;
  kind: string;
  input: never;
}
/** TaskReply: a result, or the error as data so only that task fails, not the worker. */
export type TaskReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; error: string };

/** serveTasks makes this worker thread answer a TaskPool's messages with `run`. */
export function serveTasks(run: (kind: string, input: never) => Promise<unknown>): void {
  parentPort?.on("message", (msg: TaskMessage) => {
    run(msg.kind, msg.input).then(
      (output) => parentPort?.postMessage({ id: msg.id, ok: true, output } satisfies TaskReply),
      (e: unknown) => parentPort?.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies TaskReply),
    );
  });
}

/** taskWorkerData is the `data` the TaskPool started this worker with (undefined on the main thread). */
export function taskWorkerData<D>(): D | undefined {
  return (workerData as D | null) ?? undefined;
}
