import type { Command } from "commander";
import { drawRound, EVAL_ROUNDS, evalRound, OPEN_ROUNDS, type EvalRound } from "../../interference/eval/compositions.js";
import { measure, renderGroups, type GroupStats } from "../../interference/eval/measure.js";
import { assembleReference, referenceCases, referenceJobs, REFERENCE_SPEC, reusableEntries, toSimulate } from "../../interference/eval/reference.js";
import { predictWithScore } from "../../interference/eval/predict.js";
import { checkReferenceOut, loadReference, loadRoundReference, saveReference } from "../../io/accuracy-reference.js";
import { loadPredictor } from "../../io/calibration.js";
import { InputError } from "../../io/load.js";
import { WorkerPool, defaultPoolSize } from "../../runtime/sim-pool.js";
import { intOption } from "../options.js";
import { progress } from "../progress.js";

interface AccuracyFlags {
  round?: string;
  reference?: string;
  calibration?: string;
  json?: boolean;
  rebuildReference?: boolean;
  out?: string;
  force?: boolean;
  workers: number;
}

function pickRound(name: string): EvalRound {
  try {
    return evalRound(name);
  } catch (e) {
    throw new InputError(`--round: ${(e as Error).message}`);
  }
}

/**
 * registerAccuracy adds `vmplace accuracy`: the predictor against the cached simulated reference of
 * each frozen evaluation round, and `--rebuild-reference` to re-simulate one round's reference.
 */
export function registerAccuracy(program: Command): void {
  program
    .command("accuracy")
    .description("measure the interference predictor on the frozen evaluation rounds (cached simulated reference)")
    .option("--round <name>", `one evaluation round (${EVAL_ROUNDS.map((r) => r.name + (r.sealed ? " (sealed: measure once, after a model change)" : "")).join(", ")}; default: every round but the sealed ones)`)
    .option("--reference <file>", "simulated reference of --round (default: the round's bundled one)")
    .option("--calibration <file>", "interference model, `vmplace calibrate` output (default: the bundled one)")
    .option("--json", "print the figures as JSON: an object of each round's groups")
    .option("--rebuild-reference", "simulate the reference of every composition of --round that --reference (default: the bundled one) lacks or made with another simulator, and write the whole reference to --out")
    .option("--out <file>", "where --rebuild-reference writes (required with it; no default)")
    .option("--force", "let --rebuild-reference replace an existing file")
    .option("--workers <n>", "worker threads for --rebuild-reference", intOption("--workers", 1, 256), defaultPoolSize())
    .action(async (f: AccuracyFlags) => {
      if (f.rebuildReference) return rebuild(f);
      if (f.reference && !f.round) throw new InputError("--reference needs --round <name>: a reference belongs to one round");
      const rounds = f.round ? [pickRound(f.round)] : OPEN_ROUNDS;
      const predict = predictWithScore(loadPredictor(f.calibration));
      const out: Record<string, GroupStats[]> = {};
      const text: string[] = [];
      for (const r of rounds) {
        out[r.name] = measure(referenceCases(drawRound(r), loadRoundReference(r, f.reference)), predict).groups;
        text.push(`${r.name} (seeds ${r.seeds[0]}-${r.seeds[r.seeds.length - 1]})\n${renderGroups(out[r.name])}`);
      }
      process.stdout.write(f.json ? `${JSON.stringify(out, null, 2)}\n` : `${text.join("\n\n")}\n`);
    });
}

async function rebuild(f: AccuracyFlags): Promise<void> {
  if (!f.out) throw new InputError("--rebuild-reference needs --out <file>");
  checkReferenceOut(f.out, f.force ?? false);
  if (!f.round) throw new InputError("--rebuild-reference needs --round <name>: a reference belongs to one round");
  const round = pickRound(f.round);
  const comps = drawRound(round);
  // Runs are seeded by composition id, so an entry made with the same simulator is what a rerun gives.
  const reuse = reusableEntries(f.reference ? loadReference(f.reference) : undefined);
  const fresh = toSimulate(comps, reuse);
  const jobs = referenceJobs(fresh);
  process.stderr.write(`accuracy: ${round.name}: ${comps.length} compositions (${comps.length - fresh.length} kept from the reference), ${jobs.length} simulations of ${REFERENCE_SPEC.durationMs / 1000} s on ${f.workers} workers\n`);
  const pool = new WorkerPool(f.workers);
  const bar = progress("reference");
  try {
    const results = await pool.runAll(jobs, (d, t) => bar.update(d / t));
    bar.done();
    saveReference(f.out, assembleReference(comps, results, round.seeds, REFERENCE_SPEC, reuse, round.sets), f.force ?? false);
    process.stderr.write(`accuracy: wrote ${f.out}\n`);
  } finally {
    await pool.close();
  }
}
