import { describe, expect, test } from "vitest";
import type { ClusterInput } from "../../src/model/cluster.js";
import { PlanSchema } from "../../src/model/plan.js";
import { planCluster } from "../../src/placement/plan.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { simulateHost } from "../../src/sim/simulate-host.js";
import { cluster, predictor } from "./helpers.js";

// Short simulations keep the suite fast; 4 s at 1,000 requests/s still gives 4,000 samples.
const DURATION_MS = 4000;
const WARMUP_MS = 1000;
const SLO_P999_MS = 5;

/**
 * Two 4-core Xen credit1 hosts (30 ms slices). Memory and vCPUs allow everything on one host,
 * which is the only cheap packing: four sleepy CPU-bound VMs beside a latency-sensitive one,
 * i.e. the Bobtail condition (sleepy vCPUs + the victim's vCPU outnumber the cores).
 */
const doc: ClusterInput = {
  hosts: ["h1", "h2"].map((id) => ({ id, cores: 4, memoryMiB: 16384, scheduler: { kind: "xen-credit" } })),
  vms: [
    { id: "web", vcpus: 1, memoryMiB: 2048, workload: { kind: "io", requestsPerSec: 1000, serviceUs: 50 }, slo: { p999Ms: SLO_P999_MS } },
    ...Array.from({ length: 4 }, (_, k) => ({ id: `batch${k}`, vcpus: 1, memoryMiB: 2048, workload: { kind: "cpu" as const, dutyCycle: 0.5, burstMs: 10 } })),
  ],
  policy: { seed: 7 },
};

describe("the Bobtail spread case", () => {
  test("the plan spreads sleepy CPU-bound VMs away from the latency-sensitive one, and simulation confirms it", async () => {
    const c = cluster(doc);
    const naive = simulateHost({ host: c.hosts[0], vms: c.vms, durationMs: DURATION_MS, warmupMs: WARMUP_MS, seed: 7 });
    const naiveP999 = naive.vms.find((v) => v.id === "web")!.requestLatency.p999Us;
    expect(naiveP999, "the one-host packing breaches the SLO in simulation").toBeGreaterThan(SLO_P999_MS * 1000);

    const plan = PlanSchema.parse(
      await planCluster(c, predictor(), { solver: "heuristic", iterations: 500, validation: { runner: inlineRunner, durationMs: DURATION_MS, warmupMs: WARMUP_MS, maxRounds: 3 } }),
    );
    expect(plan.hostsUsed).toBe(2);
    const webHost = plan.assignments.find((a) => a.vm === "web")!.host;
    const beside = plan.assignments.filter((a) => a.host === webHost && a.vm !== "web").length;
    expect(beside, "sleepers beside the victim").toBeLessThan(4);
    const v = plan.validation.vms.find((x) => x.vm === "web")!;
    expect(plan.validation.performed).toBe(true);
    expect(v.simulatedP999Us).toBeDefined();
    expect(v.simulatedP999Us!).toBeLessThanOrEqual(SLO_P999_MS * 1000);
    expect(v.simulatedP999Us!).toBeLessThan(naiveP999);
    expect(plan.slo).toMatchObject({ predictedBreaches: 0, simulatedBreachesAfter: 0 });
    expect(plan.check.ok).toBe(true);
  }, 60_000);
});
