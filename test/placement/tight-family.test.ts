import { describe, expect, test } from "vitest";
import { checkPlan } from "../../src/model/check-plan.js";
import { generateTightCluster } from "../../src/model/generate-tight.js";
import { planCluster } from "../../src/placement/plan.js";
import { cluster, predictor } from "./helpers.js";

/**
 * Issue 11, item 1: on the tight family the construction leaves VMs out that fit (seeds picked
 * where it does on main: 1 of 300 at seed 1 and 3, 1-2 of 1,200 at seeds 3, 4 and 6); the plan
 * must place every one of them, the independent checker must agree, and the gap is never negative.
 */
describe("the tight multi-resource family places every VM", () => {
  test.each([
    [100, 300, 1],
    [100, 300, 3],
    [100, 300, 6],
    [400, 1200, 3],
    [400, 1200, 4],
    [400, 1200, 6],
  ])("%i hosts / %i VMs, seed %i", async (hosts, vms, seed) => {
    const c = cluster(generateTightCluster({ hosts, vms, seed }));
    const plan = await planCluster(c, predictor(), { solver: "heuristic", iterations: 2000, explain: false });
    expect(plan.unplaced).toEqual([]);
    expect(plan.assignments).toHaveLength(vms);
    expect(checkPlan(c, plan.assignments)).toEqual([]);
    expect(plan.check.ok).toBe(true);
    expect(plan.cost).toBeGreaterThanOrEqual(plan.lowerBound);
    expect(plan.gap).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
