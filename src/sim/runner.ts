import type { HostSimResult, Scenario } from "../model/scenario.js";
import type { SchedulerParams } from "../model/scheduler.js";
import { simulateHost } from "./simulate-host.js";

/** SimJob is one host simulation; everything in it must survive structured cloning. */
export interface SimJob {
  scenario: Scenario;
  options?: { scheduler?: SchedulerParams; traceStartSec?: number; requestTail?: boolean };
}

/**
 * SimRunner runs many independent host simulations; results come back in job order. Backends
 * (worker threads, a job queue) live in src/runtime; the layers that validate by simulation
 * only see this interface.
 */
export interface SimRunner {
  runAll(jobs: readonly SimJob[], onDone?: (done: number, total: number) => void): Promise<HostSimResult[]>;
  close(): Promise<void>;
}

/** inlineRunner runs simulations on the calling thread (tests, tiny batches, one-core machines). */
export const inlineRunner: SimRunner = {
  async runAll(jobs, onDone) {
    const out: HostSimResult[] = [];
    for (const j of jobs) {
      out.push(simulateHost(j.scenario, j.options));
      onDone?.(out.length, jobs.length);
    }
    return out;
  },
  async close() {},
};
