import { parentPort } from "node:worker_threads";
import { runTask, type TaskKind } from "./tasks.js";

/** TaskMessage is what the pool posts: one task at a time per worker. */
export interface TaskMessage {
  id: number;
  kind: TaskKind;
  input: never;
}
/** TaskReply: a result, or the error as data so only that task fails, not the worker. */
export type TaskReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; error: string };

parentPort?.on("message", (msg: TaskMessage) => {
  runTask(msg.kind, msg.input).then(
    (output) => parentPort?.postMessage({ id: msg.id, ok: true, output } satisfies TaskReply),
    (e: unknown) => parentPort?.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies TaskReply),
  );
});
