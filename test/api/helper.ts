import { readFileSync } from "node:fs";
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { buildApp, type BuildOptions } from "../../src/api/app.js";
import type { ZodApp } from "../../src/api/routes/types.js";
import type { z } from "zod";
import type { ClusterInput, VmSchema } from "../../src/model/cluster.js";
import type { ScenarioInput } from "../../src/model/scenario.js";
import { parseCluster } from "../../src/model/validate.js";

/** The bundled sample cluster (8 hosts, 40 VMs on their current hosts), as a client sends it. */
export function sampleCluster(): ClusterInput {
  return JSON.parse(readFileSync("data/sample-cluster.json", "utf8")) as ClusterInput;
}

export function parsedSample() {
  const r = parseCluster(sampleCluster());
  if (!r.ok) throw new Error("sample cluster does not parse");
  return r.value;
}

/** The Bobtail 4-core scenario, shortened so a test simulation takes a few ms. */
export function shortScenario(durationMs = 2000): ScenarioInput {
  const s = JSON.parse(readFileSync("data/scenarios/bobtail-4core.json", "utf8")) as ScenarioInput;
  return { ...s, durationMs, warmupMs: 200 };
}

export type VmInput = z.input<typeof VmSchema>;

export const ioVm = (id = "new-io"): VmInput => ({
  id,
  vcpus: 2,
  memoryMiB: 4096,
  workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 },
  slo: { p999Ms: 5 },
});

/**
 * testApp builds the service with one worker thread and waits until it is ready, as fastify's
 * demo does in test/helper.ts; requests then go through app.inject (no socket).
 */
export async function testApp(options: BuildOptions = {}): Promise<ZodApp> {
  const app = await buildApp({ workers: 1, ...options });
  await app.ready();
  for (let k = 0; k < 200 && (await app.inject({ method: "GET", url: "/readyz" })).statusCode !== 200; k++)
    await new Promise((r) => setTimeout(r, 10));
  return app;
}

/** post sends a JSON body (a string is sent as-is: malformed JSON, fuzz bodies). */
export function post(app: ZodApp, url: string, body: unknown): Promise<LightMyRequestResponse> {
  return app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/json" },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  problems?: { path: string; message: string }[];
}

/** expectError checks the one error shape and returns it for further checks. */
export function expectError(res: LightMyRequestResponse, status: number, code?: string): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = res.json<ErrorBody>();
  expect(body.statusCode).toBe(status);
  expect(typeof body.message).toBe("string");
  if (code) expect(body.code).toBe(code);
  expect(res.body).not.toMatch(/\n\s+at /);
  return body;
}
