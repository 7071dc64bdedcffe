import { parentPort } from "node:worker_threads";
import type { SimJob } from "../sim/runner.js";
import { simulateHost } from "../sim/simulate-host.js";

// One simulation per message; errors go back as data so the pool can reject that job only.
parentPort?.on("message", (msg: { id: number; job: SimJob }) => {
  try {
    const result = simulateHost(msg.job.scenario, msg.job.options);
    parentPort?.postMessage({ id: msg.id, result });
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
