import { parentPort, workerData } from "node:worker_threads";
import type { OversleepSummary } from "../model/probe.js";
import { OversleepRecorder } from "../sim/oversleep.js";

/** ProbeJob is what the worker is asked to do; `control` is shared with the main thread. */
export interface ProbeJob {
  sleepUs: number;
  thresholdMs: number;
  durationMs: number;
  iterations: number | null;
  progressEveryMs: number;
  /** Int32Array over a SharedArrayBuffer: [0] = 1 asks the loop to stop (Ctrl-C). */
  control: Int32Array;
}

/** ProbeMessage is what the worker posts: progress now and then, the summary at the end. */
export type ProbeMessage =
  | { kind: "progress"; iterations: number; overThreshold: number; elapsedMs: number }
  | { kind: "done"; oversleep: OversleepSummary; elapsedMs: number; stopped: boolean };

/**
 * runLoop is the probe: sleep S with Atomics.wait (a futex wait with a timeout, precise to the
 * kernel's timer slack, where setTimeout would add the event loop's own delays and a 1 ms floor),
 * then count how much longer than S it took. It runs alone on this thread so nothing of the
 * process but the instance's scheduling can delay a wake-up. A stop request wakes the wait at once.
 */
function runLoop(job: ProbeJob): void {
  const rec = new OversleepRecorder(job.thresholdMs);
  const waitMs = job.sleepUs / 1000;
  const start = performance.now();
  const end = start + job.durationMs;
  const maxIterations = job.iterations ?? Infinity;
  let nextReport = start + job.progressEveryMs;
  let t = start;
  while (t < end && rec.iterations < maxIterations && Atomics.load(job.control, 0) === 0) {
    const before = t;
    Atomics.wait(job.control, 0, 0, waitMs);
    t = performance.now();
    if (Atomics.load(job.control, 0) !== 0) break; // woken to stop: this sleep was cut short
    rec.record((t - before) * 1000 - job.sleepUs);
    if (t >= nextReport) {
      parentPort?.postMessage({ kind: "progress", iterations: rec.iterations, overThreshold: rec.overThreshold, elapsedMs: t - start } satisfies ProbeMessage);
      nextReport = t + job.progressEveryMs;
    }
  }
  const stopped = Atomics.load(job.control, 0) !== 0;
  parentPort?.postMessage({ kind: "done", oversleep: rec.summary(), elapsedMs: t - start, stopped } satisfies ProbeMessage);
}

if (parentPort && workerData) runLoop(workerData as ProbeJob);
