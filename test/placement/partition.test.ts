import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { checkPlan } from "../../src/model/check-plan.js";
import type { ClusterInput } from "../../src/model/cluster.js";
import { DEFAULT_MIX, generateCluster } from "../../src/model/generate.js";
import { buildItems } from "../../src/placement/items.js";
import { planCluster } from "../../src/placement/plan.js";
import { buildProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { construct } from "../../src/placement/solvers/construct.js";
import { insertUnplaced } from "../../src/placement/solvers/insertion.js";
import { createMoveContext } from "../../src/placement/solvers/local-search.js";
import { dealHosts, partitionedSearch, partsFor } from "../../src/placement/solvers/partition.js";
import { PlacementState } from "../../src/placement/state.js";
import { cluster, predictor } from "./helpers.js";

/**
 * A fleet whose hard constraints cross any split of the hosts: the generator's anti-affinity
 * pairs and host-label constraint, plus hard affinity pairs and triples of anti-affinity, all
 * hard (soft ones are seen only in part inside a group, so they are left out here: the cost
 * check below is about hard constraints and cost alone).
 */
function constrained(seed: number): ClusterInput {
  const doc = generateCluster({ hosts: 60, vms: 600, seed, mix: DEFAULT_MIX, placed: false, scheduler: "both" });
  const rng = seedrandom.alea(`partition-test:${seed}`);
  const id = (): string => doc.vms[Math.floor(rng() * doc.vms.length)].id;
  const named = new Set((doc.constraints ?? []).flatMap((c) => c.vms));
  const fresh = (): string => {
    for (;;) {
      const v = id();
      if (!named.has(v)) return named.add(v), v;
    }
  };
  const extra: NonNullable<ClusterInput["constraints"]> = [];
  for (let k = 0; k < 20; k++) extra.push({ kind: "affinity", vms: [fresh(), fresh()] });
  for (let k = 0; k < 20; k++) extra.push({ kind: "anti-affinity", vms: [fresh(), fresh(), fresh()] });
  return { ...doc, constraints: [...(doc.constraints ?? []).filter((c) => !c.soft), ...extra] };
}

function assignmentsOf(c: ReturnType<typeof cluster>, a: Int32Array): { vm: string; host: string }[] {
  return Array.from(a, (i, j) => ({ vm: c.vms[j].id, host: c.hosts[i]?.id ?? "none" }));
}

describe("partitioned search", () => {
  test("deals every host to exactly one group, each type's used and empty hosts shared out evenly", () => {
    const c = cluster(constrained(1));
    const p = buildProblem(c, predictor());
    const start = construct(p, frameworkFor(defaultProfile("min-cost")), buildItems(p)).state.hostOf;
    const groups = dealHosts(p, start, 4, seedrandom.alea("deal"));
    const all = groups.flatMap((g) => [...g]).sort((a, b) => a - b);
    expect(all).toEqual([...Array(p.nHosts).keys()]);
    const used = new Set(start);
    for (const t of p.types)
      for (const want of [true, false]) {
        const counts = groups.map((g) => [...g].filter((i) => p.hostTypeOf[i] === t.index && used.has(i) === want).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }
  }, 60_000);

  test.each([1, 2, 3])("keeps every hard constraint, places every VM and never raises the cost (seed %i)", (seed) => {
    const c = cluster(constrained(seed));
    const p = buildProblem(c, predictor());
    const fw = frameworkFor(defaultProfile("min-cost"));
    const set = buildItems(p);
    const built = construct(p, fw, set);
    // The start planCluster searches from: what the greedy pass left out is inserted (with
    // model-v10's CFS light holds, seed 1's greedy pass leaves one CPU-bound VM for insertion).
    const left = insertUnplaced(createMoveContext(fw, set, built.state, seedrandom.alea(`vmplace-insert:${seed}`)), built.unplaced.map((k) => set.items[k]));
    expect(left).toEqual([]);
    expect(built.state.placed).toBe(p.nVms);
    expect(checkPlan(c, assignmentsOf(c, built.state.hostOf))).toEqual([]);
    const r = partitionedSearch(p, fw, built.state.hostOf, { seed, parts: 4, rounds: 2, iterations: 3000 });
    expect(r.groupsSearched).toBe(8);
    expect(checkPlan(c, assignmentsOf(c, r.assignment))).toEqual([]);
    const after = PlacementState.fromAssignment(p, r.assignment);
    expect(after.placed).toBe(p.nVms);
    expect(after.usedCost).toBeLessThanOrEqual(built.state.usedCost + 1e-9);
    // Every filter still holds (the interference rule too, which the checker does not model).
    for (let j = 0; j < p.nVms; j++) {
      const i = after.hostOf[j];
      after.unassign(j);
      expect(fw.fits(after, j, i)).toBe(true);
      after.assign(j, i);
    }
  }, 60_000);

  test("the same seed and iterations give the same plan, byte for byte, through planCluster", async () => {
    const c = cluster(constrained(4));
    const run = () => planCluster(c, predictor(), { solver: "heuristic", iterations: 4000, explain: false, partition: { groupVms: 150 } });
    const [a, b] = [await run(), await run()];
    expect(a.solver.note).toMatch(/^partitioned search: 2 round\(s\) of 4 host groups, then the whole fleet/);
    expect(a.check.ok).toBe(true);
    expect(a.counts.unplaced).toBe(0);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  }, 60_000);

  test("a start that leaves a VM out is not partitioned (placing it is a whole-fleet job)", () => {
    const p = buildProblem(cluster(constrained(1)), predictor());
    const start = new Int32Array(p.nVms).fill(0);
    expect(partsFor(p, start, 100)).toBe(6);
    start[5] = -1;
    expect(partsFor(p, start, 100)).toBe(1);
  });
});
