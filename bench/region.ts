import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { ClusterInput } from "../src/model/cluster.js";
import { checkPlan } from "../src/model/check-plan.js";
import { DEFAULT_MIX, generateCluster } from "../src/model/generate.js";
import { generateTightCluster } from "../src/model/generate-tight.js";
import type { Plan } from "../src/model/plan.js";
import { parseCluster } from "../src/model/validate.js";

/**
 * Issue 15, item 5: `vmplace plan` on a 100,000-VM region, as a user runs it (the CLI, one
 * process per plan, validation off: it is spread over the job backend, not this search). Per
 * plan: wall time of the whole command (load, search, explanations, output), the plan's own
 * timings, the process's peak resident set and CPU time, cost against the lower bound, VMs left
 * out (must be 0) and the independent checker's findings on the written plan. BENCH_BEFORE
 * (another build's dist/src/cli/main.js) runs the same plans with that build, alternating.
 */
const CLI = new URL("../src/cli/main.js", import.meta.url).pathname;
const RUN = new URL("./region-run.js", import.meta.url).pathname;
const BEFORE = process.env.BENCH_BEFORE;
const GOAL_S = 120;

interface Instance {
  readonly title: string;
  readonly doc: ClusterInput;
}

function instances(): Instance[] {
  return [
    { title: "default mix: 10,000 hosts / 100,000 VMs, seed 1 (budget of the document: 30 s)", doc: generateCluster({ hosts: 10_000, vms: 100_000, seed: 1, mix: DEFAULT_MIX, placed: false, scheduler: "both" }) },
    { title: "tight: 33,000 hosts / 100,000 VMs, seed 1 (budget of the document: 10 s)", doc: generateTightCluster({ hosts: 33_000, vms: 100_000, seed: 1 }) },
  ];
}

interface Run {
  readonly wallS: number;
  readonly maxRssMiB: number;
  readonly cpuS: number;
  readonly plan: Plan;
}

function run(cli: string, file: string, budget: string | undefined, out: string): Run {
  const args = [RUN, cli, "plan", file, "--no-validate", "--json", "--out", out, ...(budget ? ["--time-budget", budget] : [])];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 26 });
  const wallS = (performance.now() - t0) / 1000;
  const stderr = r.stderr.toString();
  // Exit 3 is a plan that is not whole: reported in the row (unplaced, findings), not a crash.
  if (r.status !== 0 && r.status !== 3) throw new Error(`plan ${file} exited with ${r.status}: ${stderr.slice(-2000)}`);
  const line = stderr.split("\n").find((l) => l.startsWith("REGION "));
  const usage = line ? (JSON.parse(line.slice(7)) as { maxRssKiB: number; cpuMs: number }) : { maxRssKiB: NaN, cpuMs: NaN };
  return { wallS, maxRssMiB: usage.maxRssKiB / 1024, cpuS: usage.cpuMs / 1000, plan: JSON.parse(readFileSync(out, "utf8")) as Plan };
}

function row(build: string, budget: string | undefined, r: Run, findings: number): string {
  const t = r.plan.timings ?? {};
  const s = (ms: number | undefined): string => (ms === undefined ? "-" : (ms / 1000).toFixed(1));
  const gap = r.plan.gap === undefined ? "none" : `${(r.plan.gap * 100).toFixed(2)}%`;
  return [
    build.padEnd(7),
    (budget ?? "doc").padEnd(6),
    `${r.wallS.toFixed(1)} s`.padEnd(8),
    `${s(t.constructMs)}/${s(t.searchMs)}/${s(t.explainMs)}/${s(t.totalMs)}`.padEnd(22),
    `${r.maxRssMiB.toFixed(0)} MiB`.padEnd(9),
    `${r.cpuS.toFixed(1)} s`.padEnd(8),
    `${r.plan.cost} / ${r.plan.lowerBound} (${r.plan.lowerBoundSource})`.padEnd(30),
    gap.padEnd(7),
    String(r.plan.counts.unplaced).padEnd(8),
    String(findings).padEnd(8),
    `${r.wallS <= GOAL_S ? "met" : "NOT met"}`.padEnd(7),
    `${r.plan.solver.construction}; ${r.plan.solver.used}, ${r.plan.solver.stoppedOn} after ${r.plan.solver.iterations} it${r.plan.solver.note ? `; ${r.plan.solver.note}` : ""}`,
  ].join(" ");
}

export async function benchRegion(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vmplace-region-"));
  console.log(`100,000-VM plans through the CLI, --no-validate, one process each; load average at start ${loadavg().map((x) => x.toFixed(1)).join(" ")} on a shared 2-core machine`);
  console.log(`goal: the whole command (search = everything before validation) within ${GOAL_S} s wall`);
  console.log("build   budget wall     construct/search/explain/total s  peak RSS  CPU      cost / bound (source)          gap     unplaced findings goal    solver");
  for (const inst of instances()) {
    const file = join(dir, "cluster.json");
    writeFileSync(file, JSON.stringify(inst.doc));
    const parsed = parseCluster(inst.doc);
    if (!parsed.ok) throw new Error(`region instance invalid: ${parsed.problems[0].message}`);
    console.log(inst.title);
    for (const budget of [undefined, "100s"])
      for (const [build, cli] of [...(BEFORE ? [["before", BEFORE]] : []), ["this", CLI]] as [string, string][]) {
        const r = run(cli, file, budget, join(dir, "plan.json"));
        const findings = checkPlan(parsed.value, r.plan.assignments).length;
        console.log(row(build, budget, r, findings));
      }
  }
}
