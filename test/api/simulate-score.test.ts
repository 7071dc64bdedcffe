import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { expectError, post, sampleCluster, shortScenario, testApp } from "./helper.js";

let app: ZodApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.close());

describe("POST /v1/simulate", () => {
  test("runs the scenario in a worker and answers the host's measurements", async () => {
    const res = await post(app, "/v1/simulate", shortScenario());
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ hostId: string; vms: { id: string; requestLatency: { count: number } }[] }>();
    expect(body.hostId).toBe("bobtail-4core");
    expect(body.vms.map((v) => v.id)).toContain("io-1");
    expect(body.vms.find((v) => v.id === "io-1")!.requestLatency.count).toBeGreaterThan(0);
  });

  test.each(["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"])("simulates a %s host", async (kind) => {
    const s = shortScenario() as Record<string, unknown> & { host: Record<string, unknown> };
    s.host = { ...s.host, scheduler: { kind } };
    const res = await post(app, "/v1/simulate", s);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ scheduler: string }>().scheduler).toBe(kind);
  });

  test("same scenario, same answer (the simulation is deterministic across workers)", async () => {
    const [a, b] = await Promise.all([post(app, "/v1/simulate", shortScenario()), post(app, "/v1/simulate", shortScenario())]);
    expect(a.body).toBe(b.body);
  });

  test("every problem of a bad scenario, each with its JSON path", async () => {
    const s = shortScenario() as Record<string, unknown> & { vms: Record<string, unknown>[] };
    s.vms[1] = { ...s.vms[1], vcpus: 0 };
    s.durationMs = -5;
    s.colour = "red";
    const body = expectError(await post(app, "/v1/simulate", s), 400, "INVALID_INPUT");
    expect(body.problems!.map((p) => p.path).sort()).toEqual(["", "durationMs", "vms[1].vcpus"]);
  });
});

describe("POST /v1/score", () => {
  test("scores the current placement, worst hosts first", async () => {
    const res = await post(app, "/v1/score", sampleCluster());
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ hosts: { hostId: string; breaches: number }[]; vms: unknown[]; unplaced: string[] }>();
    expect(body.hosts).toHaveLength(8);
    expect(body.hosts[0].breaches).toBeGreaterThanOrEqual(body.hosts[7].breaches);
  });

  test("shape and semantic problems come back together (parseCluster), sorted by path", async () => {
    const c = sampleCluster() as { hosts: Record<string, unknown>[]; vms: Record<string, unknown>[] };
    c.hosts[0] = { ...c.hosts[0], cores: "sixteen" };
    c.vms[2] = { ...c.vms[2], host: "no-such-host" };
    c.vms[3] = { ...c.vms[3], id: c.vms[4].id };
    const body = expectError(await post(app, "/v1/score", c), 400, "INVALID_INPUT");
    const paths = body.problems!.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["hosts[0].cores", "vms[2].host", "vms[4].id"]));
    expect(body.message).toMatch(/problems/);
  });

  test.each([
    ["malformed JSON", "{\"hosts\": [", "INVALID_JSON"],
    ["an array", "[]", "INVALID_INPUT"],
    ["null", "null", "INVALID_INPUT"],
  ])("%s is a 400 with a JSON error", async (_name, body, code) => {
    expectError(await post(app, "/v1/score", body), 400, code);
  });

  test("a body that is not JSON at all is a 415", async () => {
    const res = await app.inject({ method: "POST", url: "/v1/score", headers: { "content-type": "text/plain" }, payload: "hosts" });
    expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
  });
});
