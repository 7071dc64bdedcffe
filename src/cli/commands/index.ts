import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * COMMANDS: each subcommand's module, imported only when it is needed. A run of one command
 * loads that command's module alone: `vmplace simulate` never loads fastify, HiGHS or the placer,
 * which the process would otherwise parse and evaluate at every start. Keep one line per command.
 */
const COMMANDS = new Map<string, () => Promise<Register>>([
  ["validate", async () => (await import("./validate.js")).registerValidate],
  ["schema", async () => (await import("./schema.js")).registerSchema],
  ["generate", async () => (await import("./generate.js")).registerGenerate],
  ["demo", async () => (await import("./demo.js")).registerDemo],
  ["import", async () => (await import("./import.js")).registerImport],
  ["calibrate", async () => (await import("./calibrate.js")).registerCalibrate],
  ["score", async () => (await import("./score.js")).registerScore],
  ["simulate", async () => (await import("./simulate.js")).registerSimulate],
  ["plan", async () => (await import("./plan.js")).registerPlan],
  ["serve", async () => (await import("./serve.js")).registerServe],
  ["migrate", async () => (await import("./migrate.js")).registerMigrate],
  ["advise", async () => (await import("./advise.js")).registerAdvise],
  ["report", async () => (await import("./report.js")).registerReport],
  ["probe", async () => (await import("./probe.js")).registerProbe],
  ["worker", async () => (await import("./worker.js")).registerWorker],
  ["approve", async () => (await import("./approve.js")).registerApprove],
  ["apply", async () => (await import("./apply.js")).registerApply],
  ["accuracy", async () => (await import("./accuracy.js")).registerAccuracy],
  ["check-robustness", async () => (await import("./check-robustness.js")).registerCheckRobustness],
]);

/** Asking for the version needs no command. */
const VERSION_FLAGS = new Set(["-V", "--version"]);

/**
 * registerCommands adds the subcommand that `argv` names, none for --version, or every
 * subcommand when it names none it knows (the command list of --help, `help CMD`, commander's
 * "did you mean").
 */
export async function registerCommands(program: Command, argv: readonly string[] = process.argv): Promise<void> {
  const first = argv[2] ?? "";
  if (VERSION_FLAGS.has(first)) return;
  const named = COMMANDS.get(first);
  const loaders = named ? [named] : [...COMMANDS.values()];
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program);
}
