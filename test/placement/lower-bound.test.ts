import highsModule from "highs";
import { describe, expect, test } from "vitest";
import type { ClusterInput } from "../../src/model/cluster.js";
import { buildItems } from "../../src/placement/items.js";
import { lowerBound } from "../../src/placement/lower-bound.js";
import { defaultSoftPenalty } from "../../src/placement/lp-rows.js";
import { writeLpText } from "../../src/placement/lp.js";
import { buildLinearModel } from "../../src/placement/lp-rows.js";
import { buildProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { construct } from "../../src/placement/solvers/construct.js";
import { localSearch } from "../../src/placement/solvers/local-search.js";
import { bruteForce } from "./brute-force.js";
import { cluster, predictor, problemOf } from "./helpers.js";
import { randomCluster } from "./random-cluster.js";

// The package types its default export as the module namespace; at run time it is the loader.
const highsLoader = highsModule as unknown as typeof highsModule.default;

const idle = (id: string, vcpus: number, memoryMiB: number) => ({ id, vcpus, memoryMiB, workload: { kind: "idle" as const } });

describe("the closed-form lower bound", () => {
  test.each(Array.from({ length: 16 }, (_, k) => k + 1))("is at most the brute-force optimum (instance %i, 8 VMs × 3 hosts)", (seed) => {
    const c = cluster(randomCluster(seed, 3, 8));
    const p = buildProblem(c, predictor());
    const opt = bruteForce(c, predictor(), defaultSoftPenalty(p));
    if (opt) expect(lowerBound(p).value).toBeLessThanOrEqual(opt.cost + 1e-9);
  });

  test.each<[string, ClusterInput, number]>([
    // 8 VMs of 2 vCPUs / 2 GiB, hosts of 8 vCPUs (4 cores × 2) / 8 GiB: four per host, two hosts.
    ["identical VMs filling hosts exactly", { hosts: [1, 2, 3].map((k) => ({ id: `h${k}`, cores: 4, memoryMiB: 8192 })), vms: Array.from({ length: 8 }, (_, j) => idle(`v${j}`, 2, 2048)) }, 2],
    // 24 vCPUs: one 16-vCPU host (1.5) + one 8-vCPU host (1) = 2.5 beats three small (3) or two large (3).
    ["a cheaper mix of host types", { hosts: [{ id: "a1", cores: 4, memoryMiB: 65536, cost: 1 }, { id: "a2", cores: 4, memoryMiB: 65536, cost: 1 }, { id: "a3", cores: 4, memoryMiB: 65536, cost: 1 }, { id: "b1", cores: 8, memoryMiB: 65536, cost: 1.5 }, { id: "b2", cores: 8, memoryMiB: 65536, cost: 1.5 }], vms: Array.from({ length: 12 }, (_, j) => idle(`v${j}`, 2, 1024)) }, 2.5],
  ])("is tight where the optimum is known: %s", (_n, doc, optimum) => {
    const p = problemOf(doc);
    expect(lowerBound(p).value).toBeCloseTo(optimum, 9);
    const fw = frameworkFor(defaultProfile("min-cost"));
    const set = buildItems(p);
    const ls = localSearch(p, fw, set, construct(p, fw, set).state.hostOf, { seed: 1, maxIterations: 3000 });
    expect(ls.state.usedCost).toBeCloseTo(optimum, 9);
  });

  test.each(Array.from({ length: 8 }, (_, k) => k + 1))("is never weaker than the LP relaxation (HiGHS, instance %i)", async (seed) => {
    // Idle VMs and no constraints: the linear model is the resource model alone.
    const base = randomCluster(seed, 6, 14, { constraints: false });
    const doc = { ...base, vms: base.vms.map((v) => idle(v.id, v.vcpus, v.memoryMiB)) };
    const p = problemOf(doc);
    // Dropping the Binary section relaxes x and y to ≥ 0; "≤ 1" is implied for x (assignment rows)
    // and never helps a minimisation for y (its cost is positive).
    const relaxed = writeLpText(buildLinearModel(p)).replace(/\nBinary\n[\s\S]*\nEnd$/, "\nEnd");
    expect(relaxed).not.toContain("Binary");
    const highs = await highsLoader();
    const sol = highs.solve(relaxed);
    expect(sol.Status).toBe("Optimal");
    expect(lowerBound(p).value).toBeGreaterThanOrEqual(sol.ObjectiveValue - 1e-6);
  });
});
