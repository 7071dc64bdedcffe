import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, test } from "vitest";
import { buildApp } from "../../src/api/app.js";
import { startServer } from "../../src/api/server.js";
import { CLI } from "../helpers/cli.js";
import { ioVm, sampleCluster, shortScenario } from "./helper.js";

const postJson = (base: string, path: string, body: unknown): Promise<Response> =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) });

describe("over a real socket on 127.0.0.1", () => {
  test("answers the routes over HTTP; a close finishes in-flight requests and then refuses connections", async () => {
    const app = await buildApp({ workers: 1 });
    const base = await startServer(app, { port: 0, host: "127.0.0.1" });
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    const score = await postJson(base, "/v1/score", sampleCluster());
    expect(score.status).toBe(200);
    const place = await postJson(base, "/v1/place", { cluster: sampleCluster(), vm: ioVm() });
    expect(((await place.json()) as { best?: string }).best).toBeDefined();
    const slow = postJson(base, "/v1/simulate", shortScenario(20_000));
    await workerBusy(base);
    const closing = app.close();
    expect((await slow).status).toBe(200);
    await closing;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  test("vmplace serve: SIGTERM lets the request in flight finish, then the process exits 0", async () => {
    const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--cluster", "data/sample-cluster.json"], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const base = await listeningAddress(child.stdout);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const slow = postJson(base, "/v1/simulate", shortScenario(20_000));
      await workerBusy(base);
      child.kill("SIGTERM");
      const res = await slow;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { hostId: string }).hostId).toBe("bobtail-4core");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  }, 20_000);
});

/** workerBusy waits until the server reports a simulation running (the request is in flight). */
async function workerBusy(base: string): Promise<void> {
  for (let k = 0; k < 500; k++) {
    if (/^vmplace_task_pool_busy 1$/m.test(await (await fetch(`${base}/metrics`)).text())) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the simulation never started");
}

/** listeningAddress reads fastify's JSON log until it names the bound address. */
function listeningAddress(stdout: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("vmplace serve did not start within 10 s")), 10_000);
    createInterface({ input: stdout }).on("line", (line) => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}
