import { describe, expect, test } from "vitest";
import { ScenarioSchema } from "../../src/model/scenario.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { WorkerPool } from "../../src/runtime/sim-pool.js";
import { compiledWorkerUrl } from "../../src/runtime/worker-url.js";

const scenario = (seed: number) =>
  ScenarioSchema.parse({
    host: { id: `h${seed}`, cores: 2, memoryMiB: 4096, scheduler: { kind: seed % 2 ? "xen-credit" : "kvm-cfs" } },
    vms: [
      { id: "io", vcpus: 1, memoryMiB: 512, workload: { kind: "io", requestsPerSec: 500, serviceUs: 80 } },
      { id: "cpu", vcpus: 2, memoryMiB: 512, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 5 } },
    ],
    durationMs: 500,
    warmupMs: 100,
    seed,
  });

describe("WorkerPool", () => {
  test("gives the same results, in job order, as running inline (with and without a progress callback)", async () => {
    const jobs = [1, 2, 3, 4, 5].map((s) => ({ scenario: scenario(s) }));
    const pool = new WorkerPool(2);
    try {
      const seen: number[] = [];
      const withProgress = await pool.runAll(jobs, (d) => seen.push(d));
      const without = await pool.runAll(jobs);
      const inline = await inlineRunner.runAll(jobs);
      expect(withProgress).toEqual(inline);
      expect(without).toEqual(inline);
      expect(seen).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await pool.close();
    }
  });

  test("runs concurrent runAll and run calls from one queue, each getting its own results in order", async () => {
    const a = [1, 2, 3].map((s) => ({ scenario: scenario(s) }));
    const b = [4, 5].map((s) => ({ scenario: scenario(s) }));
    const pool = new WorkerPool(2);
    try {
      const [ra, rb, one] = await Promise.all([pool.runAll(a), pool.runAll(b), pool.run(a[1])]);
      expect(ra).toEqual(await inlineRunner.runAll(a));
      expect(rb).toEqual(await inlineRunner.runAll(b));
      expect(one).toEqual(ra[1]);
    } finally {
      await pool.close();
    }
  });

  test("a failing simulation rejects with the host it was for", async () => {
    const bad = scenario(1);
    const pool = new WorkerPool(1);
    try {
      await expect(pool.runAll([{ scenario: { ...bad, host: { ...bad.host, scheduler: { kind: "bfs" } as never } } }])).rejects.toThrow(/host h1 failed/);
    } finally {
      await pool.close();
    }
  });
});

describe("compiledWorkerUrl", () => {
  test.each([
    ["file:///repo/src/runtime/sim-pool.ts", "file:///repo/dist/src/runtime/w.js"],
    ["file:///home/me/src/vmplace/src/api/app.ts", "file:///home/me/src/vmplace/dist/src/api/w.js"],
    ["file:///repo/dist/src/runtime/sim-pool.js", "file:///repo/dist/src/runtime/w.js"],
  ])("from %s", (caller, expected) => {
    expect(compiledWorkerUrl("w.js", caller).href).toBe(expected);
  });
});
