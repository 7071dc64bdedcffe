import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MigrationPlanSchema } from "../../src/model/migration.js";
import { planCluster } from "../../src/placement/plan.js";
import { CLI_TIMEOUT_MS, runCli } from "../helpers/cli.js";
import { file, predictor } from "../migrate/helpers.js";

const SAMPLE = "data/sample-cluster.json";
const dir = mkdtempSync(join(tmpdir(), "vmplace-migrate-cli-"));

describe("vmplace migrate", () => {
  test("prints a readable summary of the moves, progress on stderr", () => {
    const r = runCli(["migrate", SAMPLE, "--no-simulate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 migration\(s\) of 1 VM\(s\) in 1 wave\(s\).*predicted SLO breaches 1 → 0/);
    expect(r.stdout).toMatch(/web-3 h07 -> h0\d \[1 mandatory/);
    expect(r.stderr).toMatch(/migrate: 1 move\(s\) in 1 wave\(s\)/);
  }, CLI_TIMEOUT_MS);

  test("--format json prints the plan document; --out writes the report and says so", () => {
    const r = runCli(["migrate", SAMPLE, "--no-simulate", "--format", "json", "--mode", "evacuate", "--host", "h01", "--max-concurrent", "2"]);
    expect(r.code).toBe(0);
    const plan = MigrationPlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.options).toMatchObject({ mode: "evacuate", host: "h01", maxConcurrent: 2 });
    const out = join(dir, "report.html");
    const w = runCli(["migrate", SAMPLE, "--simulate-duration", "1s", "--out", out]);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/re-simulated 1 of 2 changed host\(s\) for 1 s: 0 simulated breach\(es\)\nstatus: ok \(the result is whole\)\nhtml report written to/);
    expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>[\s\S]*Final state re-simulated/);
  }, CLI_TIMEOUT_MS);

  test.each([
    [["--mode", "evacuate"], /--host: evacuate needs the host to empty/],
    [["--mode", "evacuate", "--host", "nope"], /--host: no host "nope" in the cluster/],
    [["--mode", "fix", "--host", "h01"], /--host: a host is named only with mode evacuate/],
    [["--threshold", "9"], /--threshold must be a whole number between 1 and 5/],
    [["--mode", "sideways"], /argument 'sideways' is invalid/],
    [["--time-budget", "soon"], /--time-budget must be a duration/],
  ])("bad option %j: one clear message, exit 2, nothing written", (args, message) => {
    const out = join(dir, `bad-${args.join("")}.md`);
    const r = runCli(["migrate", SAMPLE, "--no-simulate", "--out", out, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
  }, CLI_TIMEOUT_MS);

  test("a cluster whose VMs carry no current host is refused", () => {
    const c = JSON.parse(readFileSync(SAMPLE, "utf8")) as { vms: { host?: string }[] };
    for (const v of c.vms) delete v.host;
    const path = join(dir, "unplaced.json");
    writeFileSync(path, JSON.stringify(c));
    const r = runCli(["migrate", path, "--no-simulate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vms: no VM carries its current host/);
  }, CLI_TIMEOUT_MS);
});

describe("vmplace report", () => {
  test("renders a saved migration plan and a saved placement plan, detected by schema", async () => {
    const mig = join(dir, "migration.json");
    expect(runCli(["migrate", SAMPLE, "--no-simulate", "--out", mig]).code).toBe(0);
    const md = runCli(["report", mig, "--format", "md"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Migration plan \(fix, threshold 3\)/);
    // The placement plan as `vmplace plan --out` saves it (its library call: the command is the placer's).
    const plan = join(dir, "plan.json");
    writeFileSync(plan, `${JSON.stringify(await planCluster(file(SAMPLE), predictor(), { iterations: 100, seed: 1 }), null, 2)}\n`);
    const html = join(dir, "plan.html");
    const r = runCli(["report", plan, "--out", html]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*plan\.html \(placement plan, html\)/);
    expect(readFileSync(html, "utf8")).toMatch(/<title>Placement plan: min-cost<\/title>/);
  }, CLI_TIMEOUT_MS);

  test("a document that is neither plan, migration plan, advice nor robustness check gets exit 2", () => {
    const r = runCli(["report", SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a migration plan .*, a placement plan .*, advice \("kind": "vmplace\/advice", from vmplace advise\) or a robustness check \("kind": "vmplace\/robustness-check", from vmplace check-robustness --json\)/);
  }, CLI_TIMEOUT_MS);

  test("vmplace schema migration prints the plan document's JSON Schema", () => {
    const r = runCli(["schema", "migration"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: "vmplace migration", properties: { kind: { const: "vmplace/migration-plan" } } });
  }, CLI_TIMEOUT_MS);
});
