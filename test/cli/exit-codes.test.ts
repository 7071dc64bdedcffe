import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { PlanSchema } from "../../src/model/plan.js";
import { ResultStatusSchema } from "../../src/model/status.js";
import { runCli } from "../helpers/cli.js";
import { infeasibleCluster, lonelyHotSpot, overloadedCluster, tmpDir, writeCluster } from "../helpers/clusters.js";

const dir = tmpDir("vmplace-exit-");
const FAST = ["--solver", "heuristic", "--iterations", "500", "--no-validate"];
// Each test spawns the CLI a few times; the machine may be busy with other work.
const SLOW = 60_000;
const noTrace = (s: string): void => expect(s).not.toMatch(/\bat .*\.js:\d+/);

describe("exit code 3: the result is not whole", () => {
  test("plan on an infeasible cluster exits 3, still writes the plan, and its JSON says incomplete", () => {
    const file = writeCluster(dir, "infeasible.json", infeasibleCluster());
    const out = join(dir, "infeasible-plan.json");
    const r = runCli(["plan", file, ...FAST, "--out", out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/vmplace plan: result not whole \(exit 3\): \d VM\(s\) left unplaced/);
    expect(r.stdout).toMatch(/status: INCOMPLETE/);
    expect(r.stdout).not.toMatch(/gap -|gap 0\.0%/);
    const plan = PlanSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(plan.status).toBe("incomplete");
    expect(plan.reasons?.[0]).toMatchObject({ kind: "unplaced", count: plan.unplaced.length });
    expect(runCli(["plan", file, ...FAST, "--fail-on", "violation,breach"]).code).toBe(0);
    expect(runCli(["plan", file, ...FAST, "--fail-on", "none"]).code).toBe(0);
  }, SLOW);

  test("plan on the sample is whole: exit 0 and status ok in the JSON", () => {
    const r = runCli(["plan", "data/sample-cluster.json", ...FAST, "--json"]);
    expect(r.code).toBe(0);
    expect(ResultStatusSchema.parse({ status: JSON.parse(r.stdout).status, reasons: JSON.parse(r.stdout).reasons })).toEqual({ status: "ok", reasons: [] });
  }, SLOW);

  test("validate: demand over capacity is an error with its ratio, not 'valid', and exits 3", () => {
    const file = writeCluster(dir, "infeasible-v.json", infeasibleCluster());
    const r = runCli(["validate", file]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/valid document, but no placement of every VM can exist/);
    expect(r.stdout).toMatch(/error: memory demand 24084 MiB is 1\.47x the capacity of 16384 MiB .*no placement of every VM can exist/);
    expect(r.stdout).toMatch(/error: anti-affinity group constraints\[0\] needs 3 distinct hosts, but the cluster has 2/);
    const j = JSON.parse(runCli(["validate", file, "--json"]).stdout) as { status: string; valid: boolean; capacity: { level: string; resource: string; ratio: number }[] };
    expect(j).toMatchObject({ status: "incomplete", valid: true });
    expect(j.capacity).toContainEqual(expect.objectContaining({ level: "error", resource: "memoryMiB", ratio: 1.47 }));
  }, SLOW);

  test("validate warns with the ratio when demand is close to capacity but may fit", () => {
    const c = infeasibleCluster();
    const file = writeCluster(dir, "tight.json", { ...c, vms: c.vms.slice(0, 2).map((v) => ({ ...v, memoryMiB: 7600 })), constraints: [] });
    const r = runCli(["validate", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: valid, with 1 warning\(s\)/);
    expect(r.stdout).toMatch(/warning: memory demand 15200 MiB is 93% of the capacity of 16384 MiB/);
  }, SLOW);

  test("generate says when its cluster cannot be placed whole", () => {
    const r = runCli(["generate", "--hosts", "1", "--vms", "400", "--seed", "3", "--out", join(dir, "gen-big.json")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/generate: error: memory demand \d+ MiB is \d+x the capacity of 131072 MiB .*no placement of every VM can exist/);
  }, SLOW);

  test("current-placement violations: validate and score report them and exit 3; score --json has a violations field", () => {
    const file = writeCluster(dir, "overloaded.json", overloadedCluster());
    const v = runCli(["validate", file]);
    expect(v.code).toBe(3);
    expect(v.stdout).toMatch(/the current placement breaks 2 hard constraint\(s\)/);
    expect(v.stdout).toMatch(/VIOLATION memory on h1: 163839 of 65536: vm00, vm01, vm02, vm03 and 35 more/);
    const s = runCli(["score", file]);
    expect(s.code).toBe(3);
    expect(s.stdout).toMatch(/0 predicted SLO breach\(es\), 2 hard-constraint violation\(s\)/);
    expect(s.stdout).toMatch(/VIOLATION vcpus on h1: 39 of 32/);
    const j = JSON.parse(runCli(["score", file, "--json"]).stdout) as { status: string; violations: { constraint: string; host: string }[] };
    expect(j.status).toBe("incomplete");
    expect(j.violations.map((x) => `${x.constraint}@${x.host}`)).toEqual(["memory@h1", "vcpus@h1"]);
    expect(runCli(["score", file, "--fail-on", "breach"]).code).toBe(0);
  }, SLOW);

  test("migrate: an unfixable breach says it cannot be fixed and why, and exits 3 (also with --max-moves 0)", () => {
    const file = writeCluster(dir, "lonely.json", lonelyHotSpot());
    const r = runCli(["migrate", file, "--no-simulate"]);
    expect(r.code).toBe(3);
    expect(r.stdout).not.toMatch(/No migration needed/);
    expect(r.stdout).toMatch(/^No migration planned: 1 predicted SLO breach\(es\) cannot be fixed: breach on h07 \(web-3\): /);
    const zero = runCli(["migrate", "data/sample-cluster.json", "--no-simulate", "--max-moves", "0"]);
    expect(zero.code).toBe(3);
    expect(zero.stdout).toMatch(/^No migration planned: 1 predicted SLO breach\(es\) cannot be fixed: --max-moves 0 allows no move\./);
    const json = JSON.parse(runCli(["migrate", file, "--no-simulate", "--format", "json"]).stdout) as { status: string; reasons: { kind: string }[] };
    expect(json.status).toBe("incomplete");
    expect(json.reasons.map((x) => x.kind)).toEqual(["breach"]);
  }, SLOW);

  test("demo exits 3 when its plan is not whole (no current hosts, so no migrations or report)", () => {
    const file = writeCluster(dir, "infeasible-demo.json", infeasibleCluster());
    const out = join(dir, "demo-plan.json");
    const r = runCli(["demo", file, "--out", out]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^== .*infeasible-demo\.json: valid document, but no placement of every VM can exist/);
    expect(r.stderr).toMatch(/vmplace demo: result not whole \(exit 3\): plan: \d VM\(s\) left unplaced/);
    expect(PlanSchema.parse(JSON.parse(readFileSync(out, "utf8"))).status).toBe("incomplete");
  }, SLOW);

  test("--fail-on takes a comma list or none; an unknown kind is a usage error (exit 2)", () => {
    expect(runCli(["score", "data/sample-cluster.json", "--fail-on", "violation,breach"]).code).toBe(3);
    expect(runCli(["score", "data/sample-cluster.json", "--fail-on", "violation"]).code).toBe(0);
    for (const bad of ["breach,none", "sometimes", "", "unplaced"]) {
      const r = runCli(["score", "data/sample-cluster.json", "--fail-on", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--fail-on/);
      noTrace(r.stderr);
    }
    expect(runCli(["validate", "data/sample-cluster.json", "--fail-on", "breach"]).code).toBe(2);
  }, SLOW);

  test("--help of every command documents the exit codes", () => {
    for (const cmd of ["plan", "migrate", "score", "validate", "demo", "generate", "simulate"]) {
      const r = runCli([cmd, "--help"]);
      expect(r.stdout, cmd).toMatch(/Exit codes:\n\s+0\s+done.*\n\s+1\s+internal error.*\n\s+2\s+bad input.*\n\s+3\s+the result is not whole/);
    }
    expect(runCli(["plan", "--help"]).stdout).toMatch(/--fail-on <kinds>[\s\S]*\(default:\s+unplaced,violation,breach,robustness\)/);
  }, SLOW);

  test("bad input names the file and exits 2 with no output file", () => {
    const out = join(dir, "never.json");
    const r = runCli(["plan", join(dir, "missing.json"), "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.json: no such file or folder/);
    expect(existsSync(out)).toBe(false);
  }, SLOW);
});
