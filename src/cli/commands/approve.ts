import type { Command } from "commander";
import { InputError, loadWith } from "../../io/load.js";
import { writeFileDurable } from "../../io/write.js";
import { approvePlan, ExecutionError } from "../../migrate/execution.js";
import { renderMigrationJson } from "../../report/migration-json.js";
import { parseMigrationPlan } from "../../report/render.js";

/** registerApprove adds `vmplace approve PLAN`: an operator accepts a recommended migration plan. */
export function registerApprove(program: Command): void {
  program
    .command("approve")
    .description("approve a recommended migration plan (vmplace migrate --format json --out PLAN) so vmplace apply may run it")
    .argument("<plan>", "migration plan document (JSON); updated in place")
    .option("--by <name>", "who approves (default: $USER)")
    .option("--dry-run", "say what would be recorded, change nothing")
    .action((file: string, f: { by?: string; dryRun?: boolean }) => {
      const plan = loadWith(file, parseMigrationPlan);
      const by = f.by ?? process.env.USER ?? "unknown";
      let approved;
      try {
        approved = approvePlan(plan, by, new Date().toISOString());
      } catch (e) {
        if (e instanceof ExecutionError) throw new InputError(`${file}: ${e.message}`);
        throw e;
      }
      if (f.dryRun) return void process.stdout.write(`approve: would approve ${file} (${plan.moves.length} migration(s)) as ${by}; nothing written\n`);
      writeFileDurable(file, renderMigrationJson(approved));
      process.stdout.write(`approve: ${file} approved by ${by}: ${plan.moves.length} migration(s) in ${plan.waves.length} wave(s)\n`);
    });
}
