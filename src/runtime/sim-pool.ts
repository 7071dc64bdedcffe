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
  /** Set when the thread finished its warm-up (at once without one). */
  warm: boolean;
}

type Reply = { id: number; result?: HostSimResult; error?: string } | { warmedUp: true; error?: string };

export interface PoolOptions {
  /**
   * Simulations every thread runs before its first job, results discarded (sim-warmup.ts): V8
   * compiles the simulator per thread, and this moves that cost ahead of the real work. A job
   * queued meanwhile waits for its thread's warm-up.
   */
  warmup?: readonly SimJob[];
}

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
  private warmError?: Error;
  private readonly onWarm: (() => void)[] = [];

  constructor(
    readonly size: number = defaultPoolSize(),
    private readonly options: PoolOptions = {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /**
   * warmedUp resolves when every thread has finished its warm-up (at once without one); it
   * rejects when a warm-up simulation failed (a broken build).
   */
  warmedUp(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.warmError) reject(this.warmError);
        else if (this.closed) reject(new Error("simulation pool is closed"));
        else if (this.slots.every((s) => s.warm)) resolve();
        else this.onWarm.push(check);
      };
      check();
    });
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
    for (const f of this.onWarm.splice(0)) f();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const warmup = this.options.warmup ?? [];
    const worker = new Worker(compiledWorkerUrl("sim-pool-worker.js", import.meta.url), { workerData: { warmup } });
    const slot: Slot = { worker, started: false, warm: warmup.length === 0 };
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
    if ("warmedUp" in m) return this.onWarmedUp(slot, m.error);
    const task = slot.task;
    if (!task || task.id !== m.id) return;
    slot.task = undefined;
    if (m.error !== undefined) task.reject(failure(task.job, m.error));
    else task.resolve(m.result as HostSimResult);
    this.dispatch();
  }

  private onWarmedUp(slot: Slot, error?: string): void {
    slot.warm = true;
    if (error !== undefined) this.warmError ??= new Error(`a warm-up simulation failed: ${error}`);
    for (const f of this.onWarm.splice(0)) f();
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
    for (const f of this.onWarm.splice(0)) f(); // a thread that never started no longer holds up warmedUp
    if (this.slots.length === 0) for (const t of this.queue.splice(0)) t.reject(failure(t.job, why));
    this.dispatch();
  }
}

function failure(job: SimJob, why: string): Error {
  return new Error(`simulation of host ${job.scenario.host.id} failed: ${why}`);
}
