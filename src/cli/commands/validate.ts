import type { Command } from "commander";
import { readJsonFile } from "../../io/load.js";
import { checkCluster } from "../../model/cluster-check.js";
import { parseCluster } from "../../model/validate.js";
import { renderProblems } from "../../model/problems.js";
import { EXIT } from "../exit-codes.js";
import { addFailOn, settle, type FailOn } from "../exit-policy.js";
import { renderCheck } from "../render-check.js";

/**
 * registerValidate adds `vmplace validate FILE`: exit 2 with every problem listed when the
 * document is invalid; exit 3 when it is valid but cannot be whole (no placement of every VM can
 * exist, or the current placement breaks a hard constraint); else 0.
 */
export function registerValidate(program: Command): void {
  const cmd = program
    .command("validate")
    .description("check a cluster document, summarise demand against capacity, and check the current placement's hard constraints")
    .argument("<file>", "cluster document (JSON)")
    .option("--json", "print the result as JSON");
  addFailOn(cmd, ["unplaced", "violation"]).action((file: string, opts: { json?: boolean; failOn: FailOn }) => {
    const r = parseCluster(readJsonFile(file));
    if (!r.ok) {
      if (opts.json) process.stdout.write(`${JSON.stringify({ valid: false, problems: r.problems }, null, 2)}\n`);
      else process.stderr.write(`${file}: ${r.problems.length} problem(s)\n${renderProblems(r.problems)}\n`);
      process.exitCode = EXIT.input;
      return;
    }
    const check = checkCluster(r.value);
    process.stdout.write(opts.json ? `${JSON.stringify(check, null, 2)}\n` : `${renderCheck(file, check)}\n`);
    settle("validate", check, opts.failOn);
  });
}
