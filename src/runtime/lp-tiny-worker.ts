import { parentPort } from "node:worker_threads";
import lpModule, { type SolveResult } from "javascript-lp-solver";
import type { TinyReply, TinyRequest } from "../placement/solvers/worker-port.js";

// The package declares its default export in a file TypeScript reads as CommonJS under NodeNext,
// so the ESM default import is typed as the module object; at run time (index.mjs) it is the solver.
type Solver = typeof lpModule.default;
const solver = lpModule as unknown as Solver;

function solve(req: TinyRequest): TinyReply {
  if (req.hangForTest) for (;;);
  const r = solver.Solve(req.model) as SolveResult;
  const values: Record<string, number> = {};
  for (const name of Object.keys(req.model.variables)) {
    const v = r[name];
    values[name] = typeof v === "number" ? v : 0;
  }
  return { feasible: r.feasible === true, integral: r.isIntegral === true, objective: r.result, values };
}

parentPort?.on("message", (req: TinyRequest) => {
  try {
    parentPort?.postMessage(solve(req));
  } catch (e) {
    parentPort?.postMessage({ feasible: false, integral: false, objective: NaN, values: {}, error: e instanceof Error ? e.message : String(e) });
  }
});
