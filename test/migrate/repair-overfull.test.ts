import { describe, expect, test } from "vitest";
import { planMigrationSession } from "../../src/migrate/plan-migrations.js";
import { resimulateAndRepair } from "../../src/migrate/repair.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { ALL_MECHANISMS } from "../../src/interference/core/scheduler-core.js";
import { Predictor } from "../../src/interference/predictor.js";
import { doc, predictor } from "./helpers.js";

// model-v14 sees this host (cfs.ts overfullEpisodes): the guard is shown with that term off, as
// the prediction is still blind to the balancer's fresh hogs (1- and 2-vCPU victims).
const blind = (): Predictor => new Predictor(predictor().model, { ...ALL_MECHANISMS, cfsOverfull: false });

/**
 * The migration plan's repair on a host whose breach the prediction is blind to: 10 one-vCPU
 * CPU-bound VMs and a 4-vCPU io VM on 8 CFS cores (test/placement/repair-overfull.test.ts has the
 * placer's). The predictor sees no delay, so the planner moves nothing; the simulation breaches,
 * and the repair moves CPU-bound VMs until a core's worth of the host's demand is free: 10.15
 * cores less 7 is 3.15, four 1-core VMs (one, as before, when the prediction sized it).
 */
describe("migration repair of a breach the prediction is blind to", () => {
  test("fix-breach moves until a core's worth of demand is free", async () => {
    const cfs = { kind: "kvm-cfs" as const };
    const c = doc({
      hosts: [
        { id: "h1", cores: 8, memoryMiB: 65536, cost: 1, scheduler: cfs },
        { id: "h2", cores: 8, memoryMiB: 65536, cost: 1, scheduler: cfs },
      ],
      vms: [
        { id: "io", host: "h1", vcpus: 4, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 1000, serviceUs: 150 }, slo: { p999Ms: 2 } },
        ...Array.from({ length: 10 }, (_, k) => ({ id: `cpu${k}`, host: "h1", vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu" as const, dutyCycle: 1, burstMs: 10 } })),
      ],
      policy: { cpuOvercommit: 4 },
    });
    const { plan, session } = planMigrationSession(c, blind());
    expect(plan.moves).toEqual([]);
    const out = await resimulateAndRepair(c, blind(), session, plan, inlineRunner, { durationMs: 2000, warmupMs: 500, seed: 1, alsoHosts: ["h1"], maxRounds: 1 });
    const fixes = out.moves.filter((m) => m.from === "h1");
    expect(fixes.length).toBe(4);
    for (const m of fixes) expect(m).toMatchObject({ kind: "fix-breach", to: "h2" });
  });
});
