import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { checkPlan } from "../../src/model/check-plan.js";
import { acceptableChange, changedVms } from "../../src/placement/check-change.js";
import { buildItems } from "../../src/placement/items.js";
import { buildProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { construct } from "../../src/placement/solvers/construct.js";
import { cluster, predictor } from "./helpers.js";
import { randomCluster } from "./random-cluster.js";

/**
 * LNS steps are checked as a change (the hosts and groups they touch) instead of the whole plan:
 * from a plan the full checker passes, the two must agree on every change, including changes that
 * break a constraint whose other members sit on hosts the change does not touch.
 */
describe("checking a change agrees with checking the whole plan", () => {
  test.each([1, 2, 3, 4, 5, 6])("random changes of a valid plan, instance %i", (seed) => {
    const doc = randomCluster(seed, 8, 24);
    const c = cluster(doc);
    const p = buildProblem(c, predictor());
    const start = construct(p, frameworkFor(defaultProfile("min-cost")), buildItems(p)).state.hostOf;
    const whole = (a: Int32Array) => checkPlan(c, Array.from(a, (i, j) => ({ vm: c.vms[j].id, host: c.hosts[i].id }))).length === 0;
    expect(whole(start)).toBe(true);
    const rng = seedrandom.alea(`change:${seed}`);
    // Moves of constraint members first: most changes that break something break those.
    const named = [...new Set(c.constraints.flatMap((k) => k.vms))].map((id) => c.vms.findIndex((v) => v.id === id));
    let good = 0;
    let bad = 0;
    for (let k = 0; k < 300; k++) {
      const next = Int32Array.from(start);
      for (let m = 0; m < 1 + Math.floor(rng() * 3); m++) {
        const j = rng() < 0.5 ? named[Math.floor(rng() * named.length)] : Math.floor(rng() * p.nVms);
        next[j] = Math.floor(rng() * p.nHosts);
      }
      const moved = changedVms(start, next);
      const ok = whole(next);
      expect(acceptableChange(p, start, next, moved)).toBe(ok);
      if (ok) good++;
      else bad++;
    }
    // Both outcomes occur, so the agreement says something.
    expect(good).toBeGreaterThan(10);
    expect(bad).toBeGreaterThan(10);
  });
});
