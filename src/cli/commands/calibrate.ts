import type { Command } from "commander";
import { CORE_NAMES } from "../../interference/core/scheduler-core.js";
import { assembleModel, calibrationPlan, DEFAULT_SPEC, specFromSeed, type CalibrationSpec } from "../../interference/calibrate.js";
import { defaultPoolSize } from "../../runtime/sim-pool.js";
import { InputError } from "../../io/load.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import { calibrationOut, NEW_MODEL } from "../../io/calibration-out.js";
import { intOption, durationMsOption } from "../options.js";
import { progress } from "../progress.js";
import { openSimRunner, redisFallbackOption, redisOption, type SimBackendFlags } from "../sim-backend.js";

interface CalibrateFlags extends SimBackendFlags {
  out?: string;
  force?: boolean;
  workers: number;
  duration?: number;
  runs?: number;
  seed?: number;
  seeds?: number;
}

/**
 * registerCalibrate adds `vmplace calibrate`: the seeded simulation sweep the interference model
 * is fitted on (corrections, conformal margins, the victim-alone baseline), written as a model file.
 */
export function registerCalibrate(program: Command): void {
  program
    .command("calibrate")
    .description("simulate the calibration sweep and fit the interference model (corrections, bound margins, baseline)")
    .option("--out <file>", `where to write the model (default: a new ${NEW_MODEL} in the current folder, numbered if taken)`)
    .option("--force", "allow --out to replace the shipped data/interference/model-v15.json")
    .option("--workers <n>", "worker threads (without --redis)", intOption("--workers", 1, 256), defaultPoolSize())
    .option("--duration <time>", `simulated time per run (default ${DEFAULT_SPEC.durationMs / 1000}s)`, durationMsOption("--duration"))
    .option("--runs <n>", `runs per host, median taken (default ${DEFAULT_SPEC.seedsPerCase})`, intOption("--runs", 1, 101))
    .option("--seed <n>", `first generator seed of the sweep (default ${DEFAULT_SPEC.fitSeeds[0]}; held-out hosts use seed + 1000 on, credit2-only ones after those)`, intOption("--seed", 0, 2 ** 31 - 2000))
    .option("--seeds <n>", `generator seeds for fitting, as many held out for the bound, and twice as many held out for credit2's sets (default ${DEFAULT_SPEC.fitSeeds.length})`, intOption("--seeds", 1, 1000))
    .addOption(redisOption())
    .addOption(redisFallbackOption())
    .action(async (f: CalibrateFlags) => {
      const out = calibrationOut(f.out, f.force ?? false);
      checkWritable(out);
      const base: CalibrationSpec = { ...DEFAULT_SPEC, durationMs: f.duration ?? DEFAULT_SPEC.durationMs, seedsPerCase: f.runs ?? DEFAULT_SPEC.seedsPerCase };
      const spec = f.seed !== undefined || f.seeds !== undefined ? specFromSeed(f.seed ?? DEFAULT_SPEC.fitSeeds[0], f.seeds ?? DEFAULT_SPEC.fitSeeds.length, base) : base;
      let plan;
      try {
        plan = calibrationPlan(spec);
      } catch (e) {
        throw new InputError((e as Error).message);
      }
      const pool = await openSimRunner(f, { workers: f.workers });
      process.stderr.write(`calibrate: ${plan.fit.length} fitting and ${plan.conformal.length} held-out hosts, ${plan.jobs.length} simulations of ${spec.durationMs / 1000} s ${f.redis ? "on the Redis queue" : `on ${f.workers} workers`}\n`);
      const bar = progress("calibrate");
      try {
        const results = await pool.runAll(plan.jobs, (d, t) => bar.update(d / t));
        bar.done();
        const model = assembleModel(plan, results);
        writeFileAtomic(out, `${JSON.stringify(model, null, 1)}\n`);
        for (const name of CORE_NAMES) {
          const c = model.cores[name];
          process.stderr.write(`calibrate: ${name}: p99.9 fit median |ln| ${c.p999.fitMedianBefore} -> ${c.p999.fitMedianAfter}; bound margin x${Math.exp(c.conformal999.contended).toFixed(2)} contended (${c.conformal999.contendedCases} held-out), x${Math.exp(c.conformal999.quiet).toFixed(2)} quiet (${c.conformal999.quietCases})\n`);
        }
        process.stderr.write(`calibrate: wrote ${out}; use it with --calibration ${out}\n`);
      } finally {
        await pool.close();
      }
    });
}
