import { Worker } from "node:worker_threads";

/**
 * workerUrl finds a worker script of this folder. Under vitest the sources are .ts and a worker
 * cannot load them, so it loads the compiled twin that `npm test` builds into dist/ first (the
 * approach of src/sim/pool.ts).
 */
export function workerUrl(file: string): URL {
  const here = new URL(`./${file}`, import.meta.url);
  if (!import.meta.url.endsWith(".ts")) return here;
  return new URL(here.href.replace("/src/placement/solvers/", "/dist/src/placement/solvers/"));
}

/**
 * WorkerOutcome: the worker answered ("done"), the watchdog or the caller's signal ended it
 * ("killed"), or it died on its own ("crashed": a thrown error, a WebAssembly abort, exit).
 */
export type WorkerOutcome<Res> =
  | { readonly kind: "done"; readonly value: Res }
  | { readonly kind: "killed"; readonly reason: "watchdog" | "aborted" }
  | { readonly kind: "crashed"; readonly message: string };

/**
 * runWorker starts a fresh worker, posts one request and waits for one reply. A fresh worker per
 * solve is deliberate: HiGHS's WebAssembly heap only grows (a 200 × 50 solve leaves 600 MiB
 * behind) and an abort leaves the instance unusable, so nothing is reused. The watchdog is a
 * timer, not a clock read: after `watchdogMs` the worker is terminated, which is the only way to
 * stop a solver stuck inside one synchronous call (javascript-lp-solver inside a simplex step).
 */
export function runWorker<Req, Res>(url: URL, request: Req, watchdogMs: number, signal?: AbortSignal): Promise<WorkerOutcome<Res>> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ kind: "killed", reason: "aborted" });
    const worker = new Worker(url, { stderr: true, stdout: true });
    let settled = false;
    const finish = (o: WorkerOutcome<Res>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      resolve(o);
    };
    const onAbort = (): void => finish({ kind: "killed", reason: "aborted" });
    const timer = setTimeout(() => finish({ kind: "killed", reason: "watchdog" }), watchdogMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.once("message", (value: Res) => finish({ kind: "done", value }));
    // Emscripten prints its whole minified module on an abort: keep the first line only.
    worker.once("error", (e: Error) => finish({ kind: "crashed", message: firstLine(e.message) }));
    worker.once("exit", (code) => finish({ kind: "crashed", message: `worker exited with code ${code} before answering` }));
    worker.postMessage(request);
  });
}

function firstLine(s: string): string {
  const line = s.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
