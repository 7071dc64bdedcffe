import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { HostSimResult } from "../model/scenario.js";
import type { SimJob, SimRunner } from "../sim/runner.js";
import { compiledWorkerUrl } from "./worker-url.js";

/** defaultPoolSize leaves nothing idle: simulations are CPU-bound and independent. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

/**
 * WorkerPool runs host simulations in worker threads, one job per worker at a time. The result of
 * a job depends only on the job (simulateHost is pure), so the pool's scheduling order never
 * changes the output.
 */
export class WorkerPool implements SimRunner {
  private readonly workers: Worker[] = [];

  constructor(readonly size: number = defaultPoolSize()) {
    for (let i = 0; i < size; i++) this.workers.push(new Worker(compiledWorkerUrl("sim-pool-worker.js", import.meta.url)));
  }

  runAll(jobs: readonly SimJob[], onDone?: (done: number, total: number) => void): Promise<HostSimResult[]> {
    const results: HostSimResult[] = new Array(jobs.length);
    let next = 0;
    let done = 0;
    return new Promise((resolve, reject) => {
      if (jobs.length === 0) return resolve(results);
      const feed = (w: Worker): void => {
        if (next >= jobs.length) return;
        const id = next++;
        const onMsg = (m: { id: number; result?: HostSimResult; error?: string }) => {
          w.off("error", onErr);
          if (m.error !== undefined) return reject(new Error(`simulation of host ${jobs[id].scenario.host.id} failed: ${m.error}`));
          results[id] = m.result as HostSimResult;
          done += 1; // not inside onDone?.(...): an absent callback would skip the increment
          onDone?.(done, jobs.length);
          if (done === jobs.length) resolve(results);
          else feed(w);
        };
        const onErr = (e: Error) => reject(e);
        w.once("message", onMsg);
        w.once("error", onErr);
        w.postMessage({ id, job: jobs[id] });
      };
      for (const w of this.workers) feed(w);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
