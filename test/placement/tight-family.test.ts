import { describe, expect, test } from "vitest";
import { checkPlan } from "../../src/model/check-plan.js";
import { generateTightCluster } from "../../src/model/generate-tight.js";
import seedrandom from "seedrandom";
import { buildItems, tryPlaceItem } from "../../src/placement/items.js";
import { planCluster } from "../../src/placement/plan.js";
import { buildProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { insertUnplaced } from "../../src/placement/solvers/insertion.js";
import { createMoveContext, unplacedItems } from "../../src/placement/solvers/local-search.js";
import { PlacementState } from "../../src/placement/state.js";
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

describe("the insertion phase on a fleet with no room left", () => {
  test.each([1, 2])("after a network-blind FFD (every host in use, many VMs out), it places every VM before any search (seed %i)", (seed) => {
    const c = cluster(generateTightCluster({ hosts: 100, vms: 300, seed }));
    const p = buildProblem(c, predictor());
    const fw = frameworkFor(defaultProfile("min-cost"));
    // First fit, cheapest host first, items by size without network, as main's heuristics
    // sized them (the filters still check network): every host ends up in use and VMs out. (The
    // FFD of today opens hosts by resource prices and leaves nothing out, so it is built here.)
    const blind = { ...p, networkInPlay: false };
    const order = [...buildItems(blind).items].sort((a, b) => b.size - a.size || a.index - b.index);
    const hosts = [...c.hosts.keys()].sort((a, b) => p.hostCost[a] - p.hostCost[b] || a - b);
    const set = buildItems(p);
    const s = new PlacementState(p);
    for (const it of order) hosts.find((i) => tryPlaceItem(fw, s, set.items[it.index], i));
    const out = unplacedItems(set, s);
    expect(s.usedList.length).toBe(100);
    expect(out.length).toBeGreaterThan(10);
    // No room left: no VM that is out fits any host as the packing stands.
    const fitsSomewhere = out.filter((it) => c.hosts.some((_, i) => it.vms.every((j) => fw.fits(s, j, i))));
    expect(fitsSomewhere).toEqual([]);
    expect(insertUnplaced(createMoveContext(fw, set, s, seedrandom.alea(`t${seed}`)), out)).toEqual([]);
    expect(s.placed).toBe(300);
    expect(checkPlan(c, Array.from(s.hostOf, (i, j) => ({ vm: c.vms[j].id, host: c.hosts[i].id })))).toEqual([]);
  });
});
