import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { ClusterInput } from "../src/model/cluster.js";
import { checkPlan } from "../src/model/check-plan.js";
import { DEFAULT_MIX, generateCluster } from "../src/model/generate.js";
import { generateTightCluster } from "../src/model/generate-tight.js";
import { parseCluster } from "../src/model/validate.js";
import { runPlan, type PlanRun } from "./region-plan.js";
import { validateRegion } from "./region-validate.js";

/**
 * Issue 15, item 5: `vmplace plan` on a 100,000-VM region, as a user runs it (the CLI, one
 * process per plan, validation off: the search's figures without the simulations). Per
 * plan: wall time of the whole command (load, search, explanations, output), the plan's own
 * timings, the process's peak resident set and CPU time, cost against the lower bound, VMs left
 * out (must be 0) and the independent checker's findings on the written plan. BENCH_BEFORE
 * (another build's dist/src/cli/main.js) runs the same plans at the document's budget with that
 * build, before this build's. Then the default mix's plan once more with its validation on the
 * Redis queue and `vmplace worker` processes (region-validate.ts).
 */
const CLI = new URL("../src/cli/main.js", import.meta.url).pathname;
const BEFORE = process.env.BENCH_BEFORE;
const GOAL_S = 120;

interface Instance {
  readonly title: string;
  readonly doc: ClusterInput;
  /** Validate by re-simulation on the Redis queue too (the tight family's VMs are idle: nothing to simulate). */
  readonly validate: boolean;
}

function instances(): Instance[] {
  return [
    { title: "default mix: 10,000 hosts / 100,000 VMs, seed 1 (budget of the document: 30 s)", doc: generateCluster({ hosts: 10_000, vms: 100_000, seed: 1, mix: DEFAULT_MIX, placed: false, scheduler: "both" }), validate: true },
    { title: "tight: 33,000 hosts / 100,000 VMs, seed 1 (budget of the document: 10 s)", doc: generateTightCluster({ hosts: 33_000, vms: 100_000, seed: 1 }), validate: false },
  ];
}

function row(build: string, budget: string | undefined, r: PlanRun, findings: number): string {
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
  // VMPLACE_BENCH_REGION=validate: only the validated plan (the plan rows take ~5 more minutes).
  const plansToo = process.env.VMPLACE_BENCH_REGION !== "validate";
  for (const inst of instances().filter((i) => plansToo || i.validate)) {
    const file = join(dir, "cluster.json");
    writeFileSync(file, JSON.stringify(inst.doc));
    const parsed = parseCluster(inst.doc);
    if (!parsed.ok) throw new Error(`region instance invalid: ${parsed.problems[0].message}`);
    console.log(inst.title);
    if (plansToo)
      for (const budget of [undefined, "100s"])
        // The other build at the document's budget only: its row is the before/after, and a 100 s run more per instance adds minutes.
        for (const [build, cli] of [...(BEFORE && !budget ? [["before", BEFORE]] : []), ["this", CLI]] as [string, string][]) {
          const r = await runPlan(cli, ["plan", file, "--no-validate", "--json", "--out", join(dir, "plan.json"), ...(budget ? ["--time-budget", budget] : [])]);
          const findings = checkPlan(parsed.value, r.plan.assignments).length;
          console.log(row(build, budget, r, findings));
        }
    if (inst.validate) await validateRegion(CLI, file, parsed.value, dir);
  }
}
