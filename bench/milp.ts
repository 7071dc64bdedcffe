import { performance } from "node:perf_hooks";
import { loadPredictor } from "../src/io/calibration.js";
import { DEFAULT_MIX, generateCluster } from "../src/model/generate.js";
import { parseCluster } from "../src/model/validate.js";
import { EnvelopeCache } from "../src/placement/interference-cap.js";
import { buildItems } from "../src/placement/items.js";
import { lowerBound } from "../src/placement/lower-bound.js";
import { buildLinearModel, defaultSoftPenalty } from "../src/placement/lp-rows.js";
import { buildProblem, type PlacementProblem } from "../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../src/placement/profile.js";
import type { ExactResult, ExactSolver } from "../src/placement/solver.js";
import { construct } from "../src/placement/solvers/construct.js";
import { localSearch, objectiveOf } from "../src/placement/solvers/local-search.js";
import { createTinySolver } from "../src/placement/solvers/lp-tiny.js";
import { createHighsSolver } from "../src/placement/solvers/milp.js";
import { resolveHostsExactly } from "../src/placement/solvers/milp-lns.js";
import { isRedundantLink, packModel } from "../src/placement/solvers/milp-model.js";
import { threadSolverWorkers } from "../src/runtime/solver-workers.js";

const SIZES: [vms: number, hosts: number][] = [[10, 3], [30, 8], [60, 15], [200, 50], [500, 120]];
const TIME_LIMIT_MS = 20_000;
const SEED = 1;

function problem(vms: number, hosts: number, seed = SEED): PlacementProblem {
  const r = parseCluster(generateCluster({ hosts, vms, seed, mix: DEFAULT_MIX, placed: false, scheduler: "both" }));
  if (!r.ok) throw new Error(`generated ${vms}x${hosts} is invalid`);
  return buildProblem(r.value, loadPredictor());
}

/** heuristicStart: the placer's construction portfolio plus 3,000 local-search iterations. */
function heuristicStart(p: PlacementProblem): { plan: Int32Array; cost: number } {
  const fw = frameworkFor(defaultProfile(p.policy.objective));
  const set = buildItems(p);
  const c = construct(p, fw, set);
  const ls = localSearch(p, fw, set, c.state.hostOf, { seed: SEED, maxIterations: 3000 });
  return { plan: Int32Array.from(ls.state.hostOf), cost: objectiveOf(ls.state, defaultSoftPenalty(p)) };
}

async function timed(solver: ExactSolver, p: PlacementProblem, start?: Int32Array, timeLimitMs = TIME_LIMIT_MS): Promise<{ r: ExactResult; ms: number }> {
  const t0 = performance.now();
  const r = await solver.solve(p, { timeLimitMs, start });
  return { r, ms: performance.now() - t0 };
}

const f2 = (x: number | undefined): string => (x === undefined ? "-" : x.toFixed(2));

function describe(label: string, { r, ms }: { r: ExactResult; ms: number }): string {
  const gap = r.objective !== undefined && r.dualBound !== undefined && r.objective > 0 ? `${(((r.objective - r.dualBound) / r.objective) * 100).toFixed(1)}%` : "-";
  return `  ${label.padEnd(13)} ${r.status.padEnd(10)} ${(ms / 1000).toFixed(2).padStart(6)} s  obj ${f2(r.objective).padStart(7)}  bound ${f2(r.dualBound).padStart(7)}  gap ${gap.padStart(6)}  ${r.message ?? ""}`;
}

/** benchSizes: HiGHS from nothing and from the heuristic plan, on the five sizes. */
async function benchSizes(): Promise<void> {
  const highs = createHighsSolver(threadSolverWorkers);
  for (const [v, h] of SIZES) {
    const p = problem(v, h);
    const t0 = performance.now();
    const m = buildLinearModel(p, { envelopes: new EnvelopeCache(p) });
    const t1 = performance.now();
    const a = packModel(m, isRedundantLink).arrays;
    const t2 = performance.now();
    const start = heuristicStart(p);
    console.log(
      `${v} x ${h}: ${a.numCols} columns, ${a.numRows} rows, ${a.indices.length} nonzeros (model ${(t1 - t0).toFixed(0)} ms, pack ${(t2 - t1).toFixed(0)} ms); ` +
        `closed-form bound ${f2(lowerBound(p).value)}, heuristic plan ${f2(start.cost)}`,
    );
    console.log(describe("HiGHS", await timed(highs, p)));
    console.log(describe("HiGHS+start", await timed(highs, p, start.plan)));
    if (v <= 30) console.log(describe("jsLPSolver", await timed(createTinySolver(threadSolverWorkers), p, undefined, 5000)));
  }
}

/** benchLns: the large-neighbourhood step on 2-4 hosts of a 200 x 50 plan, per backend. */
async function benchLns(): Promise<void> {
  const p = problem(200, 50);
  const plan = heuristicStart(p).plan;
  const used = [...new Set(plan)].sort((x, y) => x - y);
  const envelopes = new EnvelopeCache(p);
  const warm = createHighsSolver(threadSolverWorkers, { warm: true, startupMs: 30, graceMs: 500 });
  const backends: [string, ExactSolver, number][] = [
    ["HiGHS warm", warm, 4],
    ["HiGHS fresh", createHighsSolver(threadSolverWorkers, { graceMs: 500 }), 4],
    ["jsLPSolver", createTinySolver(threadSolverWorkers, { graceMs: 500 }), 2],
  ];
  console.log("LNS: re-solve k hosts of the 200 x 50 heuristic plan (3 s limit per call)");
  for (const k of [2, 3, 4])
    for (const [name, solver, calls] of backends) {
      let ms = 0;
      let improved = 0;
      let n = 0;
      for (let s = 0; s + k <= used.length && n < calls; s += k, n++) {
        const t0 = performance.now();
        if (await resolveHostsExactly(p, plan, used.slice(s, s + k), 3000, { solver, envelopes })) improved++;
        ms += performance.now() - t0;
      }
      console.log(`  k=${k} ${name.padEnd(12)} ${(ms / n).toFixed(0).padStart(5)} ms/call  improved ${improved}/${n}`);
    }
  await warm.close();
}

export async function benchMilp(): Promise<void> {
  await benchSizes();
  await benchLns();
}
