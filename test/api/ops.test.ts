import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildApp } from "../../src/api/app.js";
import { ApiErrorSchema } from "../../src/api/errors.js";
import type { ZodApp } from "../../src/api/routes/types.js";
import { expectError, post, sampleCluster, testApp } from "./helper.js";

let app: ZodApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.close());

const ROUTES = [
  ["post", "/v1/simulate"],
  ["post", "/v1/score"],
  ["post", "/v1/place"],
  ["post", "/v1/plan"],
  ["post", "/v1/migrations"],
  ["post", "/k8s/filter"],
  ["post", "/k8s/prioritize"],
  ["get", "/healthz"],
  ["get", "/readyz"],
  ["get", "/metrics"],
  ["get", "/openapi.json"],
] as const;

describe("probes", () => {
  test("/healthz and /readyz answer", async () => {
    expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ready" });
  });

  test("an unknown route is a JSON 404", async () => {
    expectError(await app.inject({ method: "GET", url: "/v2/nothing?x=1" }), 404, "NOT_FOUND");
  });
});

describe("GET /metrics", () => {
  test("Prometheus text: request counts by route and status, latency histogram, in-flight, worker pool", async () => {
    await post(app, "/v1/score", sampleCluster());
    await post(app, "/v1/score", "{");
    const res = await app.inject({ method: "GET", url: "/metrics" });
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toMatch(/^vmplace_http_requests_total\{method="POST",route="\/v1\/score",status="200"\} 1$/m);
    expect(text).toMatch(/^vmplace_http_requests_total\{method="POST",route="\/v1\/score",status="400"\} 1$/m);
    expect(text).toMatch(/^vmplace_http_request_duration_seconds_bucket\{route="\/v1\/score",le="\+Inf"\} 2$/m);
    expect(text).toMatch(/^vmplace_http_requests_in_flight 1$/m);
    expect(text).toMatch(/^vmplace_task_pool_workers 1$/m);
    expect(text).toMatch(/^vmplace_task_pool_queued 0$/m);
    // Every sample line is `name{labels} number` or `name number`.
    for (const line of text.trim().split("\n").filter((l) => !l.startsWith("#"))) expect(line).toMatch(/^[a-z_0-9]+(\{[^}]*\})? -?[\d.e+-]+$/);
  });
});

describe("GET /openapi.json", () => {
  test("is a valid OpenAPI 3.1 document that lists every route with its schemas", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    }>();
    await SwaggerParser.validate(structuredClone(doc) as never);
    expect(doc.openapi).toBe("3.1.0");
    for (const [method, url] of ROUTES) {
      expect(doc.paths[url]?.[method], `${method} ${url}`).toBeDefined();
      expect(Object.keys(doc.paths[url][method].responses)).toContain("200");
      if (method === "post") {
        expect(doc.paths[url][method].requestBody, url).toBeDefined();
        expect(Object.keys(doc.paths[url][method].responses)).toEqual(expect.arrayContaining(["400", "413", "503", "504"]));
      }
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["ClusterInput", "PlacementScore", "PlaceResult", "Plan", "MigrationPlan", "ExtenderArgsInput", "HostPriorityList", "Error"]),
    );
  });
});

describe("the error handler", () => {
  test("an internal error is a bare 500: no message, no stack", async () => {
    // Routes can only be added before the app is ready, hence an app of its own.
    const fresh = await buildApp({ workers: 1 });
    fresh.get("/boom", async () => {
      throw new Error("secret detail /etc/passwd");
    });
    const body = expectError(await fresh.inject({ method: "GET", url: "/boom" }), 500, "INTERNAL");
    expect(JSON.stringify(body)).not.toMatch(/secret|passwd|Error:/);
    await fresh.close();
  });

  test("a response that breaks its own schema is a 500 too, not a malformed 200", async () => {
    const fresh = await buildApp({ workers: 1 });
    fresh.get("/bad-reply", { schema: { response: { 200: ApiErrorSchema } } }, async () => ({ nonsense: true }) as never);
    expectError(await fresh.inject({ method: "GET", url: "/bad-reply" }), 500, "INTERNAL");
    await fresh.close();
  });
});
