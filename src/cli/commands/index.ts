import type { Command } from "commander";
import { registerValidate } from "./validate.js";
import { registerSchema } from "./schema.js";
import { registerGenerate } from "./generate.js";
import { registerDemo } from "./demo.js";
import { registerImport } from "./import.js";
import { registerCalibrate } from "./calibrate.js";
import { registerScore } from "./score.js";
import { registerSimulate } from "./simulate.js";
import { registerPlan } from "./plan.js";
import { registerServe } from "./serve.js";
import { registerMigrate } from "./migrate.js";
import { registerReport } from "./report.js";
import { registerProbe } from "./probe.js";

/** registerCommands adds every subcommand; keep one line per command file. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerSchema(program);
  registerGenerate(program);
  registerDemo(program);
  registerImport(program);
  registerCalibrate(program);
  registerScore(program);
  registerSimulate(program);
  registerPlan(program);
  registerServe(program);
  registerMigrate(program);
  registerReport(program);
  registerProbe(program);
}
