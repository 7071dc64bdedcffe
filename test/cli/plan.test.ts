import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { PlanSchema } from "../../src/model/plan.js";
import { CLI_TIMEOUT_MS, runCli } from "../helpers/cli.js";

const FAST = ["--solver", "heuristic", "--iterations", "1500", "--no-validate"];

describe("vmplace plan", () => {
  test("plans the sample: summary with cost, bound, gap, SLO breaches and time", () => {
    const r = runCli(["plan", "data/sample-cluster.json", ...FAST]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/placed 40 of 40 VMs on \d+ of 8 hosts/);
    expect(r.stdout).toMatch(/cost [\d.]+; gap [\d.]+% to the valid lower bound [\d.]+ \((cover|lp|spread|highs-dual)\)/);
    expect(r.stdout).toMatch(/SLO breaches: predicted 0; not simulated/);
    expect(r.stdout).toMatch(/check: ok \(independent checker: every VM placed, 0 violations\)/);
    expect(r.stdout).toMatch(/status: ok \(the result is whole\)/);
    expect(r.stdout).toMatch(/time [\d.]+ s/);
  }, CLI_TIMEOUT_MS);

  test("--out writes a plan that parses with the plan schema; --deterministic runs are identical", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmplace-plan-"));
    const files = [join(dir, "a.json"), join(dir, "b.json")];
    for (const out of files) expect(runCli(["plan", "data/sample-cluster.json", ...FAST, "--deterministic", "--out", out]).code).toBe(0);
    const [a, b] = files.map((f) => readFileSync(f, "utf8"));
    expect(a).toBe(b);
    const plan = PlanSchema.parse(JSON.parse(a));
    expect(plan.timings).toBeUndefined();
    expect(plan.check.ok).toBe(true);
  }, CLI_TIMEOUT_MS);

  test("--iterations --deterministic with the exact solve: identical runs, ended by work, not the clock", () => {
    // 12 hosts x 60 VMs goes to HiGHS under auto. The node limit itself is tested on the solver
    // (test/placement/milp.test.ts); this checks the command end to end.
    const dir = mkdtempSync(join(tmpdir(), "vmplace-plan-"));
    const cluster = join(dir, "cluster.json");
    expect(runCli(["generate", "--hosts", "12", "--vms", "60", "--seed", "7", "--out", cluster]).code).toBe(0);
    const args = ["plan", cluster, "--iterations", "500", "--deterministic", "--no-validate", "--time-budget", "120s", "--json"];
    const [a, b] = [runCli(args), runCli(args)];
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).not.toMatch(/another run may give another plan/);
    const solver = PlanSchema.parse(JSON.parse(a.stdout)).solver;
    expect(solver.exactStatus).toBeDefined();
    expect(["iterations", "model-optimal", "bound-met"]).toContain(solver.stoppedOn);
    expect(solver.fallback?.reason).not.toBe("time-limit");
  }, CLI_TIMEOUT_MS * 2);

  test("validates by re-simulation by default and reports rounds", () => {
    const r = runCli(["plan", "data/sample-cluster.json", "--solver", "heuristic", "--iterations", "500", "--validate-duration", "500ms", "--json"]);
    expect(r.code).toBe(0);
    const plan = PlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.validation.performed).toBe(true);
    expect(plan.validation.rounds).toBeGreaterThanOrEqual(1);
    expect(plan.validation.vms.some((v) => v.simulatedP999Us !== undefined)).toBe(true);
  }, CLI_TIMEOUT_MS);

  test.each([
    [["plan", "no/such/file.json"], /no such file/],
    [["plan", "data/sample-cluster.json", "--solver", "magic"], /--solver must be auto, milp or heuristic/],
    [["plan", "data/sample-cluster.json", "--time-budget", "soon"], /--time-budget must be a duration/],
    [["plan", "test/fixtures/five-mistakes.json"], /5 problem\(s\)/],
  ])("bad input %j exits 2 without a stack trace or a file", (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), "vmplace-plan-"));
    const out = join(dir, "plan.json");
    const r = runCli([...args, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
  }, CLI_TIMEOUT_MS);

  test("vmplace schema plan prints the plan's JSON Schema", () => {
    const r = runCli(["schema", "plan"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toBe("vmplace plan");
    for (const k of ["assignments", "lowerBound", "gap", "validation", "explanations", "timings"]) expect(schema.properties).toHaveProperty(k);
  }, CLI_TIMEOUT_MS);

  test("a cluster no host can fully take still gets a plan listing what cannot be placed, and exits 3", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmplace-plan-"));
    const file = join(dir, "c.json");
    const vm = (id: string) => ({ id, vcpus: 1, memoryMiB: 1024, workload: { kind: "idle" } });
    writeFileSync(file, JSON.stringify({ hosts: [{ id: "h1", cores: 2, memoryMiB: 4096 }, { id: "h2", cores: 2, memoryMiB: 4096 }], vms: ["a", "b", "c"].map(vm), constraints: [{ kind: "anti-affinity", vms: ["a", "b", "c"] }] }));
    const r = runCli(["plan", file, ...FAST]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/vmplace plan: result not whole \(exit 3\): 1 VM\(s\) left unplaced/);
    expect(r.stdout).toMatch(/placed 2 of 3 VMs/);
    expect(r.stdout).toMatch(/status: INCOMPLETE: 1 VM\(s\) left unplaced/);
    expect(r.stdout).toMatch(/not placed: c: left out, proved: hard anti-affinity constraints\[0\] has 3 members but only 2 host\(s\) could take any of them/);
    expect(r.stdout).toMatch(/check: NOT OK .*1 VM\(s\) not placed \(at least 1 proved unplaceable\)/);
    expect(r.stdout).not.toMatch(/gap [\d.]+%/);
  }, CLI_TIMEOUT_MS);
});
