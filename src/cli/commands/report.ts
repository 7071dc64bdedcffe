import { Option, type Command } from "commander";
import { InputError, readJsonFile } from "../../io/load.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import { detectDocument, renderDocument, REPORT_FORMATS, type ReportFormat } from "../../report/render.js";
import { outputFormat } from "../output-format.js";

/** registerReport adds `vmplace report PLAN.json`: render a saved plan or migration plan. */
export function registerReport(program: Command): void {
  program
    .command("report")
    .description("render a saved plan (vmplace plan), migration plan (vmplace migrate --format json), advice (vmplace advise --format json) or robustness check (vmplace check-robustness --json) as HTML, Markdown or JSON")
    .argument("<file>", "plan, migration plan, advice or robustness check (JSON)")
    .addOption(new Option("--format <format>", "html, md or json (default: from --out, else md)").choices(REPORT_FORMATS))
    .option("--out <file>", "write to a file (default: standard output)")
    .action((file: string, f: { format?: ReportFormat; out?: string }) => {
      const format = outputFormat(f.format, f.out, "md") ?? "md";
      if (f.out) checkWritable(f.out);
      const r = detectDocument(readJsonFile(file));
      if (!r.ok) throw new InputError(`${file}: not a report input (${r.problems.length} problem(s))`, r.problems.slice(0, 25));
      const text = renderDocument(r.value, format);
      if (f.out) {
        writeFileAtomic(f.out, text);
        process.stderr.write(`report: wrote ${f.out} (${{ migration: "migration plan", plan: "placement plan", advice: "what-if advice", robustness: "robustness check" }[r.value.kind]}, ${format})\n`);
      } else process.stdout.write(text);
    });
}
