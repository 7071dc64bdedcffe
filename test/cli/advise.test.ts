import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { AdviceSchema } from "../../src/model/advice.js";
import { MigrationPlanSchema } from "../../src/model/migration.js";
import { CLI_TIMEOUT_MS, runCli } from "../helpers/cli.js";
import { lonelyHotSpot, tmpDir, writeCluster } from "../helpers/clusters.js";

const SAMPLE = "data/sample-cluster.json";
const dir = tmpDir("vmplace-advise-cli-");
// One short seed: these tests check the command's contract, test/advise the advice itself.
const QUICK = ["--duration", "1s", "--seeds", "1"];

describe("vmplace advise", () => {
  test("prints each breached host's options and the recommended one; --json prints the document", () => {
    const r = runCli(["advise", SAMPLE, ...QUICK]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^host h07 \(xen-credit, 4 cores\): 1 predicted, \d simulated breach\(es\)\n {2}option +cost +web-3 p99\.9 ms predicted \/ simulated/);
    expect(r.stdout).toMatch(/\n {2}★ \S+ /);
    expect(r.stdout).toMatch(/\n {2}Recommended: .+\n/);
    expect(r.stderr).toMatch(/advise: simulating options: 100%/);
    const j = runCli(["advise", SAMPLE, ...QUICK, "--json"]);
    const doc = AdviceSchema.parse(JSON.parse(j.stdout));
    expect(doc.hosts.map((h) => h.hostId)).toEqual(["h07"]);
    expect(doc.settings).toMatchObject({ durationMs: 1000, seeds: [42] });
  }, CLI_TIMEOUT_MS);

  test("--out writes the advice as its extension says, and vmplace report renders the JSON", () => {
    const md = join(dir, "advice.md");
    const w = runCli(["advise", SAMPLE, ...QUICK, "--host", "h07", "--out", md]);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toMatch(/md advice written to /);
    expect(readFileSync(md, "utf8")).toMatch(/^# What-if advice for h07\n\nstatus: ok[\s\S]*## h07 \(xen-credit, 4 cores\)[\s\S]*\| ★ /);
    const json = join(dir, "advice.json");
    expect(runCli(["advise", SAMPLE, ...QUICK, "--host", "h07", "--format", "json", "--out", json]).code).toBe(0);
    const html = runCli(["report", json, "--format", "html"]);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>[\s\S]*What-if advice: h07[\s\S]*<svg/);
  }, CLI_TIMEOUT_MS);

  test("exits 3 when no option meets a host's SLO, and says which host", () => {
    // A 0.05 ms p99.9 is below one request's own 150 µs of CPU: no scheduler or move can meet it.
    const c = lonelyHotSpot();
    const vms = c.vms.map((v) => (v.id === "web-3" ? { ...v, slo: { p999Ms: 0.05 } } : v));
    const file = writeCluster(dir, "impossible.json", { ...c, vms });
    const r = runCli(["advise", file, ...QUICK, "--json"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/vmplace advise: result not whole \(exit 3\): 1 host\(s\) with no option that meets every SLO in simulation: h07/);
    const doc = AdviceSchema.parse(JSON.parse(r.stdout));
    expect(doc.status).toBe("incomplete");
    expect(doc.hosts[0].recommendation.optionId).toBeUndefined();
    expect(doc.hosts[0].recommendation.reason).toMatch(/^no option meets every SLO in simulation; the closest is /);
    expect(runCli(["advise", file, ...QUICK, "--fail-on", "none"]).code).toBe(0);
  }, CLI_TIMEOUT_MS);

  test.each([
    [["--host", "h99"], /--host: no host "h99" in the cluster/],
    [["--seeds", "0"], /--seeds must be a whole number between 1 and 25/],
    [["--duration", "soon"], /--duration must be a duration/],
    [["--json", "--out", "x.md"], /--json prints the document/],
    [["--out", "advice.txt"], /cannot tell the format from the name/],
  ])("bad input %j is exit 2 with a message naming it, and no file", (args, message) => {
    const r = runCli(["advise", SAMPLE, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync("advice.txt")).toBe(false);
  }, CLI_TIMEOUT_MS);

  test("a cluster whose VMs carry no current host has nothing to advise on (exit 2)", () => {
    const c = lonelyHotSpot();
    const file = writeCluster(dir, "unplaced.json", { ...c, vms: c.vms.map(({ host: _h, ...v }) => v) });
    const r = runCli(["advise", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vms: no VM carries its current host/);
  }, CLI_TIMEOUT_MS);
});

describe("vmplace migrate --advise", () => {
  test("adds the advice for the host the plan fixes, with the plan's own move as its migrate option", () => {
    const r = runCli(["migrate", SAMPLE, "--no-simulate", "--advise", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const plan = MigrationPlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.advice?.hosts.map((h) => h.hostId)).toEqual(["h07"]);
    const migrate = plan.advice!.hosts[0].options.find((o) => o.id === "migrate")!;
    expect(migrate.changes).toEqual(plan.moves.map((m) => ({ kind: "move", vmId: m.vmId, from: m.from, to: m.to, memoryMiB: m.memoryMiB })));
    const saved = join(dir, "plan.json");
    writeFileSync(saved, r.stdout);
    const md = runCli(["report", saved, "--format", "md"]);
    const html = runCli(["report", saved, "--format", "html"]);
    expect(html.stdout).toMatch(/Final state|Moves[\s\S]*<h2>What-if advice: h07 \(xen-credit, 4 cores\)/);
    expect(md.stdout).toMatch(/## What-if advice: tuning instead of these moves\n\nEach option simulated for 10 s[\s\S]*### h07 \(xen-credit, 4 cores\)/);
  }, CLI_TIMEOUT_MS);
});
