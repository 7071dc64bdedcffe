import { describe, expect, test } from "vitest";
import { scoreCluster } from "../../src/interference/score.js";
import { checkPlan } from "../../src/model/check-plan.js";
import { MigrationPlanSchema } from "../../src/model/migration.js";
import { planMigrations } from "../../src/migrate/plan-migrations.js";
import { applyPlan, file, predictor, replayWaves } from "./helpers.js";

const sample = file("data/sample-cluster.json");

describe("planMigrations on the sample cluster", () => {
  const plan = planMigrations(sample, predictor());

  test("removes the hot spot on h07 with one mandatory move", () => {
    const before = scoreCluster(sample, predictor());
    const after = scoreCluster(applyPlan(sample, plan), predictor());
    expect(before.vms.filter((v) => v.breach).map((v) => v.hostId)).toEqual(["h07"]);
    expect(after.vms.filter((v) => v.breach)).toEqual([]);
    expect(after.hosts.find((h) => h.hostId === "h07")?.level).toBe("none");
    expect(plan.moves.map((m) => [m.vmId, m.from, m.priority, m.kind])).toEqual([["web-3", "h07", 1, "fix-breach"]]);
    expect(plan.summary).toMatchObject({ before: { breaches: 1 }, after: { breaches: 0, violations: 0 } });
  });

  test("explains the move: why this VM, why this target, the predicted effect", () => {
    const m = plan.moves[0];
    expect(m.whyVm).toMatchObject({ code: "victim", helps: ["web-3"] });
    expect(m.whyTarget.feasible).toBeGreaterThan(0);
    expect(Object.keys(m.whyTarget.scores)).toContain("Risk");
    const e = m.effect.find((x) => x.vmId === "web-3")!;
    expect(e.beforeP999Us).toBeGreaterThan(e.sloP999Us!);
    expect(e.afterP999Us).toBeLessThan(e.sloP999Us!);
    expect(m.memoryMiB).toBe(4096);
  });

  test("the document parses with its schema", () => {
    expect(MigrationPlanSchema.safeParse(plan).success).toBe(true);
  });

  test.each([
    ["fix", {}],
    ["rebalance", { mode: "rebalance", threshold: 5 }],
    ["consolidate", { mode: "consolidate", threshold: 5 }],
    ["evacuate h01", { mode: "evacuate", host: "h01" }],
    ["one migration at a time", { mode: "consolidate", threshold: 5, maxConcurrent: 1 }],
  ] as const)("%s: no wave overflows a host, in flight or after, and no state breaks a constraint", (_name, options) => {
    const p = planMigrations(sample, predictor(), options);
    expect(replayWaves(sample, p)).toEqual([]);
    expect(p.waves.every((w) => w.violations === 0 && w.breaches <= p.summary.before.breaches)).toBe(true);
    expect(checkPlan(sample, applyPlan(sample, p).vms.map((v) => ({ vm: v.id, host: v.host! })))).toEqual([]);
  });

  test("concurrency limits hold in every wave", () => {
    const p = planMigrations(sample, predictor(), { mode: "consolidate", threshold: 5, maxConcurrent: 3, perHostConcurrent: 1 });
    expect(p.moves.length).toBeGreaterThan(3);
    for (const w of p.waves) {
      const moves = p.moves.filter((m) => m.wave === w.index);
      expect(moves.length).toBeLessThanOrEqual(3);
      const touches = moves.flatMap((m) => [m.from, m.to]);
      for (const h of new Set(touches)) expect(touches.filter((x) => x === h).length).toBeLessThanOrEqual(1);
    }
  });

  test("evacuate empties the host and never moves a VM onto it", () => {
    const p = planMigrations(sample, predictor(), { mode: "evacuate", host: "h01" });
    expect(applyPlan(sample, p).vms.filter((v) => v.host === "h01")).toEqual([]);
    expect(p.moves.filter((m) => m.kind === "evacuate").map((m) => m.priority)).toEqual(sample.vms.filter((v) => v.host === "h01").map(() => 1));
    expect(p.moves.some((m) => m.to === "h01")).toBe(false);
  });

  test("threshold 1 applies only mandatory moves; higher thresholds admit smaller gains", () => {
    const counts = [1, 3, 5].map((threshold) => planMigrations(sample, predictor(), { mode: "consolidate", threshold }));
    expect(counts[0].moves.every((m) => m.priority === 1)).toBe(true);
    for (const [k, p] of counts.entries()) expect(p.moves.every((m) => m.priority <= [1, 3, 5][k])).toBe(true);
    expect(counts[2].moves.length).toBeGreaterThan(counts[0].moves.length);
    expect(counts[2].summary.after.hostsUsed).toBeLessThan(counts[2].summary.before.hostsUsed);
  });

  test("every optional move's gain pays for the memory it copies", () => {
    const p = planMigrations(sample, predictor(), { mode: "consolidate", threshold: 5 });
    const optional = p.moves.filter((m) => m.priority > 1);
    expect(optional.length).toBeGreaterThan(0);
    // Consolidation is judged per emptied host: its moves share the host's gain.
    const byKind = (k: string) => optional.filter((m) => m.kind === k);
    const batch = byKind("consolidate");
    expect(batch.reduce((s, m) => s + m.gain, 0)).toBeGreaterThanOrEqual(batch.reduce((s, m) => s + m.cost, 0));
    for (const m of optional.filter((x) => x.kind !== "consolidate")) expect(m.gain).toBeGreaterThanOrEqual(m.cost);
  });

  test("is deterministic: same input and seed, same bytes", () => {
    const a = planMigrations(sample, predictor(), { mode: "consolidate", threshold: 5, seed: 7 });
    const b = planMigrations(sample, predictor(), { mode: "consolidate", threshold: 5, seed: 7 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  test("a time budget spent before the first move stops the plan and says so", () => {
    let t = 0;
    const p = planMigrations(sample, predictor(), { timeBudgetMs: 1 }, { now: () => (t += 10) });
    expect(p.stoppedOn).toBe("budget");
    expect(p.moves).toEqual([]);
  });
});

describe("planMigrations on a generated cluster with hot spots", () => {
  const medium = file("data/generated-medium.json");

  test("max-moves is honoured and the plan says it stopped on it", () => {
    const p = planMigrations(medium, predictor(), { maxMoves: 5 });
    expect(p.moves.length).toBeLessThanOrEqual(5);
    expect(p.stoppedOn).toBe("max-moves");
  });

  // Every predicted breach but those of hosts the plan lists as unresolved, with the reason. With
  // model-v7 one is left: vm0241 on h091 (16-core credit1, a mixed victim with a 5 ms p99.9 SLO
  // beside 1 ms-burst sleepers) is predicted at 6.1 ms and, after two CPU VMs leave, 5.2 ms; no
  // other VM of h091 has a host passing every filter. It is a real breach: simulated 20.9-22.4 ms
  // (30 s, seeds 1-3). model-v6 predicted 4.9 ms there and so left it unseen.
  test("removes every predicted breach it can move away safely, moving a small share of the VMs, and names the host it cannot fix", () => {
    const p = planMigrations(medium, predictor(), { seed: 3 });
    expect(p.summary.before.breaches).toBeGreaterThan(10);
    expect(p.summary.after.breaches).toBeLessThan(p.summary.before.breaches / 10);
    const unresolved = new Set(p.unresolved.filter((u) => u.kind === "breach").map((u) => u.hostId));
    const left = scoreCluster(applyPlan(medium, p), predictor()).vms.filter((v) => v.breach);
    expect(left.length).toBe(p.summary.after.breaches);
    for (const v of left) expect(unresolved.has(v.hostId), `${v.vmId} on ${v.hostId} breaches and is not listed as unresolved`).toBe(true);
    for (const u of p.unresolved) expect(u.reason).toMatch(/no host passes every filter|no VM on it can move|pinned/);
    expect(p.summary.after.violations).toBe(0);
    expect(p.summary.vmsMoved).toBeLessThan(medium.vms.length / 10);
    expect(replayWaves(medium, p)).toEqual([]);
    expect(Math.max(...p.waves.map((w) => w.risk))).toBeLessThanOrEqual(p.summary.before.risk);
  });
});

describe("planMigrations on the 1,000-host fleet (data/generated-large.json)", () => {
  // The 60 s goal is a speed target: bench/migrate.ts measures it, a unit test does not time it.
  test("removes every breach of a fleet with hundreds of hot spots safely, moving under a tenth of the VMs", () => {
    const large = file("data/generated-large.json");
    const p = planMigrations(large, predictor(), { seed: large.policy.seed }, { now: () => performance.now() });
    expect(p.stoppedOn).toBe("done");
    expect(p.summary.before.breaches).toBeGreaterThan(100);
    expect(p.summary.after).toMatchObject({ breaches: 0, violations: 0 });
    // A fresh plan moves nearly every VM (bench/migrate.ts counts 9,992 of 10,000).
    expect(p.summary.vmsMoved).toBeLessThan(large.vms.length / 10);
    expect(replayWaves(large, p)).toEqual([]);
  }, 120_000);
});
