import { hostname } from "node:os";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { probeRedis, redisClient } from "./redis-connection.js";
import { redactUrl } from "./redis-url.js";
import { encodeResult } from "./sim-codec.js";
import { WorkerPool } from "./sim-pool.js";
import { JOB_POLICY, LOCK_DURATION_MS, QUEUE_NAME, type SimJobData, type SimJobReturn } from "./sim-queue.js";
import { simVersion } from "./sim-version.js";
import { warmupJobs } from "./sim-warmup.js";

export interface SimWorkerOptions {
  url: string;
  /** Jobs at once; each runs on its own thread of the process's pool. */
  concurrency: number;
  lockDurationMs?: number;
  log(line: string): void;
  /** A progress line this often while jobs come in (ms). */
  reportEveryMs?: number;
  /** Warm every thread up before taking jobs (sim-warmup.ts); default true. */
  warmup?: boolean;
}

export interface SimWorkerCounts {
  done: number;
  failed: number;
  active: number;
}

export interface SimWorkerHandle {
  readonly counts: SimWorkerCounts;
  /** stop takes no new job, lets the running ones finish and report, then disconnects. */
  stop(): Promise<void>;
}

/**
 * startSimWorker serves the simulation queue until stopped: a BullMQ worker whose job slots hand
 * each job to a thread of a WorkerPool rather than simulate on the main thread. Measured (see
 * docs/scaling.md): trivial jobs went faster through a thread (1.9 vs 4.3 ms per job), real ones
 * within the noise, and the free main thread keeps lock renewals, signals and progress on time.
 */
export async function startSimWorker(o: SimWorkerOptions): Promise<SimWorkerHandle> {
  await probeRedis(o.url);
  const version = simVersion();
  const name = `${hostname()}:${process.pid}`;
  const { pool, warmth } = await warmPool(o);
  const counts: SimWorkerCounts = { done: 0, failed: 0, active: 0 };
  const lockDuration = o.lockDurationMs ?? LOCK_DURATION_MS;
  const connectionError = logOnce(o.log);
  const client = redisClient(o.url, connectionError);
  const worker = new Worker<SimJobData, SimJobReturn>(QUEUE_NAME, (job) => runJob(job, pool, version, name, counts), {
    connection: client,
    concurrency: o.concurrency,
    name,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: 1,
  });
  worker.on("failed", (job, e) => {
    const host = job?.data?.job?.scenario?.host?.id ?? "?";
    o.log(`worker: job ${job?.id} (host ${host}) failed, attempt ${job?.attemptsMade ?? "?"} of ${JOB_POLICY.attempts}: ${e.message}`);
  });
  worker.on("error", connectionError);
  await worker.waitUntilReady();
  o.log(`worker: serving queue ${QUEUE_NAME} at ${redactUrl(o.url)}, ${o.concurrency} job(s) at once, simulator build ${version}, lock ${lockDuration / 1000} s, ${warmth}`);
  const report = reporter(counts, o.log);
  const ticker = setInterval(report, o.reportEveryMs ?? 10_000);
  return {
    counts,
    async stop() {
      clearInterval(ticker);
      if (counts.active > 0) o.log(`worker: stopping after the ${counts.active} running job(s)`);
      await worker.close();
      await pool.close();
      client.disconnect(); // BullMQ leaves a connection it was given open
      report();
      o.log(`worker: stopped after ${counts.done} job(s), ${counts.failed} failed`);
    },
  };
}

/**
 * warmPool starts the threads and, unless told not to, waits until each has run the warm-up set,
 * so the first real jobs run on compiled code (measured in docs/scaling.md). The queue is not
 * touched meanwhile: no job waits behind a warm-up.
 */
async function warmPool(o: SimWorkerOptions): Promise<{ pool: WorkerPool; warmth: string }> {
  if (o.warmup === false) return { pool: new WorkerPool(o.concurrency), warmth: "no warm-up (--no-warmup)" };
  const jobs = warmupJobs();
  o.log(`worker: warming up ${o.concurrency} thread(s), ${jobs.length} short simulations each, before taking jobs`);
  const start = performance.now();
  const pool = new WorkerPool(o.concurrency, { warmup: jobs });
  try {
    await pool.warmedUp();
  } catch (e) {
    await pool.close();
    throw e;
  }
  return { pool, warmth: `threads warmed up in ${((performance.now() - start) / 1000).toFixed(1)} s` };
}

async function runJob(job: Job<SimJobData, SimJobReturn>, pool: WorkerPool, version: string, name: string, counts: SimWorkerCounts): Promise<SimJobReturn> {
  const d = job.data;
  if (typeof d?.v !== "string" || typeof d.job?.scenario?.host?.id !== "string" || !Array.isArray(d.job.scenario.vms))
    throw new UnrecoverableError("malformed job: not a vmplace simulation job");
  // Another build may simulate differently; a worker of the right build may take the retry.
  if (d.v !== version) throw new Error(`this worker runs simulator build ${version}, the job needs build ${d.v}: run the same vmplace build on every machine`);
  const queuedMs = Date.now() - job.timestamp;
  const start = performance.now();
  counts.active += 1;
  try {
    const result = await pool.run(d.job);
    counts.done += 1;
    return { r: encodeResult(result), queuedMs, runMs: performance.now() - start, worker: name };
  } catch (e) {
    counts.failed += 1;
    throw e;
  } finally {
    counts.active -= 1;
  }
}

/** reporter prints a progress line when something changed since the last one. */
function reporter(counts: SimWorkerCounts, log: (line: string) => void): () => void {
  let last = { done: 0, failed: 0, at: Date.now() };
  return () => {
    if (counts.done === last.done && counts.failed === last.failed) return;
    const now = Date.now();
    const rate = (counts.done - last.done) / Math.max(0.001, (now - last.at) / 1000);
    log(`worker: ${counts.done} job(s) done, ${counts.failed} failed, ${counts.active} running, ${rate.toFixed(1)} jobs/s since the last line`);
    last = { done: counts.done, failed: counts.failed, at: now };
  };
}

/** logOnce logs a connection error when it changes, not on every reconnect attempt. */
function logOnce(log: (line: string) => void): (e: Error) => void {
  let previous = "";
  return (e) => {
    if (e.message === previous) return;
    previous = e.message;
    log(`worker: Redis: ${e.message}`);
  };
}
