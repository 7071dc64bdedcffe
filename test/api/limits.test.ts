import { describe, expect, test } from "vitest";
import { expectError, post, sampleCluster, shortScenario, testApp } from "./helper.js";

// A simulated hour of 40 io VMs at 5,000 requests/s each: about 700 M events, minutes of CPU on
// any machine, so it is always cut off by the budgets below (the 7-VM Bobtail hour alone finished
// inside 2.5 s on a fast CI machine once the simulator got faster).
const endless = () => {
  const s = shortScenario(3_600_000);
  const io = (i: number) => ({
    id: `io-${i}`,
    vcpus: 1,
    memoryMiB: 256,
    workload: { kind: "io" as const, requestsPerSec: 5000, serviceUs: 20 },
  });
  return { ...s, vms: [...s.vms, ...Array.from({ length: 40 }, (_, i) => io(i + 100))] };
};

describe("limits", () => {
  test("over the concurrency limit: 503 with Retry-After at once; past the budget: 504 and a fresh worker", async () => {
    const app = await testApp({ limits: { maxConcurrent: 1, requestTimeoutMs: 2500 } });
    const started = Date.now();
    const slow = post(app, "/v1/simulate", endless());
    await new Promise((r) => setTimeout(r, 20));
    const refused = await post(app, "/v1/score", sampleCluster());
    expectError(refused, 503, "OVERLOADED");
    expect(refused.headers["retry-after"]).toBe("1");
    expect(Date.now() - started).toBeLessThan(1000);
    // Probes are not limited: a saturated server still answers its liveness probe.
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const late = await slow;
    expectError(late, 504, "TIME_BUDGET");
    expect(Date.now() - started).toBeLessThan(8000);
    // The slot is free again and the replaced worker runs the next simulation.
    expect((await post(app, "/v1/simulate", shortScenario(500))).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/metrics" })).body).toMatch(/^vmplace_task_pool_restarts_total 1$/m);
    await app.close();
  });

  test("a body over the limit is a 413 before any parsing", async () => {
    const app = await testApp({ limits: { bodyLimitBytes: 4096 } });
    expectError(await post(app, "/v1/score", sampleCluster()), 413, "BODY_TOO_LARGE");
    await app.close();
  });

  test("a graceful close lets the work in flight finish before the workers stop", async () => {
    const app = await testApp();
    const slow = post(app, "/v1/simulate", shortScenario(20_000));
    await new Promise((r) => setTimeout(r, 10));
    const closing = app.close();
    expect((await slow).statusCode).toBe(200);
    await closing;
  });
});
