import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { ScenarioSchema } from "../../src/model/scenario.js";
import { simulateHost } from "../../src/sim/simulate-host.js";
import { startRedis, startWorker, stopProcess, type TestRedis, type TestWorker } from "../helpers/redis.js";
import { post, sampleCluster, shortScenario, testApp } from "./helper.js";

/** metric reads one unlabelled sample from the exposition text. */
function metric(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  if (!m) throw new Error(`${name} is missing from /metrics:\n${text}`);
  return Number(m[1]);
}

describe("vmplace serve --redis", () => {
  let redis: TestRedis;
  let worker: TestWorker;
  let app: ZodApp;
  let planJobs = 0;
  beforeAll(async () => {
    redis = await startRedis();
    worker = await startWorker(redis.url, ["--concurrency", "1", "--no-warmup"]);
    app = await testApp({ redis: redis.url });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (worker) await stopProcess(worker.proc);
    await redis?.stop();
  });

  test("/v1/simulate runs on the queue's worker and answers what a local simulation gives", async () => {
    const res = await post(app, "/v1/simulate", shortScenario());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(simulateHost(ScenarioSchema.parse(shortScenario())))));
  }, 60_000);

  test("/v1/plan validates on the queue (from its task thread)", async () => {
    const res = await post(app, "/v1/plan", { cluster: sampleCluster(), options: { solver: "heuristic", iterations: 300, validateDurationMs: 500 } });
    expect(res.statusCode, res.body).toBe(200);
    const { validation } = res.json<{ validation: { performed: boolean; hostsSimulated: number } }>();
    expect(validation.performed).toBe(true);
    planJobs = validation.hostsSimulated;
    expect(planJobs).toBeGreaterThan(0);
  }, 120_000);

  test("a large /v1/simulate body, parsed and answered in a task thread, simulates on the queue too", async () => {
    const offloading = await testApp({ redis: redis.url, limits: { offloadBytes: 1 } });
    try {
      const before = metric((await offloading.inject({ method: "GET", url: "/metrics" })).body, "vmplace_sim_job_latency_seconds_count");
      const res = await post(offloading, "/v1/simulate", shortScenario(1500));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(simulateHost(ScenarioSchema.parse(shortScenario(1500))))));
      const text = (await offloading.inject({ method: "GET", url: "/metrics" })).body;
      expect(metric(text, "vmplace_sim_job_latency_seconds_count")).toBe(before + 1);
      expect(text).toMatch(/^vmplace_http_offloaded_bodies_total\{route="simulate"\} 1$/m);
    } finally {
      await offloading.close();
    }
  }, 60_000);

  test("/metrics shows the queue's depth, its workers and the latency of the jobs that finished", async () => {
    await post(app, "/v1/simulate", shortScenario(1000));
    const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metric(text, "vmplace_sim_workers")).toBe(1);
    expect(metric(text, "vmplace_sim_queue_depth")).toBe(0);
    expect(metric(text, "vmplace_sim_queue_active")).toBe(0);
    // Every job that finished on the queue: both /v1/simulate calls and the plan's validation,
    // which a task thread submitted (so the plan did simulate on the queue, not in its thread).
    expect(metric(text, "vmplace_sim_job_latency_seconds_count")).toBeGreaterThanOrEqual(2 + planJobs);
    expect(metric(text, "vmplace_sim_job_run_seconds_sum")).toBeGreaterThan(0);
    expect(text).toMatch(/^vmplace_sim_job_latency_seconds_bucket\{le="\+Inf"\} \d+$/m);
    for (const line of text.trim().split("\n").filter((l) => !l.startsWith("#"))) expect(line).toMatch(/^[a-z_0-9]+(\{[^}]*\})? -?[\d.e+-]+$/);
  }, 60_000);
});
