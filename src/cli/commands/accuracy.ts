import type { Command } from "commander";
import { drawAll, EVAL_SEEDS } from "../../interference/eval/compositions.js";
import { measure, renderGroups } from "../../interference/eval/measure.js";
import { assembleReference, referenceCases, referenceJobs, REFERENCE_SPEC, reusableEntries, toSimulate } from "../../interference/eval/reference.js";
import { predictWithScore } from "../../interference/eval/predict.js";
import { checkReferenceOut, loadReference, saveReference } from "../../io/accuracy-reference.js";
import { loadPredictor } from "../../io/calibration.js";
import { InputError } from "../../io/load.js";
import { WorkerPool, defaultPoolSize } from "../../runtime/sim-pool.js";
import { intOption } from "../options.js";
import { progress } from "../progress.js";

interface AccuracyFlags {
  reference?: string;
  calibration?: string;
  json?: boolean;
  rebuildReference?: boolean;
  out?: string;
  force?: boolean;
  workers: number;
}

/**
 * registerAccuracy adds `vmplace accuracy`: the predictor against the cached simulated reference of
 * the frozen evaluation compositions, and `--rebuild-reference` to re-simulate that reference.
 */
export function registerAccuracy(program: Command): void {
  program
    .command("accuracy")
    .description("measure the interference predictor on the frozen evaluation compositions (cached simulated reference)")
    .option("--reference <file>", "simulated reference (default: the bundled one)")
    .option("--calibration <file>", "interference model, `vmplace calibrate` output (default: the bundled one)")
    .option("--json", "print the figures as JSON")
    .option("--rebuild-reference", "simulate the reference of every evaluation composition that --reference (default: the bundled one) lacks or made with another simulator, and write the whole reference to --out")
    .option("--out <file>", "where --rebuild-reference writes (required with it; no default)")
    .option("--force", "let --rebuild-reference replace an existing file")
    .option("--workers <n>", "worker threads for --rebuild-reference", intOption("--workers", 1, 256), defaultPoolSize())
    .action(async (f: AccuracyFlags) => {
      if (f.rebuildReference) return rebuild(f);
      const cases = referenceCases(drawAll(EVAL_SEEDS), loadReference(f.reference));
      const r = measure(cases, predictWithScore(loadPredictor(f.calibration)));
      process.stdout.write(f.json ? `${JSON.stringify(r.groups, null, 2)}\n` : `${renderGroups(r.groups)}\n`);
    });
}

async function rebuild(f: AccuracyFlags): Promise<void> {
  if (!f.out) throw new InputError("--rebuild-reference needs --out <file>");
  checkReferenceOut(f.out, f.force ?? false);
  const comps = drawAll(EVAL_SEEDS);
  // Runs are seeded by composition id, so an entry made with the same simulator is what a rerun gives.
  const reuse = reusableEntries(loadReference(f.reference));
  const fresh = toSimulate(comps, reuse);
  const jobs = referenceJobs(fresh);
  process.stderr.write(`accuracy: ${comps.length} compositions (${comps.length - fresh.length} kept from the reference), ${jobs.length} simulations of ${REFERENCE_SPEC.durationMs / 1000} s on ${f.workers} workers\n`);
  const pool = new WorkerPool(f.workers);
  const bar = progress("reference");
  try {
    const results = await pool.runAll(jobs, (d, t) => bar.update(d / t));
    bar.done();
    saveReference(f.out, assembleReference(comps, results, EVAL_SEEDS, REFERENCE_SPEC, reuse), f.force ?? false);
    process.stderr.write(`accuracy: wrote ${f.out}\n`);
  } finally {
    await pool.close();
  }
}
