import { EnvelopeCache } from "../interference-cap.js";
import { buildLinearModel } from "../lp-rows.js";
import type { LpScope } from "../lp.js";
import type { PlacementProblem } from "../problem.js";
import type { ExactSolver } from "../solver.js";
import { createHighsSolver, type HighsSolver } from "./milp.js";
import { isRedundantLink, packModel } from "./milp-model.js";
import { linearObjective } from "./milp-start.js";
import type { SolverWorkers } from "./worker-port.js";
import { hostOk } from "../items.js";
import { PlacementState } from "../state.js";

/** LnsOptions: the backend and caches; pass envelopes across many calls. */
export interface LnsOptions {
  /**
   * The exact backend for the side model, usually createLnsSolver's: HiGHS in a warm worker, chosen by measurement
   * on this machine (2 cores; generated 200 × 50 instance, FFD plan, 4 scopes per size, mean per
   * call including model building; bench/milp.ts prints the same comparison):
   *   hosts  VMs     HiGHS warm   HiGHS fresh   javascript-lp-solver
   *   2      28-40   175 ms       232 ms        230 ms
   *   3      34-64   259 ms       250 ms        3.4 s = watchdog (3 s limit), no solution
   *   4      51-70   349 ms       208 ms        3.5 s = watchdog, no solution
   * javascript-lp-solver only keeps up at 2 hosts, and LNS wants 3-4.
   */
  readonly solver: ExactSolver;
  /** Interference envelopes depend only on the problem; default: one cache per problem, kept here. */
  readonly envelopes?: EnvelopeCache;
  readonly signal?: AbortSignal;
}

/**
 * createLnsSolver is the side-model backend: warm, because LNS makes many small solves and a
 * fresh worker would cost more than most of them take. Close it when the plans are done.
 */
export function createLnsSolver(workers: SolverWorkers): HighsSolver {
  return createHighsSolver(workers, { warm: true, startupMs: 30, graceMs: 500 });
}

// An envelope costs ~10^5 predictor calls per host type: compute it once per problem, not per step.
const envelopeCaches = new WeakMap<PlacementProblem, EnvelopeCache>();

function envelopesFor(p: PlacementProblem): EnvelopeCache {
  let e = envelopeCaches.get(p);
  if (!e) {
    e = new EnvelopeCache(p);
    envelopeCaches.set(p, e);
  }
  return e;
}

/**
 * closedScope is the side model of some hosts: the hosts and every VM on them. Undefined when
 * there is nothing to re-solve, or when a hard affinity group would be cut in two (a member on a
 * host outside): LpScope requires groups wholly inside or outside.
 */
export function closedScope(p: PlacementProblem, assignment: Int32Array, hostIndices: readonly number[] | Int32Array): LpScope | undefined {
  const hosts = Int32Array.from(new Set(hostIndices)).sort();
  const inScope = new Uint8Array(p.nHosts);
  for (const i of hosts) inScope[i] = 1;
  const vms: number[] = [];
  for (let j = 0; j < p.nVms; j++) if (assignment[j] >= 0 && inScope[assignment[j]] === 1) vms.push(j);
  if (vms.length === 0) return undefined;
  for (const j of vms)
    for (const g of p.vmAffinity[j]) {
      const grp = p.affinity[g];
      if (grp.soft) continue;
      for (const k of grp.vms) if (assignment[k] < 0 || inScope[assignment[k]] === 0) return undefined;
    }
  return { vms: Int32Array.from(vms), hosts };
}

/**
 * resolveHostsExactly is the large-neighbourhood step "re-solve k hosts exactly": the VMs on
 * `hostIndices` are re-placed optimally over those hosts (the rest of the plan is fixed) and the
 * result is returned only when it strictly lowers the linear objective of that side model
 * (cost of the hosts used plus soft penalties, or the balance / risk terms) — so it never
 * worsens the plan. Undefined: no improvement, no solution within the time, or not a closed
 * scope. The result still goes through the independent checker like every solver's output.
 */
export async function resolveHostsExactly(
  problem: PlacementProblem,
  assignment: Int32Array,
  hostIndices: readonly number[] | Int32Array,
  timeLimitMs: number,
  o: LnsOptions,
): Promise<Int32Array | undefined> {
  const scope = closedScope(problem, assignment, hostIndices);
  if (!scope) return undefined;
  const envelopes = o.envelopes ?? envelopesFor(problem);
  const pm = packModel(buildLinearModel(problem, { scope, envelopes }), isRedundantLink);
  const before = linearObjective(pm, assignment);
  const r = await o.solver.solve(problem, { scope, start: assignment, timeLimitMs, envelopes, signal: o.signal });
  if (!r.assignment || (r.status !== "optimal" && r.status !== "feasible")) return undefined;
  for (const j of scope.vms) if (r.assignment[j] < 0) return undefined;
  if (!(linearObjective(pm, r.assignment) < before - 1e-9)) return undefined;
  // The interference rows are a linearisation (interference-cap.ts): keep the re-solve only if
  // every host it touched passes the predictor's own filter.
  const s = PlacementState.fromAssignment(problem, r.assignment);
  for (const i of scope.hosts) if (!hostOk(s, i)) return undefined;
  return r.assignment;
}
