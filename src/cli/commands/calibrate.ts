import type { Command } from "commander";
import { assembleTable, calibrationJobs, FULL_GRID, type GridSpec } from "../../interference/calibrate.js";
import { defaultPoolSize } from "../../runtime/sim-pool.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import { calibrationOut, NEW_TABLE } from "../../io/calibration-out.js";
import { intOption, durationMsOption } from "../options.js";
import { progress } from "../progress.js";
import { openSimRunner, redisFallbackOption, redisOption, type SimBackendFlags } from "../sim-backend.js";

interface CalibrateFlags extends SimBackendFlags {
  out?: string;
  force?: boolean;
  workers: number;
  duration?: number;
  seeds?: number;
  seed?: number;
  cores?: string;
}

/** registerCalibrate adds `vmplace calibrate`: the simulator sweep behind the predictor's table. */
export function registerCalibrate(program: Command): void {
  program
    .command("calibrate")
    .description("run the simulator over the calibration grid in worker threads and write the predictor's table")
    .option("--out <file>", `where to write the table (default: a new ${NEW_TABLE} in the current folder, numbered if taken)`)
    .option("--force", "allow --out to replace the shipped data/calibration/table-v1.json")
    .option("--workers <n>", "worker threads (without --redis)", intOption("--workers", 1, 256), defaultPoolSize())
    .option("--duration <time>", `simulated time per cell (default ${FULL_GRID.durationMs / 1000}s)`, durationMsOption("--duration"))
    .option("--seeds <n>", `seeds per cell (default ${FULL_GRID.seedsPerCell})`, intOption("--seeds", 1, 100))
    .option("--seed <n>", `base seed (default ${FULL_GRID.seed})`, intOption("--seed", 0, 2 ** 31 - 1))
    .option("--cores <list>", `core counts to calibrate (default ${FULL_GRID.cores.join(",")})`)
    .addOption(redisOption())
    .addOption(redisFallbackOption())
    .action(async (f: CalibrateFlags) => {
      const out = calibrationOut(f.out, f.force ?? false);
      checkWritable(out);
      const grid: GridSpec = {
        ...FULL_GRID,
        durationMs: f.duration ?? FULL_GRID.durationMs,
        seedsPerCell: f.seeds ?? FULL_GRID.seedsPerCell,
        seed: f.seed ?? FULL_GRID.seed,
        cores: f.cores ? f.cores.split(",").map((c) => intOption("--cores", 1, 4096)(c)) : FULL_GRID.cores,
      };
      const plan = calibrationJobs(grid);
      const total = plan.jobs.length + plan.baselineJobs.length;
      const pool = await openSimRunner(f, { workers: f.workers });
      process.stderr.write(`calibrate: ${plan.families.length} families, ${total} simulations of ${grid.durationMs / 1000} s ${f.redis ? "on the Redis queue" : `on ${f.workers} workers`}\n`);
      const bar = progress("calibrate");
      try {
        const results = await pool.runAll(plan.jobs, (d) => bar.update(d / total));
        const base = await pool.runAll(plan.baselineJobs, (d) => bar.update((plan.jobs.length + d) / total));
        bar.done();
        const table = assembleTable(grid, plan, results, base);
        writeFileAtomic(out, `${JSON.stringify(table)}\n`);
        process.stderr.write(`calibrate: wrote ${out}; use it with --calibration ${out}\n`);
      } finally {
        await pool.close();
      }
    });
}
