import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TaskMessage, TaskReply } from "./task-worker.js";

/** TaskTimeoutError: the task outlived its budget; its worker was terminated and replaced. */
export class TaskTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`task exceeded its ${timeoutMs} ms budget`);
    this.name = "TaskTimeoutError";
  }
}

export interface TaskPoolStats {
  size: number;
  busy: number;
  queued: number;
  /** Workers replaced after a timeout or a crash since start. */
  restarts: number;
}

/** TaskMap: the tasks a pool's worker script runs, by name, with what each takes and returns. */
export type TaskMap<T> = { [K in keyof T]: { input: unknown; output: unknown } };

interface Job {
  id: number;
  kind: string;
  input: unknown;
  timeoutMs: number;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  job?: Job;
  /** Set once the worker ran: a worker that dies before that is not respawned (it would loop). */
  started: boolean;
}


/** defaultTaskPoolSize leaves one core to the event loop, which parses and scores inline. */
export function defaultTaskPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * TaskPool runs tasks in worker threads (the script at `url`, which answers with serveTasks), one
 * task per worker at a time, with a FIFO queue in front. Simulations and plans cannot be interrupted from outside, so a task that outlives its
 * budget costs its worker: the worker is terminated and a fresh one takes its place. The queue is
 * bounded by the API's concurrency limit, not here.
 */
export class TaskPool<T extends TaskMap<T>> {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private restarts = 0;
  private closed = false;
  private readonly online: Promise<void>[] = [];

  /** `data` reaches every worker as its workerData (taskWorkerData() there). */
  constructor(
    private readonly url: URL,
    size: number = defaultTaskPoolSize(),
    private readonly data: unknown = {},
  ) {
    // Under vitest the worker is the compiled twin: say so plainly instead of failing per request.
    if (!existsSync(fileURLToPath(url))) throw new Error(`worker script ${fileURLToPath(url)} is missing: run \`npm run build\` first`);
    for (let k = 0; k < size; k++) {
      const slot = this.spawn();
      this.online.push(
        new Promise((resolve, reject) => {
          slot.worker.once("online", () => resolve());
          slot.worker.once("error", reject);
        }),
      );
      this.slots.push(slot);
    }
  }

  /** ready resolves once every first-generation worker has started (for /readyz). */
  async ready(): Promise<void> {
    await Promise.all(this.online);
  }

  run<K extends keyof T & string>(kind: K, input: T[K]["input"], timeoutMs: number): Promise<T[K]["output"]> {
    if (this.closed) return Promise.reject(new Error("task pool is closed"));
    if (this.slots.length === 0) return Promise.reject(new Error("task pool has no worker (none could start)"));
    return new Promise<T[K]["output"]>((resolve, reject) => {
      const job: Job = { id: this.nextId++, kind, input, timeoutMs, resolve: resolve as (v: unknown) => void, reject };
      // The budget counts from submission: waiting in the queue spends it too.
      job.timer = setTimeout(() => this.expire(job), timeoutMs);
      this.queue.push(job);
      this.dispatch();
    });
  }

  stats(): TaskPoolStats {
    return { size: this.slots.length, busy: this.slots.filter((s) => s.job).length, queued: this.queue.length, restarts: this.restarts };
  }

  /** close rejects queued and running tasks and stops the workers (call once requests are done). */
  async close(): Promise<void> {
    this.closed = true;
    const closing = new Error("task pool is closing");
    for (const job of this.queue.splice(0)) this.fail(job, closing);
    for (const slot of this.slots) if (slot.job) this.fail(slot.job, closing);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.url, { workerData: this.data }), started: false };
    slot.worker.once("online", () => (slot.started = true));
    slot.worker.on("message", (m: TaskReply) => this.onReply(slot, m));
    slot.worker.on("error", (e: Error) => this.replace(slot, new Error(`worker failed: ${e.message}`)));
    slot.worker.on("exit", () => { if (!this.closed && this.slots.includes(slot)) this.replace(slot, new Error("worker exited")); });
    // Idle workers must not keep a CLI process alive after the server closed.
    slot.worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, kind: job.kind, input: job.input as never } satisfies TaskMessage);
    }
  }

  private onReply(slot: Slot, m: TaskReply): void {
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    slot.job = undefined;
    clearTimeout(job.timer);
    if (m.ok) job.resolve(m.output);
    else job.reject(new Error(`${job.kind} task failed: ${m.error}`));
    this.dispatch();
  }

  private expire(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return job.reject(new TaskTimeoutError(job.timeoutMs));
    }
    const slot = this.slots.find((s) => s.job === job);
    if (slot) this.replace(slot, new TaskTimeoutError(job.timeoutMs));
  }

  /** replace fails the slot's task, terminates its worker and starts a fresh one in its place. */
  private replace(slot: Slot, why: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    if (slot.job) this.fail(slot.job, why);
    slot.job = undefined;
    void slot.worker.terminate();
    if (!slot.started) {
      this.slots.splice(index, 1);
      for (const job of this.slots.length === 0 ? this.queue.splice(0) : []) this.fail(job, why);
      return;
    }
    this.restarts++;
    this.slots[index] = this.spawn();
    this.dispatch();
  }

  private fail(job: Job, why: Error): void {
    clearTimeout(job.timer);
    job.reject(why);
  }
}
