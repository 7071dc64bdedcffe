import { describe, expect, test } from "vitest";
import type { ClusterInput } from "../../src/model/cluster.js";
import { MigrationPolicySchema } from "../../src/model/fleet-policy.js";
import { estimateMigration, mibPerSec } from "../../src/migrate/cost-model.js";
import { moveCost } from "../../src/migrate/points.js";
import { planMigrations } from "../../src/migrate/plan-migrations.js";
import { doc, file, predictor, replayWaves } from "./helpers.js";

const policy = MigrationPolicySchema.parse({});
// 10 Gbit/s = 1e10 / 8 bytes/s = 1192.09 MiB/s.
const R = 1e10 / 8 / 1048576;

describe("pre-copy live-migration model", () => {
  test("a 10 Gbit/s link carries 1192 MiB/s", () => {
    expect(mibPerSec(10_000)).toBeCloseTo(1192.09, 2);
  });

  test("a VM that dirties nothing: one round of all its memory, then only the switch-over", () => {
    const e = estimateMigration(8192, 0, 10_000, policy);
    // 8192 / 1192.09 = 6.872 s of copying; the pause is the 50 ms switch-over.
    expect(e.rounds).toBe(1);
    expect(e.converged).toBe(true);
    expect(e.downtimeMs).toBeCloseTo(50, 6);
    expect(e.durationSec).toBeCloseTo(8192 / R + 0.05, 6);
    expect(e.copiedMiB).toBe(8192);
  });

  test("dirtying at half the link's rate halves each round until the rest fits the 300 ms target", () => {
    const e = estimateMigration(8192, R / 2, 10_000, policy);
    // Round k copies 8192/2^k MiB (6.872 s / 2^k); after 5 rounds 256 MiB is left: 0.2147 s ≤ 0.3 s.
    const t0 = 8192 / R;
    expect(e.rounds).toBe(5);
    expect(e.converged).toBe(true);
    expect(e.downtimeMs).toBeCloseTo((t0 / 32) * 1000 + 50, 6);
    expect(e.durationSec).toBeCloseTo(t0 * (1 + 1 / 2 + 1 / 4 + 1 / 8 + 1 / 16) + t0 / 32 + 0.05, 6);
    expect(e.copiedMiB).toBeCloseTo(8192 * (2 - 1 / 32), 6);
  });

  test("dirtying as fast as the link copies never converges: the whole memory is copied paused", () => {
    const e = estimateMigration(8192, R * 2, 10_000, policy);
    expect(e.converged).toBe(false);
    expect(e.rounds).toBe(1);
    expect(e.downtimeMs).toBeCloseTo((8192 / R) * 1000 + 50, 6);
  });

  test("the round limit forces the stop-and-copy with what is left", () => {
    const e = estimateMigration(8192, R * 0.9, 10_000, { ...policy, maxRounds: 3 });
    expect(e.converged).toBe(false);
    expect(e.rounds).toBe(3);
    // After three rounds 8192 · 0.9³ MiB remain.
    expect(e.downtimeMs).toBeCloseTo(((8192 * 0.729) / R) * 1000 + 50, 6);
  });

  test("a move costs more the faster its VM dirties memory, and less on a faster link", () => {
    const quiet = moveCost(estimateMigration(8192, 0, 5000, policy));
    const busy = moveCost(estimateMigration(8192, 300, 5000, policy));
    const fast = moveCost(estimateMigration(8192, 300, 20_000, policy));
    expect(busy).toBeGreaterThan(quiet);
    expect(fast).toBeLessThan(busy);
    // The old rule was one point per 8 GiB: a quiet 8 GiB VM over half a 10 Gbit/s link stays near it.
    expect(quiet).toBeGreaterThan(0.8);
    expect(quiet).toBeLessThan(1.1);
  });
});

/** linkLoad replays the plan document alone: Mbit/s each wave puts through each host. */
function linkLoad(plan: ReturnType<typeof planMigrations>): Map<string, number>[] {
  return plan.waves.map((w) => {
    const m = new Map<string, number>();
    for (const mv of plan.moves.filter((x) => x.wave === w.index)) for (const h of [mv.from, mv.to]) m.set(h, (m.get(h) ?? 0) + mv.bandwidthMbps);
    return m;
  });
}

describe("waves under the migration model", () => {
  const medium = file("data/generated-medium.json");

  test("no wave oversubscribes a host's migration link; waves run one after another", () => {
    const plan = planMigrations(medium, predictor(), { mode: "rebalance", threshold: 5, maxConcurrent: 16, seed: 3 });
    expect(plan.moves.length).toBeGreaterThan(10);
    for (const loads of linkLoad(plan)) for (const mbps of loads.values()) expect(mbps).toBeLessThanOrEqual(medium.policy.migration.bandwidthMbps + 0.5);
    let t = 0;
    for (const w of plan.waves) {
      const moves = plan.moves.filter((m) => m.wave === w.index);
      expect(w.startSec).toBeCloseTo(t, 1);
      expect(w.durationSec).toBeCloseTo(Math.max(...moves.map((m) => m.durationSec)), 1);
      expect(w.linkPeakFraction).toBeLessThanOrEqual(1);
      t += w.durationSec;
    }
    expect(plan.summary.durationSec).toBeCloseTo(t, 0);
    expect(plan.summary.worstDowntimeMs).toBe(Math.max(...plan.moves.map((m) => m.downtimeMs)));
  });

  test("one migration per host at a time gets the whole link; a second shares it", () => {
    const one = planMigrations(file("data/sample-cluster.json"), predictor(), { mode: "evacuate", host: "h01", perHostConcurrent: 1 });
    const two = planMigrations(file("data/sample-cluster.json"), predictor(), { mode: "evacuate", host: "h01", perHostConcurrent: 2 });
    expect(one.moves.length).toBeGreaterThan(1);
    // No two migrations of a wave share a host, so each has both its links to itself.
    for (const loads of linkLoad(one)) for (const mbps of loads.values()) expect(mbps).toBe(10_000);
    for (const m of one.moves) expect(m.bandwidthMbps).toBe(10_000);
    expect(two.moves.some((m) => m.bandwidthMbps === 5000)).toBe(true);
    expect(two.waves.length).toBeLessThan(one.waves.length);
  });

  test("per-host concurrency defaults to the cluster's policy.migration.concurrentPerHost", () => {
    const c = file("data/sample-cluster.json");
    const plan = planMigrations({ ...c, policy: { ...c.policy, migration: { ...c.policy.migration, concurrentPerHost: 1 } } }, predictor(), { mode: "evacuate", host: "h01" });
    expect(plan.options.perHostConcurrent).toBe(1);
    expect(plan.migrationPolicy.concurrentPerHost).toBe(1);
    expect(Math.min(...plan.waves.map((w) => w.steps.length))).toBe(1);
    expect(plan.waves.length).toBeGreaterThan(plan.moves.length / 2);
  });
});

/** Host x runs web beside three sleepy CPU VMs (fine); host y holds one idle VM worth emptying. */
function edgeCluster(cpuCoresPerGbps: number): ClusterInput {
  const sleepy = (k: number) => ({ id: `s${k}`, vcpus: 1, memoryMiB: 2048, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 10 }, host: "x" }) as const;
  return {
    hosts: [
      { id: "x", cores: 4, memoryMiB: 65536 },
      { id: "y", cores: 4, memoryMiB: 65536 },
    ],
    vms: [
      { id: "web", vcpus: 1, memoryMiB: 4096, workload: { kind: "io", requestsPerSec: 800, serviceUs: 150 }, slo: { p999Ms: 5 }, host: "x" },
      ...[1, 2, 3].map(sleepy),
      { id: "spare", vcpus: 1, memoryMiB: 2048, workload: { kind: "idle" }, host: "y" },
    ],
    policy: { migration: { cpuCoresPerGbps } },
  };
}

describe("the copy threads' CPU in the transient check", () => {
  test("an optional move whose copy thread would tip a Bobtail-edge host over is not run", () => {
    // Three sleepy vCPUs and web's own fill 4 cores; the copy thread at 10 Gbit/s is a fifth busy one.
    const p = planMigrations(doc(edgeCluster(0.1)), predictor(), { mode: "consolidate", threshold: 5 });
    expect(p.moves).toEqual([]);
    expect(p.unresolved).toEqual([expect.objectContaining({ kind: "unscheduled", vmIds: ["spare"], reason: expect.stringMatching(/copy threads' CPU/) })]);
  });

  test("without copy-thread CPU the same consolidation runs, and nothing breaches during it", () => {
    const p = planMigrations(doc(edgeCluster(0)), predictor(), { mode: "consolidate", threshold: 5 });
    expect(p.moves.map((m) => [m.vmId, m.from, m.to])).toEqual([["spare", "y", "x"]]);
    expect(p.waves[0].transientBreaches).toBe(0);
  });

  test("a mandatory fix may load the host it fixes, and its wave reports the breach while it runs", () => {
    const p = planMigrations(file("data/sample-cluster.json"), predictor());
    expect(p.moves.map((m) => [m.vmId, m.priority])).toEqual([["web-3", 1]]);
    // web-3 breaches on h07 before the move and until its switch-over.
    expect(p.waves[0].transientBreaches).toBeGreaterThanOrEqual(1);
    expect(p.waves[0].transientNewBreaches).toBe(0);
  });
});

describe("disruption budgets", () => {
  function webFleet(budget: boolean): ClusterInput {
    const web = (k: number) => ({ id: `web-${k}`, vcpus: 1, memoryMiB: 2048, workload: { kind: "io", requestsPerSec: 100, serviceUs: 100 }, host: "a", labels: { app: "web" } }) as const;
    return {
      hosts: ["a", "b", "c", "d"].map((id) => ({ id, cores: 16, memoryMiB: 65536 })),
      vms: [1, 2, 3, 4].map(web),
      policy: { migration: { concurrentPerHost: 8 }, disruptionBudgets: budget ? [{ label: "app", maxMoving: 1 }] : [] },
    };
  }

  test("at most k VMs of a label group move at once", () => {
    const c = doc(webFleet(true));
    const p = planMigrations(c, predictor(), { mode: "evacuate", host: "a" });
    expect(p.moves).toHaveLength(4);
    for (const w of p.waves) expect(w.steps).toHaveLength(1);
    expect(p.disruptionBudgets).toEqual([{ label: "app", maxMoving: 1 }]);
    expect(replayWaves(c, p)).toEqual([]);
  });

  test("without the budget the same evacuation runs its moves together", () => {
    const p = planMigrations(doc(webFleet(false)), predictor(), { mode: "evacuate", host: "a" });
    expect(p.moves).toHaveLength(4);
    expect(Math.max(...p.waves.map((w) => w.steps.length))).toBeGreaterThan(1);
  });
});
