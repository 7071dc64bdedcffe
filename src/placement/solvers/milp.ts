import { buildLinearModel } from "../lp-rows.js";
import { isAllowed, type PlacementProblem } from "../problem.js";
import type { ExactResult, ExactSolveOptions, ExactSolver, ExactStatus } from "../solver.js";
import { decodeColumns, isRedundantLink, packModel, type PackedModel } from "./milp-model.js";
import { planStart, type StartPlan } from "./milp-start.js";
import { fixItemSymmetry, relabelWithinTypes } from "./milp-symmetry.js";
import type { MilpReply, MilpRequest, SolverWorkers, WorkerCall, WorkerOutcome } from "./worker-port.js";

export const HIGHS = "highs";

/**
 * HighsOptions: what the backend refuses, how long it waits and where it runs. Defaults are
 * measured on this machine (2 cores, Node 20, highs 1.15; bench/milp.ts). The size limits sit
 * where HiGHS stops being useful, well before its 2 GiB WebAssembly heap aborts (about 3,000
 * VMs × 700 hosts on the bare packing model): on generated instances with the full model,
 * 1,000 × 250 (252k columns, 2.0M nonzeros) has neither an incumbent nor a dual bound after
 * 60 s (heap 800 MiB), and 2,000 × 500 (1.0M columns, 8.5M nonzeros) is still in presolve at
 * 60 s (heap 990 MiB). Refusing lets the placer keep its budget for the heuristics.
 */
export interface HighsOptions {
  /** Largest model (columns) the backend attempts. */
  readonly maxColumns: number;
  /** Largest model (matrix nonzeros) the backend attempts. */
  readonly maxNonzeros: number;
  /** Time reserved for starting the worker and loading HiGHS, taken off HiGHS's own time limit. */
  readonly startupMs: number;
  /** How long before the time limit the worker is told to stop (result extraction and transfer). */
  readonly stopMarginMs: number;
  /** How long after the time limit the watchdog lets a worker run before terminating it. */
  readonly graceMs: number;
  /**
   * Keep one warm worker for all solves (many small side models: LNS) instead of a fresh one per
   * solve (big models: the heap only grows). A warm worker is replaced once its heap passes
   * retireHeapBytes.
   */
  readonly warm: boolean;
  readonly retireHeapBytes: number;
}

export const DEFAULT_HIGHS_OPTIONS: HighsOptions = {
  maxColumns: 150_000,
  maxNonzeros: 1_500_000,
  startupMs: 250,
  stopMarginMs: 150,
  graceMs: 2_000,
  warm: false,
  retireHeapBytes: 256 * 2 ** 20,
};

/** HighsTestHooks: make the worker hang so tests can watch the watchdog; never set in production. */
export interface HighsTestHooks {
  readonly hang?: boolean;
}

/**
 * createHighsSolver is the exact backend: the placer's linear model (buildLinearModel, so every
 * row is a named plugin's) packed into arrays, the symmetry of identical hosts broken, the
 * heuristic start relabelled onto that canonical form and given to HiGHS (setSolution), solved
 * in a fresh worker (from `workers`: threads, passed in by the CLI and API) under a watchdog. Every objective solves (the column fixing is valid
 * for any objective that cannot tell identical hosts apart), but only min-cost is worth it
 * beyond tiny instances. Measured on generated instances, 15 s limit: min-cost proves 60 × 15
 * (4.5 s); balance and min-risk prove 30 × 8 (4.3 s, 2.3 s) but leave 60 × 15 at gaps of 11%
 * and 78%, so the placer should treat them as heuristic-only above a few dozen VMs.
 */
export function createHighsSolver(workers: SolverWorkers, options: Partial<HighsOptions> = {}, hooks: HighsTestHooks = {}): HighsSolver {
  const lim = { ...DEFAULT_HIGHS_OPTIONS, ...options };
  const warm = lim.warm ? workers.warm(HIGHS) : undefined;
  const exchange = async (req: MilpRequest, call: WorkerCall): Promise<WorkerOutcome<MilpReply>> => {
    if (!warm) return workers.run(HIGHS, req, call);
    const out = await warm.run(req, call);
    // An error may be a WebAssembly abort, after which that runtime is unusable.
    if (out.kind === "done" && (out.value.error !== undefined || out.value.heapBytes > lim.retireHeapBytes)) warm.retire();
    return out;
  };
  return {
    name: HIGHS,
    solve: (p, o) => solveWithHighs(p, o, lim, hooks, exchange),
    close: async () => warm?.close(),
  };
}

/** HighsSolver: an ExactSolver whose warm worker (if any) can be shut down. */
export interface HighsSolver extends ExactSolver {
  close(): Promise<void>;
}

type Exchange = (req: MilpRequest, call: WorkerCall) => Promise<WorkerOutcome<MilpReply>>;

/** unplaceable: a scope VM with no allowed scope host makes the model infeasible before any solve. */
function unplaceable(p: PlacementProblem, o: ExactSolveOptions): number | undefined {
  const hosts = o.scope?.hosts ?? Int32Array.from({ length: p.nHosts }, (_, i) => i);
  const vms = o.scope?.vms ?? Int32Array.from({ length: p.nVms }, (_, j) => j);
  for (const j of vms) if (!hosts.some((i) => isAllowed(p, j, i))) return j;
  return undefined;
}

/**
 * xColumns counts the model's x columns (allowed VM-host pairs of the scope) in O(VMs × types),
 * so a model too large for HiGHS is refused before building it (building 500 × 120 takes ~1 s).
 */
export function xColumns(p: PlacementProblem, o: Pick<ExactSolveOptions, "scope">): number {
  const perType = new Float64Array(p.types.length);
  if (o.scope) for (const i of o.scope.hosts) perType[p.hostTypeOf[i]]++;
  else p.types.forEach((t, k) => (perType[k] = t.hosts.length));
  let n = 0;
  const nT = p.types.length;
  const count = (j: number): void => {
    for (let t = 0; t < nT; t++) if (p.typeAllowed[j * nT + t] === 1) n += perType[t];
  };
  if (o.scope) o.scope.vms.forEach(count);
  else for (let j = 0; j < p.nVms; j++) count(j);
  return n;
}

async function solveWithHighs(p: PlacementProblem, o: ExactSolveOptions, lim: HighsOptions, hooks: HighsTestHooks, exchange: Exchange): Promise<ExactResult> {
  const stuck = unplaceable(p, o);
  if (stuck !== undefined) return { status: "infeasible", solver: HIGHS, message: `VM ${p.vms[stuck].id} fits no host of the model` };
  const xs = xColumns(p, o);
  if (xs > lim.maxColumns) return fail(`model too large for HiGHS (${xs} assignment columns; limit ${lim.maxColumns})`, "size");
  const model = buildLinearModel(p, { scope: o.scope, envelopes: o.envelopes });
  const nnz = model.rows.reduce((s, r) => s + r.terms.length, 0);
  if (model.vars.length > lim.maxColumns || nnz > lim.maxNonzeros)
    return fail(`model too large for HiGHS (${model.vars.length} columns, ${nnz} nonzeros; limits ${lim.maxColumns}, ${lim.maxNonzeros})`, "size");
  const pm = packModel(model, isRedundantLink);
  fixItemSymmetry(p, pm);
  const start = o.start ? relabelWithinTypes(p, pm, o.start) : undefined;
  const plan = start ? planStart(pm, start) : undefined;
  const useStart = plan !== undefined && plan.freedVms <= MAX_FREED_SHARE * pm.vms.length;
  const stop = new SharedArrayBuffer(4);
  const req: MilpRequest = {
    arrays: pm.arrays,
    start: useStart ? plan.start : undefined,
    timeLimitSec: Math.max(0.05, (o.timeLimitMs - lim.startupMs) / 1000),
    stop,
    objectiveTarget: o.objectiveTarget,
    maxNodes: o.maxNodes,
    hangForTest: hooks.hang,
  };
  // Soft deadline first (HiGHS stops at its next checkpoint and keeps its incumbent), the
  // watchdog's hard stop graceMs later.
  const softStop = { flag: stop, afterMs: Math.max(0, o.timeLimitMs - lim.stopMarginMs) };
  const out = await exchange(req, { watchdogMs: o.timeLimitMs + lim.graceMs, signal: o.signal, softStop });
  return toResult(p, pm, out, start, startNote(plan, useStart, pm.vms.length));
}

/**
 * MAX_FREED_SHARE: a start whose broken hosts hold more than this share of the VMs is not used.
 * HiGHS completes a partial start with a sub-MIP over the left-out VMs, which for most of the
 * plan is the whole problem again: measured on the generated 200 × 50 instance with 192 of 200
 * VMs left out, the completion spent the full time limit to reach 21.6, where the solve without
 * a start reached 19.8 (the optimum) in the same time.
 */
const MAX_FREED_SHARE = 0.25;

function startNote(plan: StartPlan | undefined, used: boolean, vms: number): string {
  if (!plan || plan.badHosts === 0) return "";
  const what = `${plan.badHosts} host(s) of the start break model rows (${plan.freedVms} of ${vms} VMs)`;
  return used ? `; ${what}, left to HiGHS` : `; start not used: ${what}`;
}

function fail(message: string, failure?: ExactResult["failure"]): ExactResult {
  return { status: "error", message, solver: HIGHS, failure };
}

function toResult(p: PlacementProblem, pm: PackedModel, out: WorkerOutcome<MilpReply>, start: Int32Array | undefined, note: string): ExactResult {
  if (out.kind === "killed")
    return { status: "timeout", message: out.reason === "watchdog" ? "watchdog terminated the HiGHS worker" : "aborted by the caller", solver: HIGHS };
  if (out.kind === "crashed") return fail(`HiGHS worker crashed: ${out.message}`, "crash");
  const r = out.value;
  if (r.error !== undefined) return fail(`HiGHS failed: ${r.error}`);
  const status = statusOf(r.modelStatus, r.colValue !== undefined);
  const base = { status, solver: HIGHS, dualBound: finite(r.dualBound), message: `${MODEL_STATUS[r.modelStatus] ?? r.modelStatus}${note}`, limit: limitOf(r.modelStatus) };
  if (!r.colValue || (status !== "optimal" && status !== "feasible")) return base;
  return { ...base, assignment: decodeColumns(p, pm, r.colValue, start), objective: r.objective };
}

function finite(x: number | undefined): number | undefined {
  return x !== undefined && Number.isFinite(x) ? x : undefined;
}

/** HiGHS model status codes (highs.constants.modelStatus) as words for messages. */
const MODEL_STATUS: Record<number, string> = {
  0: "not set", 1: "load error", 2: "model error", 3: "presolve error", 4: "solve error", 5: "postsolve error",
  6: "empty", 7: "optimal", 8: "infeasible", 9: "infeasible or unbounded", 10: "unbounded",
  11: "objective bound reached", 12: "objective target reached", 13: "time limit reached",
  14: "iteration limit reached", 15: "unknown", 16: "solution limit reached", 17: "interrupted",
};

/** limitOf: which limit ended a solve: HiGHS reports mip_max_nodes as "solution limit reached" (16). */
function limitOf(modelStatus: number): ExactResult["limit"] {
  if (modelStatus === 16) return "nodes";
  return modelStatus === 13 || modelStatus === 17 ? "time" : undefined;
}

/**
 * statusOf maps HiGHS's model status onto ExactStatus. "Infeasible or unbounded" counts as
 * infeasible: every placement model is bounded (binary x and y, non-negative costs and slacks).
 * A limit with an incumbent is "feasible", without one "timeout".
 */
export function statusOf(modelStatus: number, hasSolution: boolean): ExactStatus {
  switch (modelStatus) {
    case 6:
    case 7:
      return "optimal";
    case 8:
    case 9:
      return "infeasible";
    case 11:
    case 12:
    case 13:
    case 14:
    case 16:
    case 17:
      return hasSolution ? "feasible" : "timeout";
    default:
      return "error";
  }
}
