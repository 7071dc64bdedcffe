#!/usr/bin/env node
import module from "node:module";
import { Command, CommanderError } from "commander";
import { InputError } from "../io/load.js";
import { renderProblems } from "../model/problems.js";
import { SimJobFailedError } from "../runtime/redis-batch.js";
import { VERSION } from "./version.js";
import { registerCommands } from "./commands/index.js";
import { stopProgress } from "./progress.js";

// Node 22.1+ keeps the compiled code of the modules loaded from here on (every command's, as
// they load lazily) in its on-disk cache; Node 20 has no such API and starts without it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const program = new Command("vmplace")
  .description("Cluster VM placement that keeps IO tail latency within SLO under Xen credit and KVM/CFS")
  .version(VERSION, "-V, --version")
  .showHelpAfterError()
  .exitOverride();
await registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = exitCodeFor(e);
} finally {
  stopProgress();
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end through here with code 0; usage mistakes get 2.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof InputError) {
    process.stderr.write(`vmplace: ${e.message}\n`);
    if (e.problems.length > 0) process.stderr.write(`${renderProblems(e.problems)}\n`);
    return 2;
  }
  // A queue job that used up its attempts is not this process's bug: say what failed and where.
  if (e instanceof SimJobFailedError) {
    process.stderr.write(`vmplace: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`vmplace: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.VMPLACE_DEBUG) process.stderr.write(`${(e as Error).stack ?? ""}\n`);
  return 1;
}
