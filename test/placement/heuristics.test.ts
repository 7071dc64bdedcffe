import { describe, expect, test } from "vitest";
import { checkPlan } from "../../src/model/check-plan.js";
import { buildItems } from "../../src/placement/items.js";
import { defaultSoftPenalty } from "../../src/placement/lp-rows.js";
import { buildProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { construct } from "../../src/placement/solvers/construct.js";
import { dotProductPack } from "../../src/placement/solvers/dot-product.js";
import { firstFitDecreasing } from "../../src/placement/solvers/ffd.js";
import { localSearch, objectiveOf } from "../../src/placement/solvers/local-search.js";
import { PlacementState } from "../../src/placement/state.js";
import { bruteForce, feasible, softViolationsOf } from "./brute-force.js";
import { cluster, predictor } from "./helpers.js";
import { randomCluster } from "./random-cluster.js";

const SEEDS = Array.from({ length: 12 }, (_, k) => k + 1);

function setup(seed: number, hosts: number, vms: number, forbidBobtail = false) {
  const c = cluster(randomCluster(seed, hosts, vms, { forbidBobtail }));
  const p = buildProblem(c, predictor());
  const fw = frameworkFor(defaultProfile("min-cost"));
  return { c, p, fw, set: buildItems(p) };
}

function hostMap(c: ReturnType<typeof setup>["c"], s: PlacementState): Map<string, string> {
  return new Map(c.vms.flatMap((v, j) => (s.hostOf[j] >= 0 ? [[v.id, c.hosts[s.hostOf[j]].id] as [string, string]] : [])));
}

describe("the checker and the filter plugins agree", () => {
  test.each(SEEDS)("random assignments of instance %i", (seed) => {
    const { c, p, fw } = setup(seed, 4, 12);
    const hard = fw.filters.filter((f) => f.name !== "Interference");
    for (let k = 0; k < 40; k++) {
      const a = Int32Array.from({ length: p.nVms }, (_, j) => (j * 7 + k * 13 + seed) % p.nHosts);
      const s = PlacementState.fromAssignment(p, a);
      let pluginsOk = true;
      for (let j = 0; j < p.nVms; j++) {
        s.unassign(j);
        if (!hard.every((f) => f.fits(s, j, a[j]))) pluginsOk = false;
        s.assign(j, a[j]);
      }
      const violations = checkPlan(c, Array.from(a, (i, j) => ({ vm: c.vms[j].id, host: c.hosts[i].id })));
      expect(violations.length === 0, `assignment ${k}: ${JSON.stringify(violations)}`).toBe(pluginsOk);
      expect(s.softViolations).toBe(softViolationsOf(c, hostMap(c, s)));
    }
  });
});

describe("heuristics never break a hard constraint or a predicted SLO", () => {
  test.each(SEEDS.flatMap((seed) => [[seed, false], [seed, true]] as const))("instance %i (forbidBobtail %s)", (seed, forbid) => {
    const { c, p, fw, set } = setup(seed, 6, 30, forbid);
    const starts = [firstFitDecreasing(p, fw, set), firstFitDecreasing(p, fw, set, { mode: "best" }), dotProductPack(p, fw, set, 0.3)];
    for (const { state } of starts) expect(feasible(c, predictor(), hostMap(c, state))).toBe(true);
    const ls = localSearch(p, fw, set, starts[0].state.hostOf, { seed, maxIterations: 2000 });
    expect(feasible(c, predictor(), hostMap(c, ls.state))).toBe(true);
    // Lexicographic: the search never leaves fewer VMs placed (it may insert some the start left out).
    expect(ls.state.placed).toBeGreaterThanOrEqual(starts[0].state.placed);
  });
});

describe("local search reaches the brute-force optimum on tiny instances", () => {
  test.each(SEEDS)("instance %i (8 VMs × 3 hosts)", (seed) => {
    const { c, p, fw, set } = setup(seed, 3, 8);
    const opt = bruteForce(c, predictor(), defaultSoftPenalty(p));
    const built = construct(p, fw, set);
    if (!opt) {
      expect(built.unplaced.length).toBeGreaterThan(0);
      return;
    }
    const ls = localSearch(p, fw, set, built.state.hostOf, { seed, maxIterations: 3000 });
    expect(ls.state.placed).toBe(p.nVms);
    expect(objectiveOf(ls.state, defaultSoftPenalty(p))).toBeCloseTo(opt.objective, 9);
  });
});

describe("determinism", () => {
  test("same seed and iterations give the same assignment; another seed may not", () => {
    const { p, fw, set } = setup(3, 12, 80);
    const start = construct(p, fw, set).state.hostOf;
    const run = (seed: number) => Array.from(localSearch(p, fw, set, start, { seed, maxIterations: 1500 }).state.hostOf);
    expect(run(5)).toEqual(run(5));
  });
});
