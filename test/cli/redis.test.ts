import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RedisRunner } from "../../src/runtime/redis-runner.js";
import { QUEUE_NAME } from "../../src/runtime/sim-queue.js";
import { ScenarioSchema } from "../../src/model/scenario.js";
import { freePort, runCliAsync, startRedis, startWorker, stopProcess, waitFor, type TestRedis, type TestWorker } from "../helpers/redis.js";

const PLAN = ["plan", "data/sample-cluster.json", "--solver", "heuristic", "--iterations", "500", "--validate-duration", "500ms", "--deterministic"];
const CALIBRATE = ["calibrate", "--duration", "100ms", "--seeds", "1", "--runs", "1", "--workers", "2"];
const scratch = () => mkdtempSync(join(tmpdir(), "vmplace-redis-cli-"));

describe("vmplace plan, migrate, advise and calibrate with --redis and a vmplace worker", () => {
  let redis: TestRedis;
  let worker: TestWorker;
  beforeAll(async () => {
    redis = await startRedis();
    worker = await startWorker(redis.url, ["--concurrency", "2"]);
  }, 60_000);
  afterAll(async () => {
    if (worker) await stopProcess(worker.proc);
    await redis?.stop();
  });

  test("plan --redis writes the same bytes as plan on this machine", async () => {
    const dir = scratch();
    const [remote, local] = await Promise.all([
      runCliAsync([...PLAN, "--out", join(dir, "remote.json"), "--redis", redis.url]),
      runCliAsync([...PLAN, "--out", join(dir, "local.json")]),
    ]);
    expect(remote.stderr).toMatch(/simulations go to the Redis queue vmplace-sim at redis:\/\/127\.0\.0\.1/);
    expect([remote.code, local.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, "remote.json"), "utf8")).toBe(readFileSync(join(dir, "local.json"), "utf8"));
    // A worker with the default warm-up, whose warm-up results went nowhere.
    expect(worker.log()).toMatch(/serving queue .*, threads warmed up in/);
    // The worker did the simulations: its progress line (every 10 s) counts them.
    await waitFor(() => /[1-9]\d* job\(s\) done/.test(worker.log()), 30_000, () => `no progress from the worker:\n${worker.log()}`);
  }, 180_000);

  test("migrate with VMPLACE_REDIS_URL re-simulates on the queue and gives the same report as a local run", async () => {
    const args = ["migrate", "data/sample-cluster.json", "--format", "json", "--simulate-duration", "500ms"];
    const [remote, local] = await Promise.all([runCliAsync(args, { ...process.env, VMPLACE_REDIS_URL: redis.url }), runCliAsync(args, { ...process.env, VMPLACE_REDIS_URL: "" })]);
    expect([remote.code, local.code]).toEqual([0, 0]);
    expect(remote.stderr).toMatch(/Redis queue/);
    expect(local.stderr).not.toMatch(/Redis queue/);
    expect(remote.stdout).toBe(local.stdout);
  }, 180_000);

  test("advise --redis simulates every option on the queue and gives the same advice as a local run", async () => {
    const args = ["advise", "data/sample-cluster.json", "--json", "--duration", "500ms", "--seeds", "2"];
    const [remote, local] = await Promise.all([runCliAsync([...args, "--redis", redis.url]), runCliAsync(args)]);
    expect([remote.code, local.code]).toEqual([0, 0]);
    expect(remote.stderr).toMatch(/simulations go to the Redis queue/);
    expect(remote.stdout).toBe(local.stdout);
    expect(JSON.parse(remote.stdout).hosts.map((h: { hostId: string }) => h.hostId)).toEqual(["h07"]);
  }, 180_000);

  test("calibrate --redis on a tiny sweep writes the same table as a local run", async () => {
    const dir = scratch();
    const remote = await runCliAsync([...CALIBRATE, "--out", join(dir, "remote.json"), "--redis", redis.url]);
    const local = await runCliAsync([...CALIBRATE, "--out", join(dir, "local.json")]);
    expect([remote.code, local.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, "remote.json"), "utf8")).toBe(readFileSync(join(dir, "local.json"), "utf8"));
  }, 300_000);
});

describe("when Redis cannot be reached", () => {
  let silent: Server;
  let silentUrl: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: the connect timeout, not a refused port, must end the wait.
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    silentUrl = `redis://127.0.0.1:${(silent.address() as { port: number }).port}`;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });

  test.each([
    ["nothing listens", async () => `redis://127.0.0.1:${await freePort()}`],
    ["the server never answers", async () => silentUrl],
  ])("%s: exit 2 within seconds, naming the URL, no output file", async (_, url) => {
    const dir = scratch();
    const target = await url();
    const t0 = Date.now();
    const r = await runCliAsync([...PLAN, "--out", join(dir, "plan.json"), "--redis", target]);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot reach Redis at ${target}`);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(join(dir, "plan.json"))).toBe(false);
  }, 60_000);

  test("--redis-fallback local says so and simulates here, with the same bytes as a local run", async () => {
    const dir = scratch();
    const target = `redis://127.0.0.1:${await freePort()}`;
    const fallback = await runCliAsync([...PLAN, "--out", join(dir, "fallback.json"), "--redis", target, "--redis-fallback", "local"]);
    const local = await runCliAsync([...PLAN, "--out", join(dir, "local.json")]);
    expect([fallback.code, local.code]).toEqual([0, 0]);
    expect(fallback.stderr).toMatch(/cannot reach Redis at .*--redis-fallback local: simulating on this machine/);
    expect(readFileSync(join(dir, "fallback.json"), "utf8")).toBe(readFileSync(join(dir, "local.json"), "utf8"));
  }, 120_000);

  test("a URL that is not redis:// is bad input", async () => {
    const r = await runCliAsync([...PLAN, "--redis", "http://127.0.0.1:6379"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--redis must be a redis:\/\/ or rediss:\/\/ URL/);
  }, 60_000);
});

describe("failing jobs and stopping workers", () => {
  let redis: TestRedis;
  let otherBuild: string;
  beforeAll(async () => {
    redis = await startRedis();
    // Another build of vmplace: the same code but for one comment in the simulator, so its
    // simulator fingerprint differs and every job it takes fails (as with a half-done rollout).
    otherBuild = mkdtempSync(join(tmpdir(), "vmplace-other-build-"));
    cpSync("dist", join(otherBuild, "dist"), { recursive: true });
    cpSync("package.json", join(otherBuild, "package.json"));
    symlinkSync(resolve("node_modules"), join(otherBuild, "node_modules"));
    appendFileSync(join(otherBuild, "dist/src/sim/simulate-host.js"), "\n// another build\n");
  }, 60_000);
  afterAll(async () => {
    await redis?.stop();
    if (otherBuild) rmSync(otherBuild, { recursive: true, force: true });
  });

  test("a job that fails on every attempt: exit 4 naming the host and the worker's reason, and no output file", async () => {
    const bad = await startWorker(redis.url, ["--concurrency", "1", "--no-warmup"], join(otherBuild, "dist/src/cli/main.js"));
    try {
      const dir = scratch();
      const r = await runCliAsync([...PLAN, "--out", join(dir, "plan.json"), "--redis", redis.url]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/simulation of host h\d+ failed after 3 attempt\(s\) on the Redis queue: this worker runs simulator build \w+, the job needs build \w+/);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(existsSync(join(dir, "plan.json"))).toBe(false);
      expect(bad.log()).toMatch(/failed, attempt 3 of 3/);
    } finally {
      await stopProcess(bad.proc);
    }
  }, 120_000);

  test("vmplace worker on SIGTERM takes no new job, finishes the running one and exits 0", async () => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection });
    const eventsConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
    await events.waitUntilReady();
    await queue.obliterate({ force: true });
    const worker = await startWorker(redis.url, ["--concurrency", "1", "--no-warmup"]);
    expect(worker.log()).toMatch(/serving queue .*, no warm-up \(--no-warmup\)/);
    expect(worker.log()).not.toMatch(/warming up/);
    const runner = await RedisRunner.connect(redis.url);
    const long = (seed: number) => ({ scenario: ScenarioSchema.parse({ host: { id: `long${seed}`, cores: 2, memoryMiB: 4096 }, vms: [{ id: "io", vcpus: 1, memoryMiB: 512, workload: { kind: "io", requestsPerSec: 500, serviceUs: 80 } }, { id: "cpu", vcpus: 2, memoryMiB: 512, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 5 } }], durationMs: 20_000, seed }) });
    try {
      const active = new Promise<string>((r) => events.once("active", ({ jobId }) => r(jobId)));
      const run = runner.runAll([1, 2, 3].map(long));
      run.catch(() => {});
      const running = await active;
      worker.proc.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      expect(worker.log()).toMatch(/SIGTERM: taking no new job/);
      expect(worker.log()).toMatch(/stopped after 1 job\(s\), 0 failed/);
      expect(await queue.getJobState(running)).toBe("completed");
      expect((await queue.getJobCounts("waiting")).waiting).toBe(2);
    } finally {
      await runner.close();
      await events.close();
      await queue.close();
      connection.disconnect();
      eventsConnection.disconnect();
    }
  }, 120_000);
});
