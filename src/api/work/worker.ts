import { serveTasks } from "../../runtime/task-worker.js";
import { runTask, type TaskKind } from "./tasks.js";

// The API's worker script: the runtime's task loop around the API's tasks.
serveTasks((kind, input) => runTask(kind as TaskKind, input));
