import { parentPort } from "node:worker_threads";
import highsModule from "highs";
import type { MilpReply, MilpRequest } from "../placement/solvers/worker-port.js";

// highs ships one CommonJS-style declaration file for both builds, so under NodeNext TypeScript
// types the ESM default import as the module object; at run time (build/highs.mjs) it is the loader.
type HighsLoader = typeof highsModule.default;
const highsLoader = highsModule as unknown as HighsLoader;
type HighsModel = ReturnType<Awaited<ReturnType<HighsLoader>>["createModel"]>;
type Callbacks = NonNullable<Parameters<HighsModel["run"]>[0]>;
type InterruptEvent = { interrupt(): void };

const SIMPLEX_INTERRUPT = 1;
const MIP_INTERRUPT = 6;

/** stopWhenFlagged interrupts HiGHS at its next checkpoint once the caller raised the flag. */
function stopWhenFlagged(flag: Int32Array): Callbacks {
  const check = (e: InterruptEvent): undefined => {
    if (Atomics.load(flag, 0) === 1) e.interrupt();
    return undefined;
  };
  return { [SIMPLEX_INTERRUPT]: check, [MIP_INTERRUPT]: check };
}

const FEASIBLE = 2;

// Loaded once per worker: a warm worker (WarmWorker) answers many requests with one runtime.
let runtime: ReturnType<HighsLoader> | undefined;

async function solve(req: MilpRequest): Promise<MilpReply> {
  if (req.hangForTest) for (;;);
  runtime ??= highsLoader();
  const highs = await runtime;
  const a = req.arrays;
  const model = highs.createModel({
    numCols: a.numCols,
    numRows: a.numRows,
    offset: a.offset,
    colCost: a.colCost,
    colLower: a.colLower,
    colUpper: a.colUpper,
    rowLower: a.rowLower,
    rowUpper: a.rowUpper,
    integrality: a.integrality,
    matrix: { format: "csr", numRows: a.numRows, numCols: a.numCols, starts: a.starts, indices: a.indices, values: a.values },
  });
  try {
    model.options.set({
      output_flag: false,
      time_limit: req.timeLimitSec,
      mip_rel_gap: 1e-6,
      // HiGHS's own symmetry detection takes seconds of presolve on 60k binaries; the model
      // already breaks the symmetry of identical hosts with rows and fixed columns.
      mip_detect_symmetry: false,
      ...(req.objectiveTarget !== undefined ? { objective_target: req.objectiveTarget } : {}),
      ...(req.maxNodes !== undefined ? { mip_max_nodes: req.maxNodes } : {}),
    });
    if (req.start) model.setSolution({ indices: req.start.indices, values: req.start.values });
    const { modelStatus } = model.run(req.stop ? stopWhenFlagged(new Int32Array(req.stop)) : undefined);
    return readResult(model, modelStatus, highs.memoryBytes);
  } finally {
    model.dispose();
  }
}

function readResult(model: HighsModel, modelStatus: number, heapBytes: number): MilpReply {
  const info = (name: string): number | undefined => {
    try {
      const v = model.info.get(name);
      return typeof v === "bigint" ? Number(v) : v;
    } catch {
      return undefined;
    }
  };
  const feasible = info("primal_solution_status") === FEASIBLE;
  return {
    modelStatus,
    heapBytes,
    colValue: feasible ? model.getSolution().colValue : undefined,
    objective: feasible ? model.getObjectiveValue() : undefined,
    dualBound: info("mip_dual_bound"),
  };
}

parentPort?.on("message", (req: MilpRequest) => {
  solve(req).then(
    (reply) => parentPort?.postMessage(reply),
    (e: unknown) => parentPort?.postMessage({ modelStatus: -1, heapBytes: 0, error: e instanceof Error ? e.message.split("\n")[0] : String(e) }),
  );
});
