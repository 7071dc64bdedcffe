import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { HostSimResult } from "../model/scenario.js";
import type { SimJob, SimRunner } from "../sim/runner.js";
import { compiledWorkerUrl } from "./worker-url.js";

/** defaultPoolSize leaves nothing idle: simulations are CPU-bound and independent. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

interface Task {
  id: number;
  job: SimJob;
  resolve(r: HostSimResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  /** Set once the thread ran: one that dies before that is not respawned (it would loop). */
  started: boolean;
}

type Reply = { id: number; result?: HostSimResult; error?: string };

/**
 * WorkerPool runs host simulations in worker threads, one job per worker at a time, from one FIFO
 * queue: runAll and run may be called concurrently (the API's requests, a queue worker's slots).
 * The result of a job depends only on the job (simulateHost is pure), so the pool's scheduling
 * order never changes the output. A thread that dies fails its job and is replaced.
 */
export class WorkerPool implements SimRunner {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number = defaultPoolSize()) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** run simulates one job; the error names the host. */
  run(job: SimJob): Promise<HostSimResult> {
    if (this.closed) return Promise.reject(new Error("simulation pool is closed"));
    if (this.slots.length === 0) return Promise.reject(new Error("simulation pool has no thread (none could start)"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  async runAll(jobs: readonly SimJob[], onDone?: (done: number, total: number) => void): Promise<HostSimResult[]> {
    let done = 0;
    return Promise.all(
      jobs.map(async (job) => {
        const r = await this.run(job);
        done += 1; // not inside onDone?.(...): an absent callback would skip the increment
        onDone?.(done, jobs.length);
        return r;
      }),
    );
  }

  /** busy: threads running a job now. */
  busy(): number {
    return this.slots.filter((s) => s.task).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const closing = new Error("simulation pool is closing");
    for (const t of this.queue.splice(0)) t.reject(closing);
    for (const s of this.slots) s.task?.reject(closing);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(compiledWorkerUrl("sim-pool-worker.js", import.meta.url)), started: false };
    slot.worker.once("online", () => (slot.started = true));
    slot.worker.on("message", (m: Reply) => this.onReply(slot, m));
    slot.worker.on("error", (e: Error) => this.replace(slot, e.message));
    slot.worker.on("exit", (code) => this.replace(slot, `worker thread exited with code ${code}`));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      slot.task = this.queue.shift()!;
      slot.worker.postMessage({ id: slot.task.id, job: slot.task.job });
    }
  }

  private onReply(slot: Slot, m: Reply): void {
    const task = slot.task;
    if (!task || task.id !== m.id) return;
    slot.task = undefined;
    if (m.error !== undefined) task.reject(failure(task.job, m.error));
    else task.resolve(m.result as HostSimResult);
    this.dispatch();
  }

  /** replace fails the dead thread's job and starts a fresh thread in its place. */
  private replace(slot: Slot, why: string): void {
    const index = this.slots.indexOf(slot);
    if (this.closed || index < 0) return;
    slot.task?.reject(failure(slot.task.job, why));
    slot.task = undefined;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (slot.started) this.slots[index] = this.spawn();
    else this.slots.splice(index, 1);
    if (this.slots.length === 0) for (const t of this.queue.splice(0)) t.reject(failure(t.job, why));
    this.dispatch();
  }
}

function failure(job: SimJob, why: string): Error {
  return new Error(`simulation of host ${job.scenario.host.id} failed: ${why}`);
}
