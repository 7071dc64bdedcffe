import { Option, type Command } from "commander";
import { loadPredictor } from "../../io/calibration.js";
import { InputError, readJsonFile } from "../../io/load.js";
import { checkWritable, writeFileAtomic } from "../../io/write.js";
import type { Cluster } from "../../model/cluster.js";
import { robustnessReport } from "../../model/result-status.js";
import { PlanSchema } from "../../model/plan.js";
import { problemsFromZod } from "../../model/problems.js";
import { parseCluster } from "../../model/validate.js";
import { checkRobustness, currentAssignments } from "../../placement/robustness/check.js";
import { addFailOn, settle, type FailOn } from "../exit-policy.js";
import { percentOption } from "../options.js";
import { outputFormat } from "../output-format.js";
import { renderDocument, REPORT_FORMATS, type ReportFormat } from "../../report/render.js";
import { renderRobustness } from "../render-robustness.js";

interface CheckFlags {
  cluster?: string;
  failOn?: FailOn;
  headroom?: number;
  json?: boolean;
  format?: ReportFormat;
  out?: string;
  calibration?: string;
}

/**
 * registerCheckRobustness adds `vmplace check-robustness PLAN`: does an existing placement survive
 * the failure of any one host (n+1), and (with --headroom) load growth? Exit 0 when it does, 3
 * when it does not (per --fail-on), 2 on bad input.
 */
export function registerCheckRobustness(program: Command): void {
  const cmd = program
    .command("check-robustness")
    .description("verify that a placement survives any one host failing (n+1) and, with --headroom, load growth; exit 3 when it does not")
    .argument("<plan>", "a plan (vmplace plan --out) with --cluster, or a cluster document whose VMs carry their current host")
    .option("--cluster <file>", "the cluster document the plan places (needed when PLAN is a plan)")
    .option("--headroom <percent>", "also require every SLO with all VMs' CPU demand this much higher, e.g. 20% (default: the headroom the plan was made with, else the cluster's policy.headroomPercent)", percentOption("--headroom", 0, 400))
    .option("--json", "print the verdict as JSON (vmplace schema robustness; same as --format json)")
    .addOption(new Option("--format <format>", "print (or write) the verdict as html, md or json: each host's evacuation and the growth it absorbs (default: the summary; with --out, its extension)").choices(REPORT_FORMATS))
    .option("--out <file>", "also write the verdict to a file, as its extension says (.json, .md, .html) or --format")
    .option("--calibration <file>", "calibration table (default: the bundled one)");
  addFailOn(cmd, ["robustness"]).action((file: string, f: CheckFlags) => {
    if (f.json && f.format !== undefined && f.format !== "json") throw new InputError(`--json and --format ${f.format} ask for two formats; give one`);
    const format = outputFormat(f.json ? "json" : f.format, f.out);
    if (f.out) checkWritable(f.out);
    const { cluster, assignments, askedHeadroom } = loadPlacement(file, f.cluster);
    // A plan made with --headroom is checked at the headroom it was made for, unless told otherwise.
    const headroomPercent = f.headroom ?? askedHeadroom ?? cluster.policy.headroomPercent;
    const r = checkRobustness(cluster, assignments, loadPredictor(f.calibration), { headroomPercent });
    if (!r.ok) throw new InputError(`${file}: the plan does not fit the cluster (${r.problems.length} problem(s))`, r.problems.slice(0, 25));
    const report = robustnessReport(r.section, r.unplaced);
    const text = format ? renderDocument({ kind: "robustness", doc: report }, format) : undefined;
    if (f.out && text !== undefined) writeFileAtomic(f.out, text);
    const printed = f.json || f.format ? text : undefined;
    process.stdout.write(printed ?? `${renderRobustness(report)}${f.out ? `\nverdict written to ${f.out} (${format})` : ""}\n`);
    settle("check-robustness", report, f.failOn ?? new Set());
  });
}

interface Placement {
  cluster: Cluster;
  assignments: { vm: string; host: string }[];
  /** The headroom a plan was made with (its robustness section), if any. */
  askedHeadroom?: number;
}

/** loadPlacement reads a plan with its cluster, or a cluster with its current placement. */
function loadPlacement(file: string, clusterFile: string | undefined): Placement {
  const doc = readJsonFile(file);
  const isPlan = typeof doc === "object" && doc !== null && "assignments" in doc && "solver" in doc;
  if (isPlan) {
    if (clusterFile === undefined) throw new InputError(`${file} is a plan: give the cluster it places with --cluster FILE`);
    const plan = PlanSchema.safeParse(doc);
    if (!plan.success) throw new InputError(`${file}: not a valid plan`, problemsFromZod(plan.error).slice(0, 25));
    const asked = plan.data.robustness?.headroomPercent;
    return { cluster: parsed(clusterFile, readJsonFile(clusterFile)), assignments: plan.data.assignments, ...(asked ? { askedHeadroom: asked } : {}) };
  }
  if (clusterFile !== undefined) throw new InputError(`${file} is not a plan (no "assignments" and "solver"): --cluster is only for plans`);
  const cluster = parsed(file, doc);
  const assignments = currentAssignments(cluster);
  if (assignments.length === 0) throw new InputError(`${file}: no VM carries its current host, so there is no placement to check`);
  return { cluster, assignments };
}

function parsed(file: string, doc: unknown): Cluster {
  const r = parseCluster(doc);
  if (!r.ok) throw new InputError(`${file}: ${r.problems.length} problem(s)`, r.problems);
  return r.value;
}
