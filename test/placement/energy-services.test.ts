import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { fanoutExceedance } from "../../src/interference/fanout.js";
import { scoreCluster } from "../../src/interference/score.js";
import { predictedTail } from "../../src/interference/tail.js";
import type { ClusterInput } from "../../src/model/cluster.js";
import { hostDraws } from "../../src/model/energy.js";
import { PlanSchema } from "../../src/model/plan.js";
import { planCluster } from "../../src/placement/plan.js";
import { serviceTail } from "../../src/placement/plugins/service-tail.js";
import { buildProblem } from "../../src/placement/problem.js";
import { ledgerOf, serviceIndex } from "../../src/placement/service-index.js";
import { PlacementState } from "../../src/placement/state.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { cluster, predictor } from "./helpers.js";

const cpuVm = (id: string, duty = 0.3) => ({ id, vcpus: 2, memoryMiB: 4096, workload: { kind: "cpu" as const, dutyCycle: duty, burstMs: 10 } });

/**
 * Two kinds of 16-core host: "old" costs 1 and idles at 250 W, "new" costs 1.2 and idles at
 * 80 W. 24 two-vCPU VMs fill two hosts either way (32 vCPUs each at overcommit 2).
 */
function twoGenerations(objective: "min-cost" | "min-energy"): ClusterInput {
  const host = (id: string, gen: "old" | "new") => ({
    id,
    cores: 16,
    memoryMiB: 131072,
    cost: gen === "old" ? 1 : 1.2,
    power: gen === "old" ? { idleWatts: 250, peakWatts: 400 } : { idleWatts: 80, peakWatts: 250 },
    labels: { gen },
  });
  return {
    hosts: [host("o1", "old"), host("o2", "old"), host("o3", "old"), host("n1", "new"), host("n2", "new"), host("n3", "new")],
    vms: Array.from({ length: 24 }, (_, k) => cpuVm(`vm${k}`)),
    policy: { objective, seed: 3 },
  };
}

describe("min-energy", () => {
  test("min-cost packs the cheap, hungry hosts; min-energy the efficient ones; each wins on its own measure", async () => {
    const plans = await Promise.all((["min-cost", "min-energy"] as const).map((o) => planCluster(cluster(twoGenerations(o)), predictor(), { solver: "heuristic", iterations: 2000 })));
    const [cost, energy] = plans.map((p) => PlanSchema.parse(p));
    expect(cost.usedHosts.every((h) => h.startsWith("o"))).toBe(true);
    expect(energy.usedHosts.every((h) => h.startsWith("n"))).toBe(true);
    expect(energy.energy!.plan.watts).toBeLessThan(cost.energy!.plan.watts);
    expect(cost.cost).toBeLessThan(energy.cost);
    for (const p of [cost, energy]) expect([p.check.ok, p.unplaced.length, p.hostsUsed]).toEqual([true, 0, 2]);
    // 24 VMs at 0.6 CPU each over two 16-core hosts: 45% utilisation, 80 + 170 x 0.45 W each.
    expect(energy.energy!.plan.watts).toBeCloseTo(2 * (80 + 170 * 0.45), 0);
    expect(energy.objectiveValue).toBeCloseTo(energy.energy!.plan.watts, 0);
  });

  test("the search's incremental watts equal the draw recomputed from scratch after random moves (driver domains included)", () => {
    const base = twoGenerations("min-energy");
    const io = Array.from({ length: 6 }, (_, k) => ({ id: `io${k}`, vcpus: 1, memoryMiB: 1024, workload: { kind: "io" as const, requestsPerSec: 5000, serviceUs: 100 } }));
    const hosts = base.hosts.map((h, k) => ({ ...h, power: { ...h.power, standbyWatts: k }, ...(k % 2 === 0 ? { driverDomain: {} } : {}) }));
    const c = cluster({ ...base, hosts, vms: [...base.vms, ...io] });
    const p = buildProblem(c, predictor());
    const s = new PlacementState(p);
    const rng = seedrandom.alea("watts");
    for (let step = 0; step < 400; step++) {
      const j = Math.floor(rng() * p.nVms);
      if (s.hostOf[j] >= 0 && rng() < 0.3) s.unassign(j);
      else if (s.hostOf[j] >= 0) s.move(j, Math.floor(rng() * p.nHosts));
      else s.assign(j, Math.floor(rng() * p.nHosts));
    }
    const fresh = hostDraws(c, s.hostOf).reduce((w, d) => w + d.watts, 0);
    expect(s.watts).toBeCloseTo(fresh, 6);
  });
});

/**
 * A fan-out service of 8 io VMs (no SLO of their own) and 12 sleepy CPU VMs on 4-core credit1
 * hosts that hold 7 VMs each (memory): three hosts take all 20. A member beside 4 or more
 * sleepers waits behind boosted bursts (Bobtail: sleepers + victim outnumber the cores), which no
 * per-VM SLO forbids here; the service's SLO does.
 */
function fanoutCluster(sloP99Ms: number): ClusterInput {
  return {
    hosts: Array.from({ length: 6 }, (_, k) => ({ id: `h${k}`, cores: 4, memoryMiB: 7 * 2048 })),
    vms: [
      ...Array.from({ length: 8 }, (_, k) => ({ id: `web${k}`, vcpus: 1, memoryMiB: 2048, workload: { kind: "io" as const, requestsPerSec: 1000, serviceUs: 50 } })),
      ...Array.from({ length: 12 }, (_, k) => ({ id: `batch${k}`, vcpus: 1, memoryMiB: 2048, workload: { kind: "cpu" as const, dutyCycle: 0.5, burstMs: 10 } })),
    ],
    services: [{ id: "search", vms: Array.from({ length: 8 }, (_, k) => `web${k}`), fanout: 8, slo: { p99Ms: sloP99Ms } }],
    policy: { seed: 5 },
  };
}

describe("fan-out services", () => {
  test("the placer keeps the service's tail within its SLO by keeping members away from sleepy neighbours", async () => {
    const run = (slo: number) => planCluster(cluster(fanoutCluster(slo)), predictor(), { solver: "heuristic", iterations: 3000 });
    const [loose, tight] = [await run(1000), await run(1)];
    expect(loose.services![0].predictedP99Us).toBeGreaterThan(1000);
    // Spreading the members (4 + 4 beside at most 3 sleepers each) costs no host here.
    expect([loose.hostsUsed, tight.hostsUsed]).toEqual([3, 3]);
    expect(tight.services![0]).toMatchObject({ id: "search", vms: 8, fanout: 8, breach: false, sloP99Us: 1000 });
    expect(tight.services![0].predictedP99Us).toBeLessThanOrEqual(1000);
    expect(tight.services![0].predictedExceedance).toBeLessThanOrEqual(0.01);
    expect([tight.check.ok, tight.unplaced.length]).toEqual([true, 0]);
  });

  test("the ServiceTail filter refuses the sleeper that would take the service over its budget, and the exact tail agrees", () => {
    const c = cluster(fanoutCluster(1));
    const p = buildProblem(c, predictor());
    const s = new PlacementState(p);
    for (let k = 0; k < 8; k++) s.assign(k, k % 2); // members on h0 and h1
    const g = serviceIndex(p).groups[0];
    const l = ledgerOf(s);
    let refused = -1;
    for (let j = 8; j < 20 && refused < 0; j++) {
      if (!serviceTail.fits(s, j, 0)) refused = j;
      else s.assign(j, 0);
    }
    expect(refused).toBeGreaterThan(8);
    // Accepted so far: the exact fan-out tail is within the SLO (the union bound is above it).
    const tails = () => [...g.members].map((j) => {
      const [d99, d999] = l.delays(s.hostOf[j]);
      return predictedTail(l.index.base99[j] + d99, l.index.base999[j] + d999);
    });
    expect(fanoutExceedance(tails(), 8, 1000)).toBeLessThanOrEqual(0.01);
    const st = serviceTail.filter(s, refused, 0);
    expect(st.code).toBe("infeasible");
    expect(st.reasons[0]).toMatchObject({ constraint: "ServiceTail", resource: "p99Exceedance", group: "services[0]" });
    expect(st.reasons[0].used + st.reasons[0].requested).toBeGreaterThan(g.budgets[0]);
  });

  test("validation reports the service's simulated tail beside the predicted one", async () => {
    const validation = { runner: inlineRunner, durationMs: 2000, warmupMs: 500, maxRounds: 1 };
    const plan = await planCluster(cluster(fanoutCluster(1)), predictor(), { solver: "heuristic", iterations: 1000, validation, explain: false });
    const svc = plan.services![0];
    expect(svc.simulatedP99Us).toBeGreaterThan(0);
    expect(svc.simulatedP999Us).toBeGreaterThanOrEqual(svc.simulatedP99Us!);
    // The same placement scored independently: no member predicted over the per-VM rule.
    const at = new Map(plan.assignments.map((a) => [a.vm, a.host]));
    const scored = scoreCluster({ ...cluster(fanoutCluster(1)), vms: cluster(fanoutCluster(1)).vms.map((v) => ({ ...v, host: at.get(v.id) })) }, predictor());
    expect(scored.unplaced).toEqual([]);
  }, 60_000);
});
