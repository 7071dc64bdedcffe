import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { ioVm, post, sampleCluster, shortScenario, testApp } from "./helper.js";

// Two servers that differ only in where bodies are parsed: `inline` parses every body on the
// event loop, `offloaded` hands every body of the offloadable routes to its worker thread.
let inline: ZodApp;
let offloaded: ZodApp;
beforeAll(async () => {
  [inline, offloaded] = await Promise.all([testApp({ limits: { offloadBytes: Number.MAX_SAFE_INTEGER } }), testApp({ limits: { offloadBytes: 1 } })]);
});
afterAll(() => Promise.all([inline.close(), offloaded.close()]));

const offloadCount = async (app: ZodApp, route: string): Promise<number> => {
  const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
  const m = new RegExp(`^vmplace_http_offloaded_bodies_total\\{route="${route}"\\} (\\d+)$`, "m").exec(text);
  return m ? Number(m[1]) : 0;
};

const badCluster = (): unknown => {
  const c = sampleCluster() as { hosts: Record<string, unknown>[]; vms: Record<string, unknown>[] };
  c.hosts[0] = { ...c.hosts[0], cores: "sixteen" };
  c.vms[3] = { ...c.vms[3], id: c.vms[4].id };
  return c;
};

describe("large bodies are parsed, checked and answered in a worker thread", () => {
  test.each<[string, string, string, unknown]>([
    ["a score", "/v1/score", "score", sampleCluster()],
    ["a placement with its cluster", "/v1/place", "place", { cluster: sampleCluster(), vm: ioVm(), reasons: true }],
    ["a placement on the server's cluster (no cluster to send: answered by the main thread)", "/v1/place", "place", { vm: ioVm() }],
    ["a simulation", "/v1/simulate", "simulate", shortScenario()],
    ["a plan", "/v1/plan", "plan", { cluster: sampleCluster(), options: { solver: "heuristic", iterations: 300, validate: false } }],
    ["a migration plan", "/v1/migrations", "migrations", { cluster: sampleCluster(), options: { mode: "fix", timeBudgetMs: 600_000 } }],
    ["what-if advice for one host", "/v1/advise", "advise", { cluster: sampleCluster(), host: "h07", options: { durationMs: 500, seeds: 1 } }],
    ["an advice request naming a host the cluster lacks", "/v1/advise", "advise", { cluster: sampleCluster(), host: "h99" }],
    ["a cluster with problems", "/v1/score", "score", badCluster()],
    ["a plan request with bad options", "/v1/plan", "plan", { cluster: sampleCluster(), options: { solver: "magic" } }],
    ["malformed JSON", "/v1/score", "score", '{"hosts": ['],
    ["a prototype-poisoning body", "/v1/score", "score", '{"hosts": [], "__proto__": {"x": 1}}'],
  ])("%s gets the same answer as when parsed on the event loop", async (_name, url, route, body) => {
    const before = await offloadCount(offloaded, route);
    const [a, b] = await Promise.all([post(inline, url, body), post(offloaded, url, body)]);
    expect(b.statusCode, b.body).toBe(a.statusCode);
    expect(b.headers["content-type"]).toBe(a.headers["content-type"]);
    expect(b.json()).toEqual(a.json());
    expect(await offloadCount(offloaded, route)).toBe(before + 1);
    expect(await offloadCount(inline, route)).toBe(0);
  });

  test("while a 10,000-VM cluster is parsed and scored in the worker, /healthz answers", async () => {
    const large = readFileSync("data/generated-large.json", "utf8");
    const app = await testApp();
    try {
      let settled = false;
      const scoring = post(app, "/v1/score", large).finally(() => (settled = true));
      // The worker has the body once the pool says it is busy: the event loop is free from here.
      const busy = async (): Promise<boolean> => /^vmplace_task_pool_busy 1$/m.test((await app.inject({ method: "GET", url: "/metrics" })).body);
      while (!(await busy())) await new Promise((r) => setImmediate(r));
      const health = await app.inject({ method: "GET", url: "/healthz" });
      expect(health.statusCode).toBe(200);
      // Ordering, not time: the probe was answered before the large request was.
      expect(settled).toBe(false);
      const res = await scoring;
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.json<{ hosts: unknown[] }>().hosts).toHaveLength(1000);
      expect(await offloadCount(app, "score")).toBe(1);
    } finally {
      await app.close();
    }
  }, 60_000);
});
