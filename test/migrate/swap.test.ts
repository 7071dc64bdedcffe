import { describe, expect, test } from "vitest";
import type { ClusterInput } from "../../src/model/cluster.js";
import { planMigrations } from "../../src/migrate/plan-migrations.js";
import { applyPlan, doc, predictor, replayWaves } from "./helpers.js";

/**
 * A swap cycle: web (a victim) breaches its SLO on `a` beside five sleepy CPU VMs bound to `a`;
 * the only host web may run on besides `a` is `b`, which a big idle VM fills; the idle VM fits on
 * `a` only once web has left, and web fits on `b` only once the idle VM has left. `c` may not
 * take web (label) but has room for the idle VM meanwhile, unless `cRoomMiB` says otherwise.
 */
function swapCluster(cRoomMiB: number): ClusterInput {
  const xen = { kind: "xen-credit" } as const;
  const sleepy = (k: number) => ({ id: `s${k}`, vcpus: 1, memoryMiB: 2048, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 10 }, host: "a" }) as const;
  return {
    hosts: [
      { id: "a", cores: 4, memoryMiB: 18432, scheduler: xen, labels: { net: "fast", pool: "batch" } },
      { id: "b", cores: 4, memoryMiB: 8192, scheduler: xen, labels: { net: "fast" } },
      { id: "c", cores: 4, memoryMiB: cRoomMiB, scheduler: xen, labels: { net: "slow" } },
    ],
    vms: [
      { id: "web", vcpus: 1, memoryMiB: 4096, workload: { kind: "io", requestsPerSec: 800, serviceUs: 150 }, slo: { p999Ms: 5 }, host: "a" },
      ...[1, 2, 3, 4, 5].map(sleepy),
      { id: "big", vcpus: 1, memoryMiB: 8192, workload: { kind: "idle" }, host: "b" },
    ],
    constraints: [
      { kind: "host-label", vms: ["web"], label: "net", value: "fast" },
      { kind: "host-label", vms: ["s1", "s2", "s3", "s4", "s5"], label: "pool", value: "batch" },
    ],
  };
}

describe("swap cycles", () => {
  test("a swap that neither side can start is broken by parking one VM on a temporary host", () => {
    const c = doc(swapCluster(8192));
    const p = planMigrations(c, predictor());
    expect(p.summary.before.breaches).toBe(1);
    expect(p.moves.map((m) => [m.wave, m.vmId, m.from, m.to, m.leg])).toEqual([
      [1, "big", "b", "c", "park"],
      [2, "web", "a", "b", "direct"],
      [3, "big", "c", "a", "unpark"],
    ]);
    expect(p.moves.find((m) => m.leg === "park")?.whyTarget.temporary).toBe(true);
    expect(p.moves.find((m) => m.vmId === "web")?.whyVm.code).toBe("victim");
    expect(p.moves.find((m) => m.leg === "unpark")?.whyVm.code).toBe("making-room");
    expect(replayWaves(c, p)).toEqual([]);
    expect(p.summary.after.breaches).toBe(0);
    expect(applyPlan(c, p).vms.find((v) => v.id === "big")?.host).toBe("a");
  });

  test("with nowhere to park, the cycle is reported unscheduled and nothing unsafe runs", () => {
    const c = doc(swapCluster(4096));
    const p = planMigrations(c, predictor());
    expect(p.moves).toEqual([]);
    expect(p.unresolved.map((u) => [u.kind, u.vmIds])).toEqual([
      ["unscheduled", ["web"]],
      ["unscheduled", ["big"]],
    ]);
    expect(p.summary.after.breaches).toBe(1);
  });

  test("parking counts against max-moves: a plan that cannot afford the extra leg leaves the cycle unscheduled", () => {
    const c = doc(swapCluster(8192));
    const p = planMigrations(c, predictor(), { maxMoves: 2 });
    expect(p.moves).toEqual([]);
    expect(p.unresolved.filter((u) => u.kind === "unscheduled")).toHaveLength(2);
  });
});
