#!/usr/bin/env node
import module from "node:module";
import { Command, CommanderError } from "commander";
import { InputError } from "../io/load.js";
import { renderProblems } from "../model/problems.js";
import { SimJobFailedError } from "../runtime/redis-batch.js";
import { VERSION } from "./version.js";
import { registerCommands } from "./commands/index.js";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes.js";
import { stopProgress } from "./progress.js";

// Node 22.1+ keeps the compiled code of the modules loaded from here on (every command's, as
// they load lazily) in its on-disk cache; Node 20 has no such API and starts without it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// A reader that stops early (`vmplace score big.json | head -1`) closes the pipe: that is the
// reader's choice, not a failure, so the command ends quietly with 0 instead of an EPIPE trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.ok);
    // Anything else (a full disk behind a redirect) is the output's fault, not a bug.
    process.exitCode = EXIT.input;
    if (stream !== process.stderr) process.stderr.write(`vmplace: cannot write to standard output: ${e.code ?? e.message}\n`);
    process.exit();
  });
}

const program = new Command("vmplace")
  .description("Cluster VM placement that keeps IO tail latency within SLO under Xen credit and KVM/CFS")
  .version(VERSION, "-V, --version")
  .showHelpAfterError()
  .exitOverride()
  .addHelpText("after", EXIT_CODES_HELP);
await registerCommands(program);
for (const cmd of program.commands) cmd.addHelpText("after", EXIT_CODES_HELP);

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
    return e.exitCode === 0 ? EXIT.ok : EXIT.input;
  }
  if (e instanceof InputError) {
    process.stderr.write(`vmplace: ${e.message}\n`);
    if (e.problems.length > 0) process.stderr.write(`${renderProblems(e.problems)}\n`);
    return EXIT.input;
  }
  // A queue job that used up its attempts is not this process's bug: say what failed and where.
  if (e instanceof SimJobFailedError) {
    process.stderr.write(`vmplace: ${e.message}\n`);
    return EXIT.jobFailed;
  }
  process.stderr.write(`vmplace: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.VMPLACE_DEBUG) process.stderr.write(`${(e as Error).stack ?? ""}\n`);
  return EXIT.internal;
}
