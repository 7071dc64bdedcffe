import { describe, expect, test } from "vitest";
import { checkPlan } from "../../src/model/check-plan.js";
import { MigrationPlanSchema, type MigrationPlan } from "../../src/model/migration.js";
import type { HostSimResult } from "../../src/model/scenario.js";
import { planMigrations, planMigrationSession } from "../../src/migrate/plan-migrations.js";
import { resimulateAndRepair } from "../../src/migrate/repair.js";
import { renderDocument } from "../../src/report/render.js";
import { inlineRunner, type SimRunner } from "../../src/sim/runner.js";
import { applyPlan, file, predictor, replayWaves } from "./helpers.js";

const sample = file("data/sample-cluster.json");
// Short simulations: the stub decides the breach; the real simulator only has to run.
const SIM = { durationMs: 400, warmupMs: 100, seed: 1 };

/**
 * breachingRunner simulates for real (inlineRunner), then makes the named hosts' latency-sensitive
 * VMs miss their SLO by 10 ms in the first `calls` batches: the predictor said the composition was
 * fine, the simulation says it is not.
 */
function breachingRunner(hosts: () => ReadonlySet<string>, calls: number): SimRunner & { batches: string[][] } {
  const batches: string[][] = [];
  return {
    batches,
    async runAll(jobs, onDone) {
      const out = await inlineRunner.runAll(jobs, onDone);
      batches.push(out.map((r) => r.hostId));
      if (batches.length > calls) return out;
      return out.map((r): HostSimResult => (hosts().has(r.hostId) ? { ...r, vms: r.vms.map((v) => (v.requestLatency.count > 0 ? { ...v, requestLatency: { ...v.requestLatency, p99Us: v.requestLatency.p99Us + 10_000, p999Us: v.requestLatency.p999Us + 10_000 } } : v)) } : r));
    },
    async close() {},
  };
}

async function planAndRepair(runner: SimRunner, maxRounds?: number): Promise<MigrationPlan> {
  const { plan, session } = planMigrationSession(sample, predictor());
  return resimulateAndRepair(sample, predictor(), session, plan, runner, { ...SIM, maxRounds });
}

describe("repair of simulated breaches after migration planning", () => {
  const base = planMigrations(sample, predictor());
  const target = base.moves[0].to;

  test("a host the predictor passes but the simulation breaches gets a mandatory repair move", async () => {
    const runner = breachingRunner(() => new Set([target]), 1);
    const plan = await planAndRepair(runner);
    expect(MigrationPlanSchema.safeParse(plan).success).toBe(true);
    // The original move stays; the repair adds priority-1 fix-breach moves off the breached host.
    expect(plan.moves.find((m) => m.vmId === "web-3")).toMatchObject({ from: "h07", to: target });
    const repairs = plan.moves.filter((m) => m.from === target);
    expect(repairs.length).toBeGreaterThan(0);
    for (const m of repairs) {
      expect(m).toMatchObject({ kind: "fix-breach", priority: 1, whyVm: { code: "aggressor" } });
      expect(m.whyVm.helps).toContain("web-3");
      expect(sample.vms.find((v) => v.id === m.vmId)!.workload.kind).not.toBe("io");
      expect(m.to).not.toBe(target);
    }
    // First batch: the plan's changed hosts; then only the hosts the repair touched.
    expect(runner.batches[0]).toEqual([target]);
    expect(runner.batches.length).toBe(2);
    expect(runner.batches[1]).toContain(target);
    const sim = plan.simulation!;
    const breachedFirst = sample.vms.filter((v) => v.host === target && v.slo !== undefined).length + 1;
    expect(sim.repair).toEqual({ rounds: 1, found: breachedFirst, repaired: breachedFirst, moves: repairs.length });
    expect(sim.breaches).toBe(0);
    expect(sim.hosts.map((h) => h.hostId)).toContain(target);
  });

  test("the repaired plan's waves stay safe and its final state breaks no hard constraint", async () => {
    const plan = await planAndRepair(breachingRunner(() => new Set([target]), 1));
    expect(replayWaves(sample, plan)).toEqual([]);
    expect(plan.waves.every((w) => w.violations === 0 && w.breaches <= plan.summary.before.breaches)).toBe(true);
    expect(plan.summary.after).toMatchObject({ breaches: 0, violations: 0 });
    expect(checkPlan(sample, applyPlan(sample, plan).vms.map((v) => ({ vm: v.id, host: v.host! })))).toEqual([]);
    expect(plan.unresolved).toEqual([]);
  });

  test("deterministic: the same inputs give the same repaired plan", async () => {
    const a = await planAndRepair(breachingRunner(() => new Set([target]), 1));
    const b = await planAndRepair(breachingRunner(() => new Set([target]), 1));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  test("bounded: a breach that never yields stops after two repair rounds and is reported as remaining", async () => {
    // Every simulated host breaches, every time: nothing the repair does can end it.
    const runner = breachingRunner(() => new Set(sample.hosts.map((h) => h.id)), Infinity);
    const plan = await planAndRepair(runner);
    const sim = plan.simulation!;
    expect(sim.repair!.rounds).toBeLessThanOrEqual(2);
    expect(runner.batches.length).toBe(1 + sim.repair!.rounds);
    expect(sim.breaches).toBeGreaterThan(0);
    expect(sim.repair!.repaired).toBeLessThan(sim.repair!.found);
    expect(replayWaves(sample, plan)).toEqual([]);
    expect(plan.waves.every((w) => w.violations === 0)).toBe(true);
    const md = renderDocument({ kind: "migration", doc: plan }, "md");
    expect(md).toContain(`The first simulation found ${sim.repair!.found}; ${sim.repair!.repaired} repaired in ${sim.repair!.rounds} round(s)`);
    expect(md).toContain(`${sim.breaches} remain`);
  });

  test("no simulated breach: the plan is the planner's, with a zero repair record", async () => {
    const plan = await planAndRepair(inlineRunner);
    expect(plan.moves).toEqual(base.moves);
    expect(plan.simulation!.repair).toEqual({ rounds: 0, found: 0, repaired: 0, moves: 0 });
    expect(plan.simulation!.breaches).toBe(0);
  });

  test("maxRounds 0 only re-simulates: the breach is found and left", async () => {
    const plan = await planAndRepair(breachingRunner(() => new Set([target]), 1), 0);
    expect(plan.moves).toEqual(base.moves);
    expect(plan.simulation!.repair).toMatchObject({ rounds: 0, repaired: 0, moves: 0 });
    expect(plan.simulation!.breaches).toBe(plan.simulation!.repair!.found);
  });
});
