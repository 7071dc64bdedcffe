import { Worker } from "node:worker_threads";
import type { SolverKind, SolverReply, SolverRequest, SolverWorkers, WarmSolverWorker, WorkerCall, WorkerOutcome } from "../placement/solvers/worker-port.js";
import { compiledWorkerUrl } from "./worker-url.js";

/** The worker script of each solver kind (compiled under vitest: see compiledWorkerUrl). */
const ENTRY: Record<SolverKind, string> = { highs: "highs-worker.js", "javascript-lp-solver": "lp-tiny-worker.js" };

function entryUrl(kind: SolverKind): URL {
  return compiledWorkerUrl(ENTRY[kind], import.meta.url);
}

/**
 * threadSolverWorkers runs the placer's exact backends in worker threads: a fresh worker per
 * request (`run`) or one warm worker (`warm`), each under a watchdog.
 */
export const threadSolverWorkers: SolverWorkers = {
  run: <K extends SolverKind>(kind: K, request: SolverRequest<K>, call: WorkerCall) =>
    withSoftStop(call, () => runWorker<SolverRequest<K>, SolverReply<K>>(entryUrl(kind), request, call.watchdogMs, call.signal)),
  warm: <K extends SolverKind>(kind: K): WarmSolverWorker<K> => {
    const w = new WarmWorker<SolverRequest<K>, SolverReply<K>>(entryUrl(kind));
    return {
      run: (request, call) => withSoftStop(call, () => w.run(request, call.watchdogMs, call.signal)),
      retire: () => w.retire(),
      close: () => w.close(),
    };
  },
};

/**
 * withSoftStop raises the request's stop flag afterMs from now (the solver stops at its next
 * checkpoint and keeps its incumbent); the watchdog's hard stop comes later. The timer starts at
 * the call, so time a warm request waits in its worker's queue counts against it.
 */
async function withSoftStop<T>(call: WorkerCall, run: () => Promise<T>): Promise<T> {
  const s = call.softStop;
  if (!s) return run();
  const timer = setTimeout(() => Atomics.store(new Int32Array(s.flag), 0, 1), Math.max(0, s.afterMs));
  return run().finally(() => clearTimeout(timer));
}

/**
 * exchange posts one request and waits for one reply. The watchdog is a timer, not a clock read:
 * after `watchdogMs` the worker is terminated, the only way to stop a solver stuck inside one
 * synchronous call (javascript-lp-solver inside a simplex step, HiGHS in a long presolve).
 * `keep` says whether the worker survives a "done" reply (warm reuse); every other outcome
 * terminates it.
 */
function exchange<Req, Res>(worker: Worker, request: Req, watchdogMs: number, signal: AbortSignal | undefined, keep: boolean): Promise<WorkerOutcome<Res>> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      void worker.terminate();
      return resolve({ kind: "killed", reason: "aborted" });
    }
    const finish = (o: WorkerOutcome<Res>): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (o.kind !== "done" || !keep) void worker.terminate();
      resolve(o);
    };
    const onMessage = (value: Res): void => finish({ kind: "done", value });
    // Emscripten prints its whole minified module on an abort: keep the first line only.
    const onError = (e: Error): void => finish({ kind: "crashed", message: firstLine(e.message) });
    const onExit = (code: number): void => finish({ kind: "crashed", message: `worker exited with code ${code} before answering` });
    const onAbort = (): void => finish({ kind: "killed", reason: "aborted" });
    const timer = setTimeout(() => finish({ kind: "killed", reason: "watchdog" }), watchdogMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.once("message", onMessage).once("error", onError).once("exit", onExit);
    worker.postMessage(request);
  });
}

/**
 * runWorker answers one request in a fresh worker. Fresh is deliberate for big solves: HiGHS's
 * WebAssembly heap only grows (a 200 × 50 solve leaves 400 MiB behind) and an abort leaves the
 * instance unusable.
 */
export function runWorker<Req, Res>(url: URL, request: Req, watchdogMs: number, signal?: AbortSignal): Promise<WorkerOutcome<Res>> {
  return exchange(new Worker(url, { stderr: true }), request, watchdogMs, signal, false);
}

/**
 * WarmWorker answers requests one at a time in one long-lived worker, for many small solves
 * (large-neighbourhood steps): a fresh HiGHS worker costs ~90 ms to start and its WebAssembly
 * runs ~150 ms slower on first use (tier-up), more than a small side model takes to solve.
 * Requests queue; a killed or crashed worker is replaced on the next request, and `retire`
 * replaces it once its heap grew past a limit. The idle worker is unref'd so it never keeps the
 * process alive; a pending request's watchdog timer does.
 */
export class WarmWorker<Req, Res> {
  private worker: Worker | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly url: URL) {}

  run(request: Req, watchdogMs: number, signal?: AbortSignal): Promise<WorkerOutcome<Res>> {
    const next = this.tail.then(() => this.runNow(request, watchdogMs, signal));
    this.tail = next;
    return next;
  }

  /** retire drops the current worker (its memory goes with it); the next request starts a new one. */
  retire(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  async close(): Promise<void> {
    await this.tail;
    this.retire();
  }

  private async runNow(request: Req, watchdogMs: number, signal?: AbortSignal): Promise<WorkerOutcome<Res>> {
    this.worker ??= new Worker(this.url, { stderr: true });
    const w = this.worker;
    w.unref();
    const out = await exchange<Req, Res>(w, request, watchdogMs, signal, true);
    if (out.kind !== "done") this.worker = undefined;
    return out;
  }
}

function firstLine(s: string): string {
  const line = s.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
