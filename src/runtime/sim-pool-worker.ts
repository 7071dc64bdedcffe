import { parentPort, workerData } from "node:worker_threads";
import type { SimJob } from "../sim/runner.js";
import { simulateHost } from "../sim/simulate-host.js";

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// The warm-up (sim-pool.ts PoolOptions) runs before the first job: jobs posted meanwhile wait in
// the port. Its results are dropped.
const warmup = (workerData as { warmup?: SimJob[] } | null)?.warmup ?? [];
if (warmup.length > 0) {
  try {
    for (const job of warmup) simulateHost(job.scenario, job.options);
    parentPort?.postMessage({ warmedUp: true });
  } catch (e) {
    parentPort?.postMessage({ warmedUp: true, error: message(e) });
  }
}

// One simulation per message; errors go back as data so the pool can reject that job only.
parentPort?.on("message", (msg: { id: number; job: SimJob }) => {
  try {
    const result = simulateHost(msg.job.scenario, msg.job.options);
    parentPort?.postMessage({ id: msg.id, result });
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: message(e) });
  }
});
