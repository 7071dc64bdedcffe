import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { RobustnessReportSchema } from "../../src/model/objectives.js";
import { PlanSchema } from "../../src/model/plan.js";
import { runCli } from "../helpers/cli.js";

const FAST = ["--solver", "heuristic", "--iterations", "800", "--no-validate", "--deterministic"];
const SAMPLE = "data/sample-cluster.json";

describe("plan with the objectives beyond cost", () => {
  test("--objective min-energy --robust n+1 --headroom 20%: the plan says what was asked and that it holds", () => {
    const r = runCli(["plan", SAMPLE, ...FAST, "--objective", "min-energy", "--robust", "n+1", "--headroom", "20%", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const plan = PlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.objective).toBe("min-energy");
    expect(plan.robustness).toMatchObject({ mode: "n+1", headroomPercent: 20, robust: true, nPlusOne: { ok: true }, headroom: { ok: true } });
    expect(plan.energy!.plan.kWhPerMonth).toBeGreaterThan(0);
    expect(plan.energy!.current!.hostsOn).toBe(7);
  }, 60_000);

  test.each([
    [["--robust", "n+2"], /--robust must be n\+1 or none, got "n\+2"/],
    [["--headroom", "500%"], /--headroom must be a percentage between 0 and 400/],
    [["--headroom", "lots"], /--headroom must be a percentage/],
    [["--objective", "fastest"], /--objective must be one of min-cost, balance, min-risk, min-energy/],
  ])("bad flag %j exits 2 with the flag named", (flags, message) => {
    const r = runCli(["plan", SAMPLE, ...FAST, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe("plan status when the asked robustness cannot be had", () => {
  test("n+1 on a fleet with no spare host: status incomplete with a robustness reason, exit 3 unless --fail-on leaves it out", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmplace-tight-n1-"));
    const file = join(dir, "full.json");
    writeFileSync(file, JSON.stringify({
      hosts: Array.from({ length: 5 }, (_, k) => ({ id: `h${k}`, cores: 8, memoryMiB: 32768 })),
      vms: Array.from({ length: 20 }, (_, k) => ({ id: `vm${k}`, vcpus: 2, memoryMiB: 8192, workload: { kind: "cpu", dutyCycle: 0.3 } })),
      policy: { robustness: "n+1" },
    }));
    const r = runCli(["plan", file, ...FAST, "--json"]);
    expect(r.code).toBe(3);
    const plan = PlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.status).toBe("incomplete");
    expect(plan.reasons).toEqual([{ kind: "robustness", count: 5, message: "5 used host(s) cannot fail: their VMs fit nowhere else without a violation or a predicted breach" }]);
    expect(plan.robustness?.repair?.note).toMatch(/no unused host/);
    expect(runCli(["plan", file, ...FAST, "--fail-on", "unplaced,violation,breach"]).code).toBe(0);
  }, 60_000);
});

describe("vmplace check-robustness", () => {
  const dir = mkdtempSync(join(tmpdir(), "vmplace-robust-"));
  const planOf = (name: string, flags: string[]): string => {
    const out = join(dir, name);
    expect(runCli(["plan", SAMPLE, ...FAST, ...flags, "--out", out]).code).toBe(0);
    return out;
  };

  test("an n+1 plan passes (exit 0), the plain one fails (exit 3), with the failing hosts named", () => {
    const robust = runCli(["check-robustness", planOf("robust.json", ["--robust", "n+1"]), "--cluster", SAMPLE]);
    expect(robust.code, robust.stderr).toBe(0);
    expect(robust.stdout).toMatch(/^ROBUST/);
    const plain = runCli(["check-robustness", planOf("plain.json", []), "--cluster", SAMPLE, "--json"]);
    expect(plain.code).toBe(3);
    const report = RobustnessReportSchema.parse(JSON.parse(plain.stdout));
    expect(report).toMatchObject({ kind: "vmplace/robustness-check", status: "incomplete", robustness: { robust: false } });
    expect(report.robustness.nPlusOne.failing).toBeGreaterThan(0);
  }, 60_000);

  test("the verdict as a report: --out writes Markdown or HTML, and vmplace report renders the --json document", () => {
    const file = planOf("report-src.json", []);
    const md = join(dir, "verdict.md");
    const r = runCli(["check-robustness", file, "--cluster", SAMPLE, "--out", md]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/verdict written to .*verdict\.md \(md\)/);
    const text = readFileSync(md, "utf8");
    expect(text).toMatch(/^# Robustness check\n\nNOT ROBUST/);
    expect(text).toMatch(/status: INCOMPLETE: \d+ used host\(s\) cannot fail/);
    expect(text).toMatch(/## If a host fails\n[\s\S]*\| h0\d \| \d+ \| FAILS \|/);
    const json = join(dir, "verdict.json");
    writeFileSync(json, runCli(["check-robustness", file, "--cluster", SAMPLE, "--json"]).stdout);
    const html = runCli(["report", json, "--format", "html"]);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toMatch(/<h1>Robustness check<\/h1>/);
    expect(html.stdout).toContain("Load growth each host absorbs");
    expect(runCli(["check-robustness", file, "--cluster", SAMPLE, "--out", join(dir, "verdict.txt")]).code).toBe(2);
  }, 60_000);

  test("a plan made with a headroom is checked at that headroom unless --headroom says otherwise", () => {
    const file = planOf("headroom.json", ["--robust", "n+1", "--headroom", "20%"]);
    const asked = RobustnessReportSchema.parse(JSON.parse(runCli(["check-robustness", file, "--cluster", SAMPLE, "--json"]).stdout));
    expect(asked.robustness.headroomPercent).toBe(20);
    expect(asked.robustness.headroom).toBeDefined();
    const none = RobustnessReportSchema.parse(JSON.parse(runCli(["check-robustness", file, "--cluster", SAMPLE, "--headroom", "0%", "--json"]).stdout));
    expect(none.robustness.headroomPercent).toBe(0);
    expect(none.robustness.headroom).toBeUndefined();
  }, 60_000);

  test("a cluster document is checked at its current placement; --headroom adds the growth check", () => {
    const r = runCli(["check-robustness", SAMPLE, "--headroom", "20%", "--json"]);
    const report = RobustnessReportSchema.parse(JSON.parse(r.stdout));
    expect(r.code).toBe(report.status === "ok" ? 0 : 3);
    expect(report.robustness.headroomPercent).toBe(20);
    expect(report.robustness.headroom).toBeDefined();
    // The sample's h07 is a Bobtail hot spot today: it absorbs no growth.
    expect(report.robustness.growth.find((g) => g.host === "h07")).toEqual({ host: "h07", absorbablePercent: 0, limit: "slo" });
  }, 60_000);

  test.each([
    [() => [planOf("p.json", [])], /is a plan: give the cluster it places with --cluster FILE/],
    [() => [SAMPLE, "--cluster", SAMPLE], /is not a plan .*--cluster is only for plans/],
    [() => ["no/such.json"], /no such file/],
  ])("bad input exits 2 with a clear message (%#)", (args, message) => {
    const r = runCli(["check-robustness", ...args()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  }, 60_000);

  test("the plan's report shows each host's evacuation and the growth it absorbs", () => {
    const r = runCli(["report", planOf("r.json", ["--robust", "n+1"]), "--format", "md"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/## If a host fails/);
    expect(r.stdout).toMatch(/## Load growth each host absorbs/);
    expect(r.stdout).toMatch(/## Energy/);
    const json = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as { robustness: { nPlusOne: { hosts: unknown[] } } };
    expect(json.robustness.nPlusOne.hosts.length).toBeGreaterThan(0);
  }, 60_000);
});

describe("migrate --mode consolidate", () => {
  test("recommends hosts to switch off with the watts, kWh and CO2 they save, in the report", () => {
    const r = runCli(["migrate", SAMPLE, "--mode", "consolidate", "--threshold", "5", "--no-simulate", "--format", "md"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/## Hosts to switch off/);
    expect(r.stdout).toMatch(/\| h0\d \| \d+ \| [\d.]+ \| \d+ \| \d+ \|/);
  }, 60_000);
});

describe("score with a fan-out service", () => {
  test("the service's tail is printed against its SLO; its breach exits 3 unless --fail-on leaves breaches out", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmplace-score-svc-"));
    const file = join(dir, "svc.json");
    const doc = JSON.parse(readFileSync(SAMPLE, "utf8"));
    doc.services = [{ id: "web", vms: Array.from({ length: 8 }, (_, k) => `web-${k + 1}`), fanout: 8, slo: { p99Ms: 3 } }];
    writeFileSync(file, JSON.stringify(doc));
    const r = runCli(["score", file]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/service web \(8 VMs, fan-out 8, 7 hosts\): predicted p99 [\d.]+ ms, p99\.9 [\d.]+ ms vs SLO p99 3\.00 ms BREACH/);
    expect(r.stderr).toMatch(/1 fan-out service\(s\) over their SLO \(web\)/);
    expect(runCli(["score", file, "--fail-on", "violation"]).code).toBe(0);
  }, 60_000);
});

describe("validate with the objectives' inputs", () => {
  test("counts fan-out services and says which hosts' watts are estimates", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmplace-validate-obj-"));
    const file = join(dir, "doc.json");
    const doc = JSON.parse(readFileSync(SAMPLE, "utf8"));
    doc.services = [{ id: "web", vms: ["web-1", "web-2", "web-3"], fanout: 3, slo: { p99Ms: 3 } }];
    doc.hosts[0].power = { idleWatts: 90, peakWatts: 250 };
    writeFileSync(file, JSON.stringify(doc));
    const r = runCli(["validate", file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fan-out services 1 \(3 VMs\)$/m);
    expect(r.stdout).toMatch(/^power models 1 of 8 hosts \(the rest: the default curve for their cores, an estimate\)$/m);
    const json = JSON.parse(runCli(["validate", file, "--json"]).stdout);
    expect(json.summary).toMatchObject({ services: { count: 1, vms: 3 }, hostsWithPowerModel: 1 });
  }, 60_000);
});
