import type { Model } from "javascript-lp-solver";
import type { MilpArrays, SparseStart } from "./milp-model.js";

/** MilpRequest: one HiGHS solve. Everything survives structured cloning (typed arrays, numbers). */
export interface MilpRequest {
  readonly arrays: MilpArrays;
  readonly start?: SparseStart;
  readonly timeLimitSec: number;
  /**
   * Int32 flag raised to 1 (Atomics.store) at the caller's deadline. HiGHS's own time_limit is
   * per run, and completing a partial start is a separate sub-MIP run with a fresh clock, so a
   * solve with a start could take twice the limit; the flag, checked from HiGHS's simplex and
   * MIP interrupt callbacks, stops both and keeps the incumbent. WorkerCall.softStop raises it.
   */
  readonly stop?: SharedArrayBuffer;
  readonly objectiveTarget?: number;
  /** HiGHS mip_max_nodes: the deterministic work limit (ExactSolveOptions.maxNodes). */
  readonly maxNodes?: number;
  /** Test hook: spin forever instead of solving, so tests can see the watchdog end a stuck worker. */
  readonly hangForTest?: boolean;
}

/** MilpReply: HiGHS's model status code and what it had when it stopped. */
export interface MilpReply {
  readonly modelStatus: number;
  /** Present only when HiGHS reports a feasible primal solution. */
  readonly colValue?: Float64Array;
  readonly objective?: number;
  readonly dualBound?: number;
  readonly heapBytes: number;
  readonly error?: string;
}

/** TinyRequest: one javascript-lp-solver model (its own JSON format) and a test hook. */
export interface TinyRequest {
  readonly model: Model;
  /** Test hook: spin forever instead of solving, so tests can see the watchdog end a stuck worker. */
  readonly hangForTest?: boolean;
}

/** TinyReply: the solver's answer, values of every variable it reports (0 when absent). */
export interface TinyReply {
  readonly feasible: boolean;
  readonly integral: boolean;
  readonly objective: number;
  readonly values: Record<string, number>;
  readonly error?: string;
}

/** SolverJobs: what each solver worker takes and answers, by kind. */
export interface SolverJobs {
  highs: { request: MilpRequest; reply: MilpReply };
  "javascript-lp-solver": { request: TinyRequest; reply: TinyReply };
}
export type SolverKind = keyof SolverJobs;
export type SolverRequest<K extends SolverKind> = SolverJobs[K]["request"];
export type SolverReply<K extends SolverKind> = SolverJobs[K]["reply"];

/**
 * WorkerOutcome: the worker answered ("done"), the watchdog or the caller's signal ended it
 * ("killed"), or it died on its own ("crashed": a thrown error, a WebAssembly abort, exit).
 */
export type WorkerOutcome<Res> =
  | { readonly kind: "done"; readonly value: Res }
  | { readonly kind: "killed"; readonly reason: "watchdog" | "aborted" }
  | { readonly kind: "crashed"; readonly message: string };

/** WorkerCall: the limits of one request. */
export interface WorkerCall {
  /** The worker is terminated this long after the call (a solver stuck in one synchronous step). */
  readonly watchdogMs: number;
  readonly signal?: AbortSignal;
  /** Raise this Int32 flag (MilpRequest.stop) afterMs after the call: the solver's clean stop. */
  readonly softStop?: { readonly flag: SharedArrayBuffer; readonly afterMs: number };
}

/** WarmSolverWorker answers requests one at a time in one long-lived worker (see SolverWorkers.warm). */
export interface WarmSolverWorker<K extends SolverKind> {
  run(request: SolverRequest<K>, call: WorkerCall): Promise<WorkerOutcome<SolverReply<K>>>;
  /** retire drops the current worker (its memory goes with it); the next request starts a new one. */
  retire(): void;
  close(): Promise<void>;
}

/**
 * SolverWorkers is how the exact backends reach HiGHS and javascript-lp-solver: placement builds
 * models and reads replies, and never starts a thread or a timer itself. The CLI and the API pass
 * in the thread implementation (src/runtime/solver-workers.ts). `run` answers in a fresh worker;
 * `warm` keeps one worker for many small solves. Neither throws for a stuck or crashed solver:
 * that is a WorkerOutcome.
 */
export interface SolverWorkers {
  run<K extends SolverKind>(kind: K, request: SolverRequest<K>, call: WorkerCall): Promise<WorkerOutcome<SolverReply<K>>>;
  warm<K extends SolverKind>(kind: K): WarmSolverWorker<K>;
}
