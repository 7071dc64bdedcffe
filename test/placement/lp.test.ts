import highsModule from "highs";
import { describe, expect, test } from "vitest";
import { defaultSoftPenalty } from "../../src/placement/lp-rows.js";
import { buildLinearModel } from "../../src/placement/lp-rows.js";
import { decodeAssignment, writeLpText } from "../../src/placement/lp.js";
import { buildProblem } from "../../src/placement/problem.js";
import { bruteForce, feasible } from "./brute-force.js";
import { cluster, predictor } from "./helpers.js";
import { randomCluster } from "./random-cluster.js";

// The package types its default export as the module namespace; at run time it is the loader.
const highsLoader = highsModule as unknown as typeof highsModule.default;

type Column = { Primal: number };

describe("the linear model (rows of every named constraint)", () => {
  test.each(Array.from({ length: 10 }, (_, k) => [k + 1, k % 2 === 1] as const))(
    "is conservative: its optimum passes the predictor and the checker, at no less than the true optimum (instance %i, forbidBobtail %s)",
    async (seed, forbidBobtail) => {
      const c = cluster(randomCluster(seed, 3, 8, { forbidBobtail }));
      const p = buildProblem(c, predictor());
      const m = buildLinearModel(p);
      const highs = await highsLoader();
      const sol = highs.solve(writeLpText(m), { time_limit: 20 });
      const opt = bruteForce(c, predictor(), defaultSoftPenalty(p));
      if (sol.Status !== "Optimal") {
        expect(sol.Status).toBe("Infeasible");
        return;
      }
      const a = decodeAssignment(p, m, (n) => (sol.Columns[n] as Column | undefined)?.Primal);
      const hostOf = new Map(c.vms.map((v, j) => [v.id, c.hosts[a[j]].id]));
      expect(feasible(c, predictor(), hostOf)).toBe(true);
      expect(opt).toBeDefined();
      expect(sol.ObjectiveValue).toBeGreaterThanOrEqual(opt!.objective - 1e-6);
    },
    30_000,
  );

  test("names every row after its plugin", () => {
    const p = buildProblem(cluster(randomCluster(3, 3, 8, { forbidBobtail: true })), predictor());
    const names = new Set(buildLinearModel(p).rows.map((r) => r.constraint));
    for (const n of ["Assignment", "ResourceFit"]) expect(names).toContain(n);
    for (const n of names) expect(["Assignment", "ResourceFit", "AntiAffinity", "Affinity", "HostLabel", "Interference", "Symmetry"]).toContain(n);
  });
});
