import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { PreparedCluster } from "../../src/api/place/prepared.js";
import { prepare } from "../../src/api/place/rank.js";
import { loadPredictor } from "../../src/io/calibration.js";
import { type Cluster, type Vm, VmSchema } from "../../src/model/cluster.js";
import { DEFAULT_MIX, generateCluster } from "../../src/model/generate.js";
import { parseCluster } from "../../src/model/validate.js";
import { isAllowed } from "../../src/placement/problem.js";

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * exactRanking: every host judged the plain way, written here apart from the code under test: a
 * fresh preparation, framework.fits on every host (then every filter on a rejected one, to count),
 * every passed host scored by Framework.score, rounded, and sorted by score then host id.
 */
function exactRanking(c: Cluster, vm: Vm) {
  const prep = prepare(c, vm, loadPredictor());
  const { problem, state, framework, j } = prep;
  const passed: number[] = [];
  const rejectedBy: Record<string, number> = {};
  for (let i = 0; i < problem.nHosts; i++) {
    if (framework.fits(state, j, i)) passed.push(i);
    else for (const f of framework.filters) if (!f.fits(state, j, i)) rejectedBy[f.name] = (rejectedBy[f.name] ?? 0) + 1;
  }
  const score = new Float64Array(problem.nHosts).fill(NaN);
  const byPlugin = new Map<number, Record<string, number>>();
  const weightSum = framework.scorers.reduce((s, x) => s + x.weight, 0) || 1;
  if (passed.length > 0) {
    const sc = framework.score(state, j, passed);
    passed.forEach((i, k) => {
      score[i] = round2(sc.total[k] / weightSum);
      byPlugin.set(i, Object.fromEntries(Object.entries(sc.byPlugin).map(([name, s]) => [name, round2(s[k])])));
    });
  }
  const ids = problem.hosts.map((h) => h.id);
  passed.sort((a, b) => score[b] - score[a] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const unresolvable = Array.from({ length: problem.nHosts }, (_x, i) => (isAllowed(problem, j, i) ? 0 : 1));
  return { ranked: passed, score, byPlugin, rejectedBy, unresolvable };
}

/** A random VM shape: io with or without SLOs, mixed, CPU-bound, of 1-8 vCPUs. */
function randomVm(rng: () => number, k: number): Vm {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const io = { kind: "io", requestsPerSec: pick([50, 200, 500, 2000]), serviceUs: pick([50, 100, 400, 1000]) };
  const cpu = { kind: "cpu", dutyCycle: pick([0.2, 0.5, 0.9, 1]), burstMs: pick([1, 5, 20]) };
  const workload = pick([io, io, io, cpu, { kind: "mixed", io: { requestsPerSec: 300, serviceUs: 100 }, cpu: { dutyCycle: 0.4, burstMs: 5 } }]);
  const slo = workload.kind === "cpu" ? undefined : pick([undefined, { p999Ms: pick([1, 3, 5, 20]) }, { p99Ms: 2, p999Ms: 10 }]);
  return VmSchema.parse({ id: `new-${k}`, vcpus: pick([1, 2, 2, 4, 8]), memoryMiB: 1024 * pick([1, 2, 8, 32]), workload, slo });
}

describe("lazy scores: the pruned ranking is the exact one", () => {
  test("on random clusters, objectives and VM shapes: same hosts, order, scores, plugin scores and counts", () => {
    let pruned = 0;
    let feasible = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const input = generateCluster({ hosts: 60, vms: 480, seed, mix: DEFAULT_MIX, placed: true, scheduler: "both" });
      const objective = (["min-cost", "min-risk", "balance"] as const)[seed % 3];
      const r = parseCluster({ ...input, policy: { ...input.policy, objective } });
      if (!r.ok) throw new Error("generated cluster is invalid");
      const prepared = new PreparedCluster(r.value, loadPredictor());
      const rng = seedrandom.alea(`lazy-scores-${seed}`);
      for (let k = 0; k < 12; k++) {
        const vm = randomVm(rng, k);
        const want = [1, 3, 10][k % 3];
        const exact = exactRanking(r.value, vm);
        const { verdict } = prepared.judge(vm, want);
        // Judge another shape in between: the verdict's later reads must set its own VM up again.
        prepared.judge(randomVm(rng, 100 + k));
        expect(verdict.feasible).toBe(exact.ranked.length);
        expect(verdict.rejectedBy).toEqual(exact.rejectedBy);
        for (let i = 0; i < exact.score.length; i++) {
          expect(verdict.passes(i)).toBe(!Number.isNaN(exact.score[i]));
          if (!verdict.passes(i)) expect(verdict.unresolvable[i]).toBe(exact.unresolvable[i]);
        }
        feasible += exact.ranked.length;
        pruned += exact.ranked.length - verdict.scored;
        const top = Array.from(verdict.top(want));
        expect(top).toEqual(exact.ranked.slice(0, want));
        for (const i of top) {
          expect(verdict.scoreOf(i)).toBe(exact.score[i]);
          expect(verdict.pluginScores(i)).toEqual(exact.byPlugin.get(i));
        }
        // Everything else when asked: every host's score, and the whole ranking.
        for (let i = 0; i < exact.score.length; i++) expect(verdict.scoreOf(i)).toBe(exact.score[i]);
        expect(Array.from(verdict.top(exact.ranked.length + 1))).toEqual(exact.ranked);
      }
    }
    // The comparison is only worth its name if the bounds spared exact scores.
    expect(pruned).toBeGreaterThan(feasible / 4);
  });
});
