import { readFileSync } from "node:fs";
import { loadPredictor } from "../src/io/calibration.js";
import type { ClusterInput } from "../src/model/cluster.js";
import { generateCluster, DEFAULT_MIX } from "../src/model/generate.js";
import { checkPlan } from "../src/model/check-plan.js";
import { parseCluster } from "../src/model/validate.js";
import { buildItems } from "../src/placement/items.js";
import { boundFrom, boundInputs, lowerBound } from "../src/placement/lower-bound.js";
import { defaultSoftPenalty } from "../src/placement/lp-rows.js";
import { planCluster } from "../src/placement/plan.js";
import { buildProblem, type PlacementProblem } from "../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../src/placement/profile.js";
import { construct } from "../src/placement/solvers/construct.js";
import { localSearch, objectiveOf } from "../src/placement/solvers/local-search.js";
import { createHighsSolver } from "../src/placement/solvers/milp.js";
import { PlacementState } from "../src/placement/state.js";
import { WorkerPool } from "../src/runtime/sim-pool.js";
import { threadSolverWorkers } from "../src/runtime/solver-workers.js";

const predictor = loadPredictor();
const now = (): number => performance.now();

function problem(doc: ClusterInput): PlacementProblem {
  const r = parseCluster(doc);
  if (!r.ok) throw new Error(`bench instance invalid: ${r.problems[0].message}`);
  return buildProblem(r.value, predictor);
}

export function generated(hosts: number, vms: number, seed: number, idle = false): ClusterInput {
  const doc = generateCluster({ hosts, vms, seed, mix: idle ? { idle: 1 } : DEFAULT_MIX, placed: false, scheduler: "both" });
  return doc;
}

function violations(p: PlacementProblem, a: Int32Array): number {
  // Hard violations only; the checker's "unplaced" findings are what `unplaced` counts.
  return checkPlan(p.cluster, Array.from(a).flatMap((i, j) => (i >= 0 ? [{ vm: p.vms[j].id, host: p.hosts[i].id }] : [])), { partial: true }).length;
}

/** heuristic: the construction portfolio and a fixed-length local search, as the placer runs them. */
function heuristic(p: PlacementProblem, iterations: number, timeBudgetMs?: number): { state: PlacementState; ms: number; construction: string } {
  const t0 = now();
  const fw = frameworkFor(defaultProfile(p.policy.objective));
  const set = buildItems(p);
  const built = construct(p, fw, set);
  const ls = localSearch(p, fw, set, built.state.hostOf, { seed: 1, maxIterations: iterations, timeBudgetMs, now: timeBudgetMs ? now : undefined, target: lowerBound(p).value });
  return { state: ls.state, ms: now() - t0, construction: built.heuristic };
}

const pct = (a: number, b: number): string => (b > 0 ? `${(((a - b) / b) * 100).toFixed(2)}%` : "-");

/** Heuristic vs HiGHS on small seeded instances, with and without the interference rows binding. */
async function smallVsMilp(): Promise<void> {
  const exact = createHighsSolver(threadSolverWorkers);
  console.log("heuristic vs MILP (HiGHS, 20 s limit), small generated instances; 'packing' = idle workloads (no interference rows: the MILP model is exact)");
  console.log("kind       VMs x hosts  LB      heuristic (ms)      MILP status / cost (ms)        heur-vs-MILP  checker");
  for (const idle of [true, false])
    for (const [vms, hosts] of [[10, 4], [20, 6], [30, 8], [40, 10], [60, 15]]) {
      const p = problem(generated(hosts, vms, vms, idle));
      const penalty = defaultSoftPenalty(p);
      const h = heuristic(p, 20_000);
      const hObj = objectiveOf(h.state, penalty);
      const t0 = now();
      const r = await exact.solve(p, { start: h.state.hostOf, timeLimitMs: 20_000 });
      const ms = now() - t0;
      const mObj = r.assignment ? objectiveOf(PlacementState.fromAssignment(p, r.assignment), penalty) : NaN;
      const bad = violations(p, h.state.hostOf) + (r.assignment ? violations(p, r.assignment) : 0);
      console.log(
        `${(idle ? "packing" : "full").padEnd(10)} ${`${vms} x ${hosts}`.padEnd(12)} ${String(lowerBound(p).value).padEnd(7)} ${`${hObj.toFixed(2)} (${h.ms.toFixed(0)})`.padEnd(19)} ${`${r.status} ${Number.isNaN(mObj) ? "-" : mObj.toFixed(2)} (${ms.toFixed(0)})`.padEnd(30)} ${(Number.isNaN(mObj) ? "-" : pct(hObj, mObj)).padEnd(13)} ${bad}`,
      );
    }
  await exact.close();
}

/** Gap to the closed-form bound on generated 1,000- and 10,000-VM instances. */
function gaps(): void {
  console.log("\ngap to the lower bound (construction portfolio, then local search within the budget)");
  console.log("VMs     seed  LB       start (heuristic)          after search  gap    iterations  checker");
  for (const [vms, hosts, budget] of [[1000, 100, 10_000], [10_000, 1000, 30_000]])
    for (const seed of [1, 2]) {
      const p = problem(generated(hosts, vms, seed));
      const lb = lowerBound(p).value;
      const fw = frameworkFor(defaultProfile("min-cost"));
      const set = buildItems(p);
      const built = construct(p, fw, set);
      const ls = localSearch(p, fw, set, built.state.hostOf, { seed, maxIterations: 2 ** 31 - 1, timeBudgetMs: budget, now, target: lb });
      console.log(
        `${String(vms).padEnd(7)} ${String(seed).padEnd(5)} ${String(lb).padEnd(8)} ${`${built.state.usedCost.toFixed(1)} ${built.heuristic} (+${pct(built.state.usedCost, lb)})`.padEnd(26)} ${ls.state.usedCost.toFixed(1).padEnd(13)} ${pct(ls.state.usedCost, lb).padEnd(6)} ${String(ls.iterations).padEnd(11)} ${violations(p, ls.state.hostOf)}`,
      );
    }
}

/** The closed-form bound's time at 10,000 VMs (aggregation once, then the bound itself). */
function boundTime(): void {
  const p = problem(generated(1000, 10_000, 1));
  let t0 = now();
  const inputs = boundInputs(p);
  const aggMs = now() - t0;
  for (let k = 0; k < 50; k++) boundFrom(inputs);
  const times: number[] = [];
  for (let k = 0; k < 101; k++) {
    t0 = now();
    boundFrom(inputs);
    times.push(now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`\nlower bound at 10,000 VMs: aggregation ${aggMs.toFixed(2)} ms (once per problem), bound median ${times[50].toFixed(3)} ms, p95 ${times[95].toFixed(3)} ms`);
}

/** LargePlanFigures: the 10,000-VM plan's SLO figures (issue 12's plan goals). */
export interface LargePlanFigures {
  simulatedBefore: number;
  simulatedAfter: number;
  /** Cost the validation repairs added, as a share of the cost after search. */
  repairCostShare: number;
  hostsUsed: number;
  costBefore: number;
  costAfter: number;
}

/** LargePlanOptions: the search seed (default the generated cluster's policy seed, 11) and count. */
export interface LargePlanOptions {
  readonly seed?: number;
  readonly iterations?: number;
}

/**
 * LARGE_ITERATIONS: the 10,000-VM plan's search length. A fixed count, not the 30 s wall-clock
 * budget it once had: that budget ran 95,888-109,904 iterations on one machine in one hour and
 * the breach count moved with it (24, 13, 10, 10), so the figure measured the machine's load.
 * 100,000 is about what 30 s buys on the 2026-12-06 machine, chosen before any run at that count.
 */
export const LARGE_ITERATIONS = 100_000;

/** Plan and fully validate 10,000 VMs on 1,000 hosts, as `vmplace plan --iterations` does. */
export async function large(o: LargePlanOptions = {}): Promise<LargePlanFigures> {
  const r = parseCluster(generated(1000, 10_000, 11));
  if (!r.ok) throw new Error("large instance invalid");
  const pool = new WorkerPool();
  const t0 = now();
  // The hour-long budget only keeps a stalled machine from running forever: the count decides.
  const plan = await planCluster(r.value, predictor, { solver: "heuristic", iterations: o.iterations ?? LARGE_ITERATIONS, seed: o.seed, timeBudgetMs: 3_600_000, now, validation: { runner: pool, durationMs: 3000, warmupMs: 1000, maxRounds: 5 } });
  const total = now() - t0;
  await pool.close();
  console.log(`\nplan + validate 10,000 VMs on 1,000 hosts (${pool.size} workers${o.seed === undefined ? "" : `, search seed ${o.seed}`}): ${(total / 1000).toFixed(1)} s wall`);
  console.log(`  timings ${JSON.stringify(plan.timings)}`);
  const before = plan.validation.costBefore ?? plan.cost;
  console.log(`  hosts ${plan.hostsUsed}, cost ${before} after search (gap ${pct(before, plan.lowerBound)}), ${plan.cost} after validation repairs (gap ${plan.gap === undefined ? `none: ${plan.unplaced.length} unplaced` : `${(plan.gap * 100).toFixed(2)}%`}), bound ${plan.lowerBound}; stopped on ${plan.solver.stoppedOn} after ${plan.solver.iterations} iterations`);
  console.log(`  SLO breaches predicted ${plan.slo.predictedBreaches}, simulated before ${plan.slo.simulatedBreachesBefore} / after ${plan.slo.simulatedBreachesAfter} (${plan.validation.rounds} rounds, ${plan.validation.hostsSimulated} hosts, ${plan.validation.repairs.length} repairs)`);
  const repairCostShare = (plan.cost - before) / before;
  console.log(`  repairs added ${(repairCostShare * 100).toFixed(2)}% to the plan's cost (${before} -> ${plan.cost})`);
  console.log(`  checker: ${plan.counts.violations} violation(s), ${plan.counts.unplaced} VM(s) unplaced`);
  return { simulatedBefore: plan.slo.simulatedBreachesBefore ?? 0, simulatedAfter: plan.slo.simulatedBreachesAfter ?? 0, repairCostShare, hostsUsed: plan.hostsUsed, costBefore: before, costAfter: plan.cost };
}

/** benchPlacement prints the placer's numbers: quality against HiGHS and the bound, time, checker. */
export async function benchPlacement(): Promise<void> {
  boundTime();
  await smallVsMilp();
  gaps();
  await large();
}
