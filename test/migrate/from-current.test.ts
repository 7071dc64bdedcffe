import { describe, expect, test } from "vitest";
import type { Cluster } from "../../src/model/cluster.js";
import { planMigrations } from "../../src/migrate/plan-migrations.js";
import { planFromCurrent, withTradeoff } from "../../src/migrate/from-current.js";
import { file, predictor, replayWaves } from "./helpers.js";

const sample = file("data/sample-cluster.json");
const medium = file("data/generated-medium.json");

function pin(c: Cluster, ids: string[]): Cluster {
  return { ...c, vms: c.vms.map((v) => (ids.includes(v.id) ? { ...v, pinned: true } : v)) };
}

describe("plan --from-current: moves from the current placement within limits", () => {
  test.each([0, 1, 3, 8, 20])("--max-moves %i is never exceeded, and the plan stays safe", (n) => {
    const { plan, unlimited } = planFromCurrent(medium, predictor(), { maxMoves: n, seed: 3 });
    expect(plan.options.mode).toBe("consolidate");
    expect(plan.moves.length).toBeLessThanOrEqual(n);
    expect(plan.summary.moves).toBeLessThanOrEqual(n);
    expect(replayWaves(medium, plan)).toEqual([]);
    expect(plan.summary.after.violations).toBeLessThanOrEqual(plan.summary.before.violations);
    expect(unlimited.moves.length).toBeGreaterThan(n);
    if (plan.moves.length < unlimited.moves.length) expect(plan.stoppedOn).toBe("max-moves");
  });

  test("the trade-off reports the current placement, the plan, the plan without limits, and what the limit gives up", () => {
    const { plan, unlimited } = planFromCurrent(medium, predictor(), { maxMoves: 3, seed: 3 });
    const t = withTradeoff(plan, unlimited).tradeoff!;
    expect(t.points.map((p) => p.label)).toEqual(["current", "this plan", "without limits"]);
    const [cur, here, there] = t.points;
    expect(cur).toMatchObject({ moves: 0, migratedMiB: 0, cost: plan.summary.before.cost, risk: plan.summary.before.risk, breaches: plan.summary.before.breaches });
    expect(here).toMatchObject({ moves: plan.summary.moves, cost: plan.summary.after.cost, risk: plan.summary.after.risk });
    expect(there).toMatchObject({ moves: unlimited.summary.moves, cost: unlimited.summary.after.cost, risk: unlimited.summary.after.risk });
    expect(t.givenUp.moves).toBe(there.moves - here.moves);
    expect(t.givenUp.cost).toBeCloseTo(here.cost - there.cost, 6);
    expect(t.givenUp.risk).toBeCloseTo(here.risk - there.risk, 2);
    // The predictor sees dozens of breaches in this fleet's current placement (each victim judged on
    // its own tail and bound); the plan without limits fixes them all, which three moves cannot, so
    // the limit gives up risk (and cost where hosts can also be switched off).
    expect(there.hostsUsed).toBeLessThanOrEqual(cur.hostsUsed);
    expect(there.breaches).toBeLessThan(here.breaches);
    expect(t.givenUp.risk).toBeGreaterThan(0);
    expect(t.givenUp.cost).toBeGreaterThanOrEqual(0);
  });

  test("--max-migrated-gib bounds the memory the migrations copy", () => {
    for (const gib of [0, 6, 40]) {
      const { plan } = planFromCurrent(medium, predictor(), { maxMigratedMiB: gib * 1024, seed: 3 });
      expect(plan.summary.memoryCopiedMiB).toBeLessThanOrEqual(gib * 1024);
      expect(plan.moves.reduce((s, m) => s + m.memoryMiB, 0)).toBeLessThanOrEqual(gib * 1024);
    }
    const { plan } = planFromCurrent(medium, predictor(), { maxMigratedMiB: 6 * 1024, seed: 3 });
    expect(plan.stoppedOn).toBe("max-migrated");
    expect(plan.options.maxMigratedMiB).toBe(6144);
  }, 60_000);

  test("the mode follows the objective: balance rebalances, min-risk reduces risk", () => {
    const balance = { ...sample, policy: { ...sample.policy, objective: "balance" as const } };
    expect(planFromCurrent(balance, predictor(), { maxMoves: 5 }).plan.options.mode).toBe("rebalance");
    const risk = { ...sample, policy: { ...sample.policy, objective: "min-risk" as const } };
    expect(planFromCurrent(risk, predictor(), { maxMoves: 5 }).plan.options).toMatchObject({ mode: "fix", threshold: 5 });
  });
});

describe("pinned VMs never move", () => {
  test("a pinned victim stays: its breach is fixed by moving its neighbours instead", () => {
    const plan = planMigrations(pin(sample, ["web-3"]), predictor());
    expect(plan.moves.some((m) => m.vmId === "web-3")).toBe(false);
    expect(plan.moves.length).toBeGreaterThan(0);
    expect(plan.moves.every((m) => m.from === "h07" && m.vmId.startsWith("sleepy-"))).toBe(true);
    expect(plan.summary.after.breaches).toBe(0);
  });

  test("policy.pinned pins by label; with every VM of the hot spot pinned, the breach is reported, not fixed", () => {
    const c: Cluster = { ...sample, policy: { ...sample.policy, pinned: [{ label: "app", value: "crawler" }] } };
    const plan = planMigrations(pin(c, ["web-3"]), predictor(), { mode: "consolidate", threshold: 5 });
    const crawlers = new Set(sample.vms.filter((v) => v.labels.app === "crawler").map((v) => v.id));
    expect(plan.moves.some((m) => crawlers.has(m.vmId) || m.vmId === "web-3")).toBe(false);
    expect(plan.unresolved).toContainEqual(expect.objectContaining({ kind: "breach", hostId: "h07", reason: expect.stringMatching(/pinned/) }));
  });

  test("evacuating a host with a pinned VM moves the rest and names the pinned one", () => {
    const plan = planMigrations(pin(sample, ["db-1"]), predictor(), { mode: "evacuate", host: "h01" });
    expect(plan.moves.some((m) => m.vmId === "db-1")).toBe(false);
    expect(plan.moves.filter((m) => m.from === "h01").length).toBeGreaterThan(0);
    expect(plan.unresolved).toContainEqual({ kind: "evacuate", hostId: "h01", vmIds: ["db-1"], reason: "pinned: it may not migrate" });
  });

  test("plan --from-current keeps pinned VMs where they are at every limit", () => {
    const pinnedIds = medium.vms.filter((_, j) => j % 3 === 0).map((v) => v.id);
    const c = pin(medium, pinnedIds);
    const ids = new Set(pinnedIds);
    for (const n of [5, 50]) expect(planFromCurrent(c, predictor(), { maxMoves: n, seed: 3 }).plan.moves.some((m) => ids.has(m.vmId))).toBe(false);
  });
});
