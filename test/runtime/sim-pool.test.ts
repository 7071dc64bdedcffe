import { describe, expect, test } from "vitest";
import { ScenarioSchema } from "../../src/model/scenario.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { WorkerPool } from "../../src/runtime/sim-pool.js";
import { warmupJobs } from "../../src/runtime/sim-warmup.js";
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

describe("WorkerPool warm-up", () => {
  test("warmedUp resolves at once without a warm-up, and after every thread's warm-up with one; jobs queued meanwhile give the inline results", async () => {
    const jobs = [1, 2, 3].map((s) => ({ scenario: scenario(s) }));
    const cold = new WorkerPool(1);
    const warm = new WorkerPool(2, { warmup: [6, 7].map((s) => ({ scenario: scenario(s) })) });
    try {
      await cold.warmedUp();
      // Submitted before the warm-up is over: they wait for it and are not changed by it.
      const during = warm.runAll(jobs);
      await warm.warmedUp();
      expect(await during).toEqual(await inlineRunner.runAll(jobs));
    } finally {
      await cold.close();
      await warm.close();
    }
  });

  test("a warm-up simulation that fails rejects warmedUp with its reason", async () => {
    const bad = scenario(1);
    const pool = new WorkerPool(1, { warmup: [{ scenario: { ...bad, host: { ...bad.host, scheduler: { kind: "bfs" } as never } } }] });
    try {
      await expect(pool.warmedUp()).rejects.toThrow(/^a warm-up simulation failed: \S/);
    } finally {
      await pool.close();
    }
  });

  test("a closed pool's warmedUp rejects rather than waiting forever", async () => {
    const pool = new WorkerPool(1, { warmup: [{ scenario: scenario(1) }] });
    const waiting = expect(pool.warmedUp()).rejects.toThrow(/closed/);
    await pool.close();
    await waiting;
  });
});

describe("warmupJobs", () => {
  test("covers every scheduler kind (credit1 at both timeslices), the calibration baseline and a generated fleet's hosts, the same every time", () => {
    const jobs = warmupJobs();
    const kinds = new Set(jobs.map((j) => {
      const s = j.scenario.host.scheduler;
      return s.kind === "xen-credit" ? `${s.kind}/${s.timesliceMs}` : s.kind;
    }));
    expect([...kinds].sort()).toEqual(["kvm-cfs", "kvm-eevdf", "xen-credit/30", "xen-credit/5", "xen-credit2"]);
    expect(jobs.some((j) => j.scenario.host.id.startsWith("baseline-"))).toBe(true);
    // The generated fleet: trace workloads and the request tail, as plan validation runs them.
    expect(jobs.some((j) => j.scenario.vms.some((v) => v.workload.kind === "trace"))).toBe(true);
    expect(jobs.some((j) => j.options?.requestTail)).toBe(true);
    expect(jobs.every((j) => j.scenario.durationMs <= 100)).toBe(true);
    expect(JSON.stringify(warmupJobs())).toBe(JSON.stringify(jobs));
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
