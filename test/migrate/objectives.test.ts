import { describe, expect, test } from "vitest";
import { currentHostOf, hostDraws } from "../../src/model/energy.js";
import { scoreCluster } from "../../src/interference/score.js";
import { growCluster } from "../../src/model/growth.js";
import { MigrationPlanSchema } from "../../src/model/migration.js";
import { planCluster } from "../../src/placement/plan.js";
import { migrationStatus } from "../../src/model/result-status.js";
import { planMigrations } from "../../src/migrate/plan-migrations.js";
import { checkRobustness, currentAssignments } from "../../src/placement/robustness/check.js";
import { applyPlan, doc, file, predictor } from "./helpers.js";

const sample = () => file("data/sample-cluster.json");

describe("consolidation with power-off recommendations", () => {
  test("every host the plan empties is listed with the watts it stops drawing; no SLO breaks on the way", () => {
    const c = sample();
    for (const objective of ["min-cost", "min-energy"] as const) {
      const cl = { ...c, policy: { ...c.policy, objective } };
      const plan = MigrationPlanSchema.parse(planMigrations(cl, predictor(), { mode: "consolidate", threshold: 5 }));
      const before = hostDraws(cl, currentHostOf(cl));
      const after = hostDraws(cl, currentHostOf(applyPlan(cl, plan)));
      const emptied = cl.hosts.filter((h, i) => before[i].on && !after[i].on).map((h) => h.id);
      expect(emptied.length, objective).toBeGreaterThan(0);
      expect(plan.energy!.powerOff.map((x) => x.host).sort()).toEqual(emptied.sort());
      for (const x of plan.energy!.powerOff) {
        const i = cl.hosts.findIndex((h) => h.id === x.host);
        expect(x.wattsSaved).toBeCloseTo(before[i].watts, 0);
        expect(x.kWhPerMonthSaved).toBeCloseTo((x.wattsSaved * 730) / 1000, 0);
        expect(x.vms).toBe(plan.moves.filter((m) => m.from === x.host).length);
        expect(x.savingPoints).toBeGreaterThan(x.movePoints);
        expect(x.movePoints).toBeCloseTo(plan.moves.filter((m) => m.from === x.host).reduce((s, m) => s + m.cost, 0), 0);
      }
      expect(plan.energy!.after.watts).toBeLessThan(plan.energy!.before.watts);
      expect(plan.energy!.after.hostsOn).toBe(plan.energy!.before.hostsOn - emptied.length + cl.hosts.filter((h, i) => !before[i].on && after[i].on).length);
      // The latency guard: the final state has no predicted breach and no violation.
      expect([plan.summary.after.breaches, plan.summary.after.violations]).toEqual([0, 0]);
    }
  });

  test("under n+1 a host is switched off only while every remaining host can still fail", () => {
    const c = sample();
    // Under min-energy the sample's free consolidation empties two hosts (under min-cost, with the
    // live-migration model's costs, only h06, which leaves every host able to fail anyway).
    const run = (robustness: "none" | "n+1") => planMigrations({ ...c, policy: { ...c.policy, robustness, objective: "min-energy" } }, predictor(), { mode: "consolidate", threshold: 5 });
    const verdict = (plan: ReturnType<typeof run>) => {
      const r = checkRobustness(c, currentAssignments(applyPlan(c, plan)), predictor(), { headroomPercent: 0 });
      if (!r.ok) throw new Error("refused");
      return r.section.nPlusOne.ok;
    };
    const free = run("none");
    const guarded = run("n+1");
    expect(verdict(free)).toBe(false);
    expect(verdict(guarded)).toBe(true);
    expect(guarded.robustness?.nPlusOne.ok).toBe(true);
    expect(guarded.energy!.powerOff.length).toBeGreaterThan(0);
    expect(guarded.energy!.powerOff.length).toBeLessThan(free.energy!.powerOff.length);
  });
});

describe("fan-out services in migration planning", () => {
  /** A service whose members sit beside 5 sleepers each on 4-core credit1 hosts, and quiet hosts to go to. */
  function crowded() {
    const hosts = Array.from({ length: 4 }, (_, k) => ({ id: `h${k}`, cores: 4, memoryMiB: 65536 }));
    const members = Array.from({ length: 4 }, (_, k) => ({ id: `web${k}`, vcpus: 1, memoryMiB: 2048, workload: { kind: "io" as const, requestsPerSec: 1000, serviceUs: 50 }, host: `h${k % 2}` }));
    const sleepers = Array.from({ length: 10 }, (_, k) => ({ id: `batch${k}`, vcpus: 1, memoryMiB: 2048, workload: { kind: "cpu" as const, dutyCycle: 0.5, burstMs: 10 }, host: `h${k % 2}` }));
    return doc({ hosts, vms: [...members, ...sleepers], services: [{ id: "search", vms: members.map((m) => m.id), fanout: 4, slo: { p99Ms: 2 } }] });
  }

  test("a service over its SLO gets mandatory member moves that bring its predicted tail within it", () => {
    const plan = planMigrations(crowded(), predictor(), { mode: "fix", threshold: 1 });
    const [s] = plan.services!;
    expect(s.before).toMatchObject({ id: "search", breach: true });
    expect(s.after.breach).toBe(false);
    expect(s.after.predictedP99Us).toBeLessThanOrEqual(2000);
    expect(plan.moves.length).toBeGreaterThan(0);
    expect(plan.moves.every((m) => m.priority === 1 && m.vmId.startsWith("web"))).toBe(true);
  });
});

describe("headroom in a running fleet", () => {
  test("a placement short of 40% headroom gets mandatory moves that restore it; without the policy it gets none", async () => {
    const c = sample();
    // The plain plan packs the sample tight: no breach today, some at +40% (the placer's headroom test shows it).
    const plain = await planCluster(c, predictor(), { solver: "heuristic", iterations: 3000 });
    const at = new Map(plain.assignments.map((a) => [a.vm, a.host]));
    const packed = { ...c, vms: c.vms.map((v) => ({ ...v, host: at.get(v.id) })) };
    const breachesAt = (x: typeof c, growth: number): number => scoreCluster(growCluster(x, growth), predictor()).vms.filter((v) => v.breach).length;
    expect([breachesAt(packed, 0), breachesAt(packed, 40) > 0]).toEqual([0, true]);

    expect(planMigrations(packed, predictor(), { mode: "fix", threshold: 1 }).moves).toEqual([]);
    const roomy = { ...packed, policy: { ...packed.policy, headroomPercent: 40 } };
    const plan = MigrationPlanSchema.parse(planMigrations(roomy, predictor(), { mode: "fix", threshold: 1 }));
    expect(plan.moves.length).toBeGreaterThan(0);
    expect(plan.moves.every((m) => m.kind === "restore-headroom" && m.priority === 1)).toBe(true);
    const after = applyPlan(roomy, plan);
    // Independent scorer: every SLO holds today and at +40% once the moves are done.
    expect([breachesAt(after, 0), breachesAt(after, 40)]).toEqual([0, 0]);
    expect(plan.robustness).toMatchObject({ headroomPercent: 40, headroom: { ok: true }, robust: true });
    expect(migrationStatus(plan)).toEqual({ status: "ok", reasons: [] });
    // With no move allowed the shortfall stays, and the status says so.
    const stuck = planMigrations(roomy, predictor(), { mode: "fix", threshold: 1, maxMoves: 0 });
    expect(stuck.moves).toEqual([]);
    expect(migrationStatus(stuck).reasons).toEqual([expect.objectContaining({ kind: "robustness", message: expect.stringMatching(/predicted SLO breach\(es\) with every VM's CPU demand 40% higher/) })]);
  }, 60_000);
});
