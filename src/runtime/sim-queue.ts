import { createHash } from "node:crypto";
import type { SimJob } from "../sim/runner.js";

/** The BullMQ queue every submitter and `vmplace worker` share (keys bull:vmplace-sim:*). */
export const QUEUE_NAME = "vmplace-sim";

/**
 * SimJobData is one queue job: one host's scenario (the host, its VMs, duration and seed) and
 * the simulator version it needs, never the cluster around it. The seed travels in the scenario,
 * so the result depends on nothing but the payload: not the worker, not the order.
 */
export interface SimJobData {
  /** simVersion() of the submitter's build. */
  v: string;
  job: SimJob;
}

/** SimJobReturn is what a worker stores for a finished job. */
export interface SimJobReturn {
  /** The HostSimResult, encoded losslessly (sim-codec.ts). */
  r: string;
  /** From submission to a worker taking the job, in ms (the submitter's and the worker's clocks). */
  queuedMs: number;
  /** From handing the job to a thread to its result, in ms (fractional: trivial jobs take less than 1). */
  runMs: number;
  /** The worker that ran it (host:pid). */
  worker: string;
}

/**
 * jobIdFor derives the job id from the payload: the same host, VMs, seed and simulator version
 * always map to the same id, so a re-submitted run finds the jobs it already has in Redis (BullMQ
 * adds nothing for an id it holds) and reuses finished results. Key order in the payload is the
 * schema's, the same on every run; a different order would only cost a cache miss.
 */
export function jobIdFor(data: SimJobData): string {
  return `sim-${createHash("sha256").update(JSON.stringify(data)).digest("hex").slice(0, 40)}`;
}

/** QueueStats: the queue as /metrics shows it. */
export interface QueueStats {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Worker connections on the queue (each `vmplace worker` process holds one). */
  workers: number;
}

/**
 * Lock defaults for production. A job's lock is renewed every half lockDuration by the worker's
 * main thread, which never simulates (threads do), so the lock holds however long a job runs.
 * A worker that dies (SIGKILL, lost machine) leaves its jobs locked until the lock expires; the
 * next stalled check of any live worker then puts them back in the queue. Recovery takes at most
 * lockDuration + stalledInterval (60 s here); shorter locks recover faster but renew more often.
 */
export const LOCK_DURATION_MS = 30_000;

/** Job retention and retries; the reasons are in docs/scaling.md. */
export const JOB_POLICY = {
  /** Tries per job (a thrown error or a worker that died mid-job each use one). */
  attempts: 3,
  /** Wait before a retry, in ms: a worker that just crashed gets a moment to come back. */
  backoffMs: 500,
  /**
   * Finished jobs are removed once the submitter has collected them; these are the safety net for
   * a submitter that died first (BullMQ evicts them lazily, when a later job finishes): long
   * enough that re-running the same command reuses them, short enough not to fill Redis.
   */
  keepCompletedSec: 3600,
  keepFailedSec: 24 * 3600,
} as const;
