import { spawn } from "node:child_process";
import { describe, expect, test } from "vitest";
import { verdictOf } from "../../src/interference/probe/verdict.js";
import { ProbeReportSchema, type ProbeReport } from "../../src/model/probe.js";
import { CLI, runCli } from "../helpers/cli.js";

// The real probe runs on this machine, which is shared and loaded: these tests check the report's
// structure and that verdict, status and exit code follow from the counts, never that this
// machine is GOOD.

function parse(stdout: string): ProbeReport {
  return ProbeReportSchema.parse(JSON.parse(stdout));
}

describe("vmplace probe on this instance", () => {
  test("a 2 s run: a whole histogram, a verdict that follows from the count, and an exit code that follows from both", () => {
    const r = runCli(["probe", "--duration", "2s", "--json"]);
    const report = parse(r.stdout);
    expect(report.mode).toBe("real");
    expect(report.complete).toBe(true);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(report.elapsedMs).toBeLessThan(2500);
    const o = report.oversleep;
    expect(o.iterations).toBeGreaterThan(100); // a 100 us sleep: thousands unless the machine stalls
    expect(o.counts.reduce((s, c) => s + c, 0)).toBe(o.iterations);
    expect(o.overThreshold).toBe(o.counts.slice(5).reduce((s, c) => s + c, 0)); // buckets from 10 ms up
    expect(report.normalised.per100s).toBeCloseTo((o.overThreshold * 100_000) / report.elapsedMs, 6);
    expect(report.verdict).toBe(verdictOf(report.normalised.per100s, { low: 13, high: 65 }));
    expect(report.status).toBe(report.verdict === "GOOD" ? "ok" : "incomplete");
    expect(r.code).toBe(report.verdict === "GOOD" ? 0 : 3);
    expect(report.recommendation.action).toBe({ GOOD: "keep", "NEEDS-NETWORK-TEST": "network-test", BAD: "replace" }[report.verdict]);
    // Not GOOD: the expected gain comes from the simulated ladder.
    expect(report.recommendation.expectedP999 === null).toBe(report.verdict === "GOOD");
    // The probe sleeps most of the time: well under one CPU, and more than nothing.
    expect(report.overhead?.cpuPercentOfOneCpu).toBeGreaterThan(0);
    expect(report.overhead?.cpuPercentOfOneCpu).toBeLessThan(100);
  }, 60_000);

  test("--iterations stops the loop early; --fail-on none exits 0 whatever the verdict", () => {
    const r = runCli(["probe", "--duration", "30s", "--iterations", "300", "--fail-on", "none", "--json"]);
    const report = parse(r.stdout);
    expect(report.oversleep.iterations).toBe(300);
    expect(report.elapsedMs).toBeLessThan(30_000);
    expect(report.status).toBe("ok");
    expect(r.code).toBe(0);
  }, 60_000);

  test("the text report shows the histogram, the count per 100 s, the verdict and the overhead; progress goes to stderr", () => {
    const r = runCli(["probe", "--duration", "1s", "--sleep-us", "1000"]);
    expect(r.stdout).toMatch(/^probe \(this instance\): 1\.\d s, [\d,]+ iterations of a 1000 us sleep\n/);
    expect(r.stdout).toMatch(/\n {2}10-20 ms +\d/);
    expect(r.stdout).toMatch(/\nlong oversleeps \(>= 10 ms\): \d+ in 1\.\d s = [\d.]+ per 100 s/);
    expect(r.stdout).toMatch(/\nverdict: (GOOD|NEEDS-NETWORK-TEST|BAD) \(GOOD <= 13 < NEEDS-NETWORK-TEST <= 65 < BAD, per 100 s\)/);
    expect(r.stdout).toMatch(/\noverhead: the probe used [\d.]+% of one CPU/);
    expect(r.stderr).toMatch(/probing: \d+%/);
  }, 60_000);

  test("Ctrl-C stops the run: the report covers what was measured, says so, and exits 3", async () => {
    const child = spawn(process.execPath, [CLI, "probe", "--duration", "60s", "--fail-on", "none", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    // Interrupt once the loop has reported progress (the worker is running).
    await new Promise<void>((resolve) => child.stderr.once("data", () => resolve()));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const report = parse(stdout);
    expect(report.complete).toBe(false);
    expect(report.elapsedMs).toBeLessThan(30_000);
    expect(report.status).toBe("incomplete");
    expect(code).toBe(3);
  }, 60_000);
});

describe("vmplace probe --simulate", () => {
  test("web-3 on the sample's Bobtail hot spot h07: BAD, replace, exit 3", () => {
    const r = runCli(["probe", "--simulate", "data/sample-cluster.json", "--vm", "web-3", "--duration", "20s", "--json"]);
    const report = parse(r.stdout);
    expect(report.neighbourhood).toMatchObject({ hostId: "h07", vmId: "web-3", scheduler: "xen-credit", cores: 4 });
    expect(report.verdict).toBe("BAD");
    expect(report.recommendation.action).toBe("replace");
    expect(r.code).toBe(3);
    expect(runCli(["probe", "--simulate", "data/sample-cluster.json", "--vm", "web-3", "--duration", "20s", "--json"]).stdout).toBe(r.stdout);
  }, 60_000);

  test("web-1 on a 16-core host with room to spare: GOOD, keep, exit 0; the text names host and scheduler", () => {
    const r = runCli(["probe", "--simulate", "data/sample-cluster.json", "--host", "h01", "--vm", "web-1", "--duration", "10s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^probe \(simulated: VM web-1 on host h01, xen-credit, 16 cores\): 10\.0 s/);
    expect(r.stdout).toMatch(/\nverdict: GOOD /);
    expect(r.stdout).toMatch(/\nrecommendation: keep: /);
  }, 60_000);

  test.each([
    [["--low", "70", "--high", "65"], /--low \(70\) must not be above --high \(65\)/],
    [["--host", "h01"], /--host needs --simulate CLUSTER/],
    [["--sleep-us", "0"], /--sleep-us must be a whole number between 1 and 1000000/],
    [["--threshold-ms", "-1"], /--threshold-ms must be a number above 0/],
    [["--fail-on", "ugly"], /--fail-on must be one of needs-test, bad, none/],
    [["--duration", "soon"], /--duration must be a duration/],
    [["--simulate", "data/sample-cluster.json"], /--simulate needs --vm ID/],
    [["--simulate", "data/sample-cluster.json", "--vm", "web-3", "--iterations", "5"], /--iterations applies to the real probe/],
    [["--simulate", "data/sample-cluster.json", "--vm", "nobody"], /no VM "nobody"/],
    [["--simulate", "data/sample-cluster.json", "--vm", "web-3", "--host", "h01"], /VM "web-3" runs on host "h07", not "h01"/],
    [["--simulate", "data/sample-cluster.json", "--vm", "web-3", "--scheduler", "bfs"], /--scheduler: unknown kind "bfs"/],
    [["--simulate", "no/such.json", "--vm", "x"], /no such file/],
  ])("bad input %j: one clear message, exit 2, no report", (args, message) => {
    const r = runCli(["probe", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(r.stdout).toBe("");
  }, 30_000);
});
