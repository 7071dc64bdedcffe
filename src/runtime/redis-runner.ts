import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { HostSimResult } from "../model/scenario.js";
import type { SimJob } from "../sim/runner.js";
import { Batch, SimJobFailedError } from "./redis-batch.js";
import type { QueueBackend } from "./sim-backend.js";
import { probeRedis, redisClient } from "./redis-connection.js";
import { redactUrl, RedisUnreachableError } from "./redis-url.js";
import { decodeResult } from "./sim-codec.js";
import { JOB_POLICY, jobIdFor, QUEUE_NAME, type QueueStats, type SimJobData, type SimJobReturn } from "./sim-queue.js";
import { simVersion } from "./sim-version.js";

export { SimJobFailedError } from "./redis-batch.js";

export interface RedisRunnerHooks {
  /** Hears every job that finishes on the queue, whoever submitted it (for /metrics). */
  onFinished?(ret: SimJobReturn): void;
  /** Hears a lost connection while jobs are out (once per outage). */
  log?(line: string): void;
}

// With no event for our jobs this long, ask Redis where each of them is (a safety net for a lost
// event or a job another submitter removed); past LOST_AFTER_MS without Redis, give up.
const RECONCILE_MS = 3000;
const LOST_AFTER_MS = 60_000;
const ADD_CHUNK = 500;
const CHECK_CHUNK = 50;

/**
 * RedisRunner sends simulation jobs to the BullMQ queue that `vmplace worker` processes serve.
 * Results come back in job order, byte-identical to a local run (each job carries its seed; the
 * result travels losslessly). Job ids derive from the payload, so re-submitting reuses what Redis
 * still holds, and collected jobs are removed. Safe for concurrent runAll calls (the API's).
 */
export class RedisRunner implements QueueBackend {
  private readonly waiters = new Map<string, Set<Batch>>();
  private readonly timer: NodeJS.Timeout;
  private lastEventAt = Date.now();
  private downSince: number | undefined;
  private lastError = "";
  private reconciling = false;

  private constructor(
    readonly url: string,
    private readonly client: Redis,
    private readonly eventsClient: Redis,
    private readonly queue: Queue<SimJobData, SimJobReturn>,
    private readonly events: QueueEvents,
    private readonly hooks: RedisRunnerHooks,
  ) {
    events.on("completed", ({ jobId, returnvalue }) => this.onCompleted(jobId, returnvalue as unknown as SimJobReturn));
    events.on("failed", ({ jobId, failedReason }) => this.onEvent(jobId, (b) => void this.failed(b, jobId, failedReason)));
    // Someone else's copy of one of our ids (an earlier run) or one removed under us: look it up.
    events.on("duplicated", ({ jobId }) => this.onEvent(jobId, () => void this.check(jobId)));
    events.on("removed", ({ jobId }) => this.onEvent(jobId, () => void this.check(jobId)));
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_MS);
    this.timer.unref();
  }

  /** connect reaches Redis within a few seconds or throws RedisUnreachableError (exit 2). */
  static async connect(url: string, hooks: RedisRunnerHooks = {}): Promise<RedisRunner> {
    await probeRedis(url);
    let runner: RedisRunner | undefined;
    // Connection errors repeat on every reconnect attempt: keep the last, report it once (watchdog).
    const remember = (e: Error): void => void (runner && (runner.lastError = e.message));
    const client = redisClient(url, remember);
    const queue = new Queue<SimJobData, SimJobReturn>(QUEUE_NAME, { connection: client });
    // Read the event stream from its current end, so no event of a job added from now on is missed.
    const last = await client.xrevrange(queue.keys.events, "+", "-", "COUNT", 1);
    const eventsClient = redisClient(url, remember);
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsClient, lastEventId: last[0]?.[0] ?? "0-0" });
    // BullMQ re-emits the connection's errors; without a listener it would print each one.
    queue.on("error", remember);
    events.on("error", remember);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    runner = new RedisRunner(url, client, eventsClient, queue, events, hooks);
    return runner;
  }

  async runAll(jobs: readonly SimJob[], onDone?: (done: number, total: number) => void): Promise<HostSimResult[]> {
    if (jobs.length === 0) return [];
    const v = simVersion();
    const data = jobs.map((job): SimJobData => ({ v, job }));
    const batch = new Batch(data.map(jobIdFor), data, onDone);
    for (const id of batch.unique()) (this.waiters.get(id) ?? this.waiters.set(id, new Set()).get(id)!).add(batch);
    let texts: string[];
    try {
      await this.add(batch.unique().map((id) => ({ id, d: batch.dataOf(id) })));
      texts = await batch.finished;
    } finally {
      this.release(batch);
    }
    await this.cleanUp(batch);
    return texts.map(decodeResult);
  }

  /** stats reads the queue's depth and its workers (one round trip each). */
  async stats(): Promise<QueueStats> {
    // Counting workers needs CLIENT LIST, which some managed Redis services refuse: then 0.
    const [c, workers] = await Promise.all([this.queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed"), this.queue.getWorkersCount().catch(() => 0)]);
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, workers };
  }

  /** close stops waiting (pending runs reject); the jobs stay queued for a later run to reuse. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const closed = new Error(`stopped waiting on the ${this}: the runner was closed`);
    for (const batches of this.waiters.values()) for (const b of batches) b.fail(closed);
    await this.events.close();
    await this.queue.close();
    // BullMQ leaves connections it was given open.
    this.client.disconnect();
    this.eventsClient.disconnect();
  }

  private add(jobs: { id: string; d: SimJobData }[]): Promise<unknown> {
    const opts = (jobId: string) => ({
      jobId,
      attempts: JOB_POLICY.attempts,
      backoff: { type: "fixed", delay: JOB_POLICY.backoffMs },
      removeOnComplete: { age: JOB_POLICY.keepCompletedSec },
      removeOnFail: { age: JOB_POLICY.keepFailedSec },
    });
    const chunks: Promise<unknown>[] = [];
    for (let k = 0; k < jobs.length; k += ADD_CHUNK)
      chunks.push(this.queue.addBulk(jobs.slice(k, k + ADD_CHUNK).map(({ id, d }) => ({ name: d.job.scenario.host.id, data: d, opts: opts(id) }))));
    return Promise.all(chunks);
  }

  private onEvent(jobId: string, act: (b: Batch) => void): void {
    const batches = this.waiters.get(jobId);
    if (!batches) return;
    this.lastEventAt = Date.now();
    for (const b of [...batches]) act(b);
  }

  private onCompleted(jobId: string, ret: SimJobReturn): void {
    if (ret && typeof ret.r === "string") this.hooks.onFinished?.(ret);
    this.onEvent(jobId, (b) => b.deliver(jobId, ret?.r));
  }

  /** failed reports a job that used up its attempts, with its host and the worker's reason. */
  private async failed(b: Batch, jobId: string, reason: string): Promise<void> {
    const job = await this.queue.getJob(jobId).catch(() => undefined);
    b.fail(new SimJobFailedError(b.hostOf(jobId), reason, job?.attemptsMade ?? JOB_POLICY.attempts));
  }

  /**
   * check asks Redis where one job is: finished (deliver or report), gone (add it again), or failed
   * in an earlier run (retry it once: the workers may have been fixed since). Jobs still waiting
   * or running cost one cheap call.
   */
  private async check(jobId: string): Promise<void> {
    const batches = [...(this.waiters.get(jobId) ?? [])];
    if (batches.length === 0) return;
    const state = await this.queue.getJobState(jobId);
    if (state === "unknown") return void (await this.add([{ id: jobId, d: batches[0].dataOf(jobId) }]));
    if (state !== "completed" && state !== "failed") return;
    const job = await this.queue.getJob(jobId);
    if (!job) return;
    if (state === "completed") return batches.forEach((b) => b.deliver(jobId, job.returnvalue?.r));
    const earlier = batches.every((b) => job.timestamp < b.submittedAt && !b.retried.has(jobId));
    if (!earlier) return batches.forEach((b) => void this.failed(b, jobId, job.failedReason));
    for (const b of batches) b.retried.add(jobId);
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
  }

  private async reconcile(): Promise<void> {
    if (this.waiters.size === 0) return;
    if (this.client.status !== "ready") return this.watchdog();
    if (this.downSince !== undefined) this.hooks.log?.(`Redis at ${redactUrl(this.url)} is back`);
    this.downSince = undefined;
    if (this.reconciling || Date.now() - this.lastEventAt < RECONCILE_MS) return;
    this.lastEventAt = Date.now();
    this.reconciling = true;
    try {
      const ids = [...this.waiters.keys()];
      // A few calls in flight at once: ioredis pipelines them, without flooding Redis.
      for (let k = 0; k < ids.length; k += CHECK_CHUNK) await Promise.all(ids.slice(k, k + CHECK_CHUNK).map((id) => this.check(id).catch(() => {})));
    } finally {
      this.reconciling = false;
    }
  }

  private watchdog(): void {
    if (this.downSince === undefined) {
      this.downSince = Date.now();
      this.hooks.log?.(`lost the connection to Redis at ${redactUrl(this.url)} (${this.lastError || this.client.status}); retrying for ${LOST_AFTER_MS / 1000} s`);
    }
    if (Date.now() - this.downSince < LOST_AFTER_MS) return;
    const lost = new RedisUnreachableError(this.url, this.lastError || this.client.status, LOST_AFTER_MS / 1000);
    for (const batches of this.waiters.values()) for (const b of batches) b.fail(lost);
  }

  /** cleanUp removes the collected jobs no other run in this process still waits for. */
  private async cleanUp(batch: Batch): Promise<void> {
    const ids = batch.unique().filter((id) => !this.waiters.has(id));
    // Best effort: what is left behind expires (JOB_POLICY); a run must not fail on its cleanup.
    await Promise.all(ids.map((id) => this.queue.remove(id).catch(() => 0)));
  }

  private release(batch: Batch): void {
    for (const id of batch.unique()) {
      const set = this.waiters.get(id);
      set?.delete(batch);
      if (set?.size === 0) this.waiters.delete(id);
    }
  }

  toString(): string {
    return `Redis queue ${QUEUE_NAME} at ${redactUrl(this.url)}`;
  }
}
