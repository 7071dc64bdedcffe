import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ScenarioSchema } from "../../src/model/scenario.js";
import { RedisRunner } from "../../src/runtime/redis-runner.js";
import { jobIdFor, QUEUE_NAME } from "../../src/runtime/sim-queue.js";
import { simVersion } from "../../src/runtime/sim-version.js";
import { inlineRunner, type SimJob } from "../../src/sim/runner.js";
import { startRedis, startWorker, stopProcess, waitFor, type TestRedis } from "../helpers/redis.js";

const scenario = (seed: number, durationMs = 500) =>
  ScenarioSchema.parse({
    host: { id: `h${seed}`, cores: 2, memoryMiB: 4096, scheduler: { kind: seed % 2 ? "xen-credit" : "kvm-cfs" } },
    vms: [
      { id: "io", vcpus: 1, memoryMiB: 512, workload: { kind: "io", requestsPerSec: 500, serviceUs: 80 } },
      { id: "cpu", vcpus: 2, memoryMiB: 512, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 5 } },
    ],
    durationMs,
    warmupMs: 100,
    seed,
  });

let redis: TestRedis;
let queue: Queue;
let connection: Redis;

/** jobCounts: every job the queue still holds, by state. */
async function heldJobs(): Promise<number> {
  const c = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed");
  return Object.values(c).reduce((a, b) => a + b, 0);
}

beforeAll(async () => {
  redis = await startRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_NAME, { connection });
}, 30_000);

afterAll(async () => {
  await queue?.close();
  connection?.disconnect();
  await redis?.stop();
});

describe("RedisRunner against a real Redis and vmplace worker processes", () => {
  test("gives the same bytes as a local run, in job order, counts progress over every job, and leaves no job behind", async () => {
    // The default worker: it warms both threads up before its ready line (the other tests skip that to stay short).
    const worker = await startWorker(redis.url, ["--concurrency", "2"]);
    const runner = await RedisRunner.connect(redis.url);
    try {
      const log = worker.log();
      const warming = log.search(/worker: warming up 2 thread\(s\), \d+ short simulations each, before taking jobs/);
      expect(warming).toBeGreaterThanOrEqual(0);
      expect(log.search(/serving queue .*, threads warmed up in \d+\.\d s/)).toBeGreaterThan(warming);
      // Job 3 twice: one queue job serves both, and both places get the result.
      const jobs: SimJob[] = [1, 2, 3, 4, 3, 5].map((s) => ({ scenario: scenario(s) }));
      const seen: number[] = [];
      const remote = await runner.runAll(jobs, (d, n) => seen.push(d * 100 + n));
      const local = await inlineRunner.runAll(jobs);
      expect(JSON.stringify(remote)).toBe(JSON.stringify(local));
      expect(remote).toEqual(local);
      expect(remote.map((r) => r.hostId)).toEqual(["h1", "h2", "h3", "h4", "h3", "h5"]);
      expect(seen).toEqual([106, 206, 306, 406, 506, 606]);
      expect(await heldJobs()).toBe(0);
    } finally {
      await runner.close();
      await stopProcess(worker.proc);
    }
  }, 120_000);

  test("a worker killed with SIGKILL mid-job loses nothing: the job stalls, another worker runs it, the results are unchanged", async () => {
    const jobs: SimJob[] = [11, 12, 13, 14].map((s) => ({ scenario: scenario(s, 20_000) }));
    const local = await inlineRunner.runAll(jobs);
    const eventsConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
    await events.waitUntilReady();
    const stalled: string[] = [];
    events.on("stalled", ({ jobId }) => stalled.push(jobId));
    const doomed = await startWorker(redis.url, ["--concurrency", "1", "--lock-duration", "1s", "--no-warmup"]);
    const firstActive = new Promise<string>((resolve) => events.once("active", ({ jobId }) => resolve(jobId)));
    const runner = await RedisRunner.connect(redis.url);
    let rescuer: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      const run = runner.runAll(jobs);
      const killedDuring = await firstActive;
      doomed.proc.kill("SIGKILL");
      expect(await doomed.exited).toBe("SIGKILL");
      rescuer = await startWorker(redis.url, ["--concurrency", "2", "--lock-duration", "2s", "--no-warmup"]);
      const remote = await run;
      expect(JSON.stringify(remote)).toBe(JSON.stringify(local));
      expect(stalled).toContain(killedDuring);
      expect(await heldJobs()).toBe(0);
    } finally {
      await runner.close();
      await events.close();
      eventsConnection.disconnect();
      if (rescuer) await stopProcess(rescuer.proc);
    }
  }, 180_000);

  test("job ids are derived from the payload: a re-submitted run reuses the finished jobs, then removes them", async () => {
    const jobs: SimJob[] = [21, 22, 23].map((s) => ({ scenario: scenario(s) }));
    const ids = jobs.map((job) => jobIdFor({ v: simVersion(), job }));
    // A first submitter queues the jobs and dies before any worker has run them.
    const first = await RedisRunner.connect(redis.url);
    const abandoned = first.runAll(jobs);
    await waitFor(async () => (await queue.getJobCounts("waiting")).waiting === 3, 10_000, () => "the jobs were not queued");
    const refused = expect(abandoned).rejects.toThrow(/runner was closed/);
    await first.close();
    await refused;
    // A worker finishes them; the finished jobs stay (the submitter never collected them).
    const worker = await startWorker(redis.url, ["--concurrency", "2", "--no-warmup"]);
    await waitFor(async () => (await queue.getJobCounts("completed")).completed === 3, 60_000, () => "the worker did not finish the jobs");
    await stopProcess(worker.proc);
    expect(worker.log()).toMatch(/stopped after 3 job\(s\), 0 failed/);
    // With no worker running at all, the same run completes from what Redis holds.
    const second = await RedisRunner.connect(redis.url);
    try {
      const remote = await second.runAll(jobs);
      expect(JSON.stringify(remote)).toBe(JSON.stringify(await inlineRunner.runAll(jobs)));
      for (const id of ids) expect(await queue.getJob(id)).toBeUndefined();
      expect(await heldJobs()).toBe(0);
    } finally {
      await second.close();
    }
  }, 120_000);
});
