import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Plan } from "../src/model/plan.js";

const RUN = new URL("./region-run.js", import.meta.url).pathname;

export interface PlanRun {
  readonly wallS: number;
  readonly maxRssMiB: number;
  readonly cpuS: number;
  readonly plan: Plan;
}

/**
 * runPlan runs `vmplace ARGS` (ARGS writes a JSON plan with --out) with the CLI at `cli`, in a
 * child of its own, so the peak resident set and CPU time are that plan's. Asynchronous: the
 * workers a validation uses are children of this process too, and their logs must keep flowing.
 */
export function runPlan(cli: string, args: string[]): Promise<PlanRun> {
  const out = args[args.indexOf("--out") + 1];
  const t0 = performance.now();
  const proc = spawn(process.execPath, [RUN, cli, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) =>
    proc.once("exit", (code) => {
      const wallS = (performance.now() - t0) / 1000;
      // Exit 3 is a plan that is not whole: reported in the row (unplaced, findings), not a crash.
      if (code !== 0 && code !== 3) return reject(new Error(`vmplace ${args.join(" ")} exited with ${code}: ${stderr.slice(-2000)}`));
      const line = stderr.split("\n").find((l) => l.startsWith("REGION "));
      const usage = line ? (JSON.parse(line.slice(7)) as { maxRssKiB: number; cpuMs: number }) : { maxRssKiB: NaN, cpuMs: NaN };
      resolve({ wallS, maxRssMiB: usage.maxRssKiB / 1024, cpuS: usage.cpuMs / 1000, plan: JSON.parse(readFileSync(out, "utf8")) as Plan });
    }),
  );
}
