import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { generateTightCluster } from "../../src/model/generate-tight.js";
import { buildProblem, type PlacementProblem } from "../../src/placement/problem.js";
import { BestKeeper } from "../../src/placement/solvers/best-keeper.js";
import { Journal } from "../../src/placement/solvers/journal.js";
import { PlacementState } from "../../src/placement/state.js";
import { cluster, predictor } from "./helpers.js";
import { randomCluster } from "./random-cluster.js";

/** A random walk of assignments, unassignments and moves, capacity ignored (the state does not check it). */
function walk(p: PlacementProblem, seed: number, steps: number, each: (s: PlacementState) => void): void {
  const rng = seedrandom.alea(`walk:${seed}`);
  const s = new PlacementState(p);
  for (let k = 0; k < steps; k++) {
    const j = Math.floor(rng() * p.nVms);
    // Few hosts get most of the traffic, so hosts fill up, empty again and run out of room.
    const i = Math.floor(rng() ** 2 * p.nHosts);
    if (s.hostOf[j] < 0) s.assign(j, i);
    else if (rng() < 0.4) s.unassign(j);
    else s.move(j, i);
    each(s);
  }
}

function minOf(xs: ArrayLike<number>): number {
  let m = Infinity;
  for (let k = 0; k < xs.length; k++) m = Math.min(m, xs[k]);
  return m;
}

describe("the placement state's host indexes follow every change", () => {
  test.each([
    ["random", 1],
    ["random", 2],
    ["tight", 3],
  ] as const)("%s fleet %i: lowest empty host per type, used hosts, hosts with room", (kind, seed) => {
    const doc = kind === "tight" ? generateTightCluster({ hosts: 40, vms: 120, seed }) : randomCluster(seed, 24, 60);
    const p = buildProblem(cluster(doc), predictor());
    const min = [minOf(p.vmMemoryMiB), minOf(p.vmVcpus), minOf(p.vmNetworkMbps)];
    walk(p, seed, 1500, (s) => {
      for (const t of p.types) {
        const empty = [...t.hosts].filter((i) => s.vmsOn[i].length === 0);
        expect(s.empty.first(t.index)).toBe(empty.length > 0 ? empty[0] : -1);
        expect(s.empty.count(t.index)).toBe(empty.length);
      }
      const used = [...Array(p.nHosts).keys()].filter((i) => s.vmsOn[i].length > 0);
      expect([...s.usedList].sort((a, b) => a - b)).toEqual(used);
      const roomy = used.filter((i) => p.hostMemoryMiB[i] - s.memUsedMiB[i] >= min[0] && p.hostVcpuCap[i] - s.vcpusUsed[i] >= min[1] && p.hostNetworkMbps[i] - s.netUsedMbps[i] >= min[2] - 1e-9);
      expect([...s.roomyList].sort((a, b) => a - b)).toEqual(roomy);
    });
  }, 60_000);
});

describe("BestKeeper returns the best assignment visited", () => {
  test.each([1, 2, 3])("against a full copy at every new best (seed %i)", (seed) => {
    const p = buildProblem(cluster(randomCluster(seed, 12, 40)), predictor());
    const rng = seedrandom.alea(`best:${seed}`);
    const s = new PlacementState(p);
    for (let j = 0; j < p.nVms; j++) s.assign(j, j % p.nHosts);
    const journal = new Journal(s);
    const keeper = new BestKeeper(s.hostOf);
    // The walk's "objective": hosts in use; a full copy is taken at each new best, as the search did.
    let bestHosts = s.usedHosts;
    let copy = Int32Array.from(s.hostOf);
    for (let k = 0; k < 4000; k++) {
      journal.clear();
      for (let m = 0; m < 1 + Math.floor(rng() * 3); m++) {
        const j = Math.floor(rng() * p.nVms);
        journal.unassign(j);
        journal.assign(j, Math.floor(rng() * p.nHosts));
      }
      if (rng() < 0.3) {
        journal.rollback();
        continue;
      }
      if (s.usedHosts < bestHosts) {
        bestHosts = s.usedHosts;
        copy = Int32Array.from(s.hostOf);
        keeper.atBest();
      } else keeper.accepted(journal);
      if (k % 97 === 0) expect(keeper.assignment()).toEqual(copy);
    }
    expect(keeper.assignment()).toEqual(copy);
    expect(PlacementState.fromAssignment(p, keeper.assignment()).usedHosts).toBe(bestHosts);
  });
});
