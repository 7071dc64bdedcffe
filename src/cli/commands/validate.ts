import type { Command } from "commander";
import { readJsonFile } from "../../io/load.js";
import { parseCluster } from "../../model/validate.js";
import { renderProblems } from "../../model/problems.js";
import { renderSummary, summarizeCluster } from "../../model/summary.js";

/** registerValidate adds `vmplace validate FILE`: exit 0 valid, 2 with every problem listed. */
export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check a cluster document and summarise demand against capacity")
    .argument("<file>", "cluster document (JSON)")
    .option("--json", "print the result as JSON")
    .action((file: string, opts: { json?: boolean }) => {
      const r = parseCluster(readJsonFile(file));
      if (opts.json) {
        const out = r.ok ? { valid: true, summary: summarizeCluster(r.value) } : { valid: false, problems: r.problems };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else if (r.ok) {
        process.stdout.write(`${file}: valid\n${renderSummary(summarizeCluster(r.value))}\n`);
      } else {
        process.stderr.write(`${file}: ${r.problems.length} problem(s)\n${renderProblems(r.problems)}\n`);
      }
      if (!r.ok) process.exitCode = 2;
    });
}
