import { availableParallelism, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import type { OversleepSummary, ProbeParams } from "../model/probe.js";
import { readCpuTimes, stealPercent } from "../io/proc-stat.js";
import { compiledWorkerUrl } from "./worker-url.js";
import type { ProbeJob, ProbeMessage } from "./probe-worker.js";

/** RealRun is what one run of the probe on this instance measured. */
export interface RealRun {
  oversleep: OversleepSummary;
  elapsedMs: number;
  /** False when Ctrl-C (SIGINT) cut the run short. */
  complete: boolean;
  overhead: { cpuPercentOfOneCpu: number; stealPercent: number | null; loadAverage1m: number; cpus: number };
}

/** RealProgress is called a few times a second with how far the run has got. */
export type RealProgress = (fraction: number, overThreshold: number) => void;

const PROGRESS_EVERY_MS = 200;

/**
 * runRealProbe runs the probe loop in a worker thread and measures what it cost: the process's
 * CPU time (both threads) per wall second over the run, and the hypervisor's steal from
 * /proc/stat. The first Ctrl-C stops the loop and the run reports what it measured so far.
 */
export async function runRealProbe(p: ProbeParams, onProgress: RealProgress): Promise<RealRun> {
  const control = new Int32Array(new SharedArrayBuffer(4));
  const job: ProbeJob = { ...p, progressEveryMs: PROGRESS_EVERY_MS, control };
  const stop = (): void => {
    Atomics.store(control, 0, 1);
    Atomics.notify(control, 0);
  };
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const stat0 = readCpuTimes();
  const worker = new Worker(compiledWorkerUrl("probe-worker.js", import.meta.url), { workerData: job });
  process.once("SIGINT", stop);
  try {
    const done = await new Promise<Extract<ProbeMessage, { kind: "done" }>>((resolve, reject) => {
      worker.on("message", (m: ProbeMessage) => {
        if (m.kind === "done") resolve(m);
        else onProgress(progressOf(p, m.elapsedMs, m.iterations), m.overThreshold);
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`probe worker exited (code ${code}) before reporting`)));
    });
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    return {
      oversleep: done.oversleep,
      elapsedMs: done.elapsedMs,
      complete: !done.stopped,
      overhead: {
        cpuPercentOfOneCpu: wallMs > 0 ? (cpu.user + cpu.system) / (wallMs * 10) : 0,
        stealPercent: stealPercent(stat0, readCpuTimes()),
        loadAverage1m: loadavg()[0],
        cpus: availableParallelism(),
      },
    };
  } finally {
    process.off("SIGINT", stop);
    await worker.terminate();
  }
}

function progressOf(p: ProbeParams, elapsedMs: number, iterations: number): number {
  const byTime = elapsedMs / p.durationMs;
  return p.iterations === null ? byTime : Math.max(byTime, iterations / p.iterations);
}
