import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { MigrationPlanSchema, type MigrationPlan } from "../../src/model/migration.js";
import { runCli } from "../helpers/cli.js";
import { file } from "../migrate/helpers.js";

const SAMPLE = "data/sample-cluster.json";
const FIXTURES = resolve("test/fixtures/apply");
const EXECUTOR = `sh ${FIXTURES}/executor.sh {vm} {from} {to} {step}`;
const PRECHECK = `sh ${FIXTURES}/precheck.sh {vm} {from}`;

let dir: string;
let planPath: string;
let env: Record<string, string>;

/** The evacuation of h01 one migration per host at a time: several waves, one or two moves each. */
function writePlan(): MigrationPlan {
  const r = runCli(["migrate", SAMPLE, "--no-simulate", "--mode", "evacuate", "--host", "h01", "--per-host-concurrent", "1", "--format", "json", "--out", planPath]);
  expect(r.code).toBe(0);
  return read();
}

function read(): MigrationPlan {
  return MigrationPlanSchema.parse(JSON.parse(readFileSync(planPath, "utf8")));
}

/** The hosts as a hypervisor would hold them: one file per VM naming its host. */
function seedHosts(): void {
  for (const vm of file(SAMPLE).vms) writeFileSync(join(dir, vm.id), `${vm.host}\n`);
}

function logged(): string[] {
  const log = join(dir, "log");
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vmplace-apply-"));
  planPath = join(dir, "plan.json");
  env = { STATE_DIR: dir };
  seedHosts();
});

describe("vmplace apply", { timeout: 60_000 }, () => {
  test("--dry-run prints each wave's commands and changes nothing; an unapproved plan does not run", () => {
    const plan = writePlan();
    const before = readFileSync(planPath, "utf8");
    const dry = runCli(["apply", planPath, "--executor", EXECUTOR, "--dry-run"], undefined, env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/the plan is recommended; 6 move\(s\) to run in \d+ wave\(s\)/);
    for (const m of plan.moves) expect(dry.stdout).toContain(`sh ${FIXTURES}/executor.sh ${m.vmId} ${m.from} ${m.to} ${m.step}`);
    expect(dry.stdout).toMatch(/^wave 1:\n {2}step 1: /m);
    const run = runCli(["apply", planPath, "--executor", EXECUTOR], undefined, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/only recommended: approve it first/);
    expect(readFileSync(planPath, "utf8")).toBe(before);
    expect(logged()).toEqual([]);
  });

  test("records every move's state, stops after the wave where a move fails, and resumes where it stopped", () => {
    const plan = writePlan();
    expect(plan.waves.length).toBeGreaterThanOrEqual(3);
    const failing = plan.moves.find((m) => m.wave === 2)!;
    writeFileSync(join(dir, "fail"), `${failing.vmId}\n`);
    expect(runCli(["approve", planPath, "--by", "tester"], undefined, env).code).toBe(0);
    expect(read()).toMatchObject({ state: "approved", execution: { approvedBy: "tester" } });

    const first = runCli(["apply", planPath, "--executor", EXECUTOR, "--precheck", PRECHECK], undefined, env);
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/run apply again to resume/);
    const failed = read();
    expect(failed.state).toBe("failed");
    for (const m of failed.moves) {
      const expected = m.wave < 2 ? "done" : m.wave > 2 ? "recommended" : m.step === failing.step ? "failed" : "done";
      expect([m.step, m.state]).toEqual([m.step, expected]);
      expect(m.attempts).toHaveLength(m.wave <= 2 ? 1 : 0);
    }
    const bad = failed.moves.find((m) => m.step === failing.step)!.attempts[0];
    expect(bad).toMatchObject({ ok: false, exitCode: 1, failedAt: "command" });
    expect(bad.output).toMatch(/refusing to migrate/);
    expect(logged().map((l) => Number(l.split(" ")[0])).every((s) => plan.moves.find((m) => m.step === s)!.wave <= 2)).toBe(true);
    expect(readFileSync(join(dir, failing.vmId), "utf8").trim()).toBe(failing.from);

    rmSync(join(dir, "fail"));
    const second = runCli(["apply", planPath, "--executor", EXECUTOR, "--precheck", PRECHECK], undefined, env);
    expect(second.code).toBe(0);
    const done = read();
    expect(done.state).toBe("done");
    expect(done.execution.finishedAt).toBeDefined();
    for (const m of done.moves) {
      expect(m.state).toBe("done");
      expect(readFileSync(join(dir, m.vmId), "utf8").trim()).toBe(m.to);
      expect(m.attempts.map((a) => a.ok)).toEqual(m.step === failing.step ? [false, true] : [true]);
    }
    // Every step ran once, the failed one twice; no temporary file is left beside the plan.
    const steps = logged().map((l) => Number(l.split(" ")[0]));
    for (const m of plan.moves) expect(steps.filter((s) => s === m.step)).toHaveLength(m.step === failing.step ? 2 : 1);
    expect(existsSync(`${planPath}.lock`)).toBe(false);
    expect(runCli(["apply", planPath, "--executor", EXECUTOR], undefined, env).stdout).toMatch(/already done/);
  }, 120_000);

  test("a VM that is not where the plan assumed fails its pre-check and its command never runs", () => {
    const plan = writePlan();
    const moved = plan.moves[0];
    writeFileSync(join(dir, moved.vmId), "elsewhere\n");
    const r = runCli(["apply", planPath, "--approve", "--executor", EXECUTOR, "--precheck", PRECHECK], undefined, env);
    expect(r.code).toBe(3);
    const m = read().moves.find((x) => x.step === moved.step)!;
    expect(m.state).toBe("failed");
    expect(m.attempts[0]).toMatchObject({ ok: false, failedAt: "precheck" });
    expect(m.attempts[0].output).toMatch(/is on elsewhere/);
    expect(logged().some((l) => l.startsWith(`${moved.step} `))).toBe(false);
  }, 60_000);

  test.each([
    [["--executor", "migrate {vmm}"], /--executor: unknown placeholder\(s\) \{vmm\}/],
    [["--executor", "virsh", "--precheck", "true"], /--precheck: the virsh executor checks each VM's host itself/],
    [["--executor", "  "], /--executor must not be empty/],
  ])("bad executor %j: exit 2, nothing run", (args, message) => {
    writePlan();
    const r = runCli(["apply", planPath, "--approve", ...args], undefined, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(read().state).toBe("recommended");
  });

  test("a plan another live process is applying is refused", () => {
    writePlan();
    writeFileSync(`${planPath}.lock`, `${process.pid}\n`);
    const r = runCli(["apply", planPath, "--approve", "--executor", EXECUTOR], undefined, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`being applied by process ${process.pid}`));
    expect(logged()).toEqual([]);
  });
});

describe("vmplace migrate --emit", { timeout: 60_000 }, () => {
  test("the virsh script moves every VM wave by wave, checks each first, and stops after a failed wave", () => {
    const script = join(dir, "migrate.sh");
    const r = runCli(["migrate", SAMPLE, "--no-simulate", "--mode", "evacuate", "--host", "h01", "--per-host-concurrent", "1", "--emit", "virsh", "--emit-out", script, "--format", "json", "--out", planPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/virsh commands written to/);
    const plan = read();
    const text = readFileSync(script, "utf8");
    for (const m of plan.moves) expect(text).toContain(`virsh -c qemu+ssh://${m.from}/system migrate --live --persistent --undefinesource --verbose ${m.vmId} qemu+ssh://${m.to}/system`);
    // Run it with a stand-in virsh on PATH; the wave-2 VM fails, so waves 3 and later never start.
    const failing = plan.moves.find((m) => m.wave === 2)!;
    writeFileSync(join(dir, "fail"), `${failing.vmId}\n`);
    const run = spawnScript(script);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/wave 2 failed: stopping before the next wave/);
    for (const m of plan.moves) expect(readFileSync(join(dir, m.vmId), "utf8").trim()).toBe(m.wave < 2 || (m.wave === 2 && m !== failing) ? m.to : m.from);
    // Run again: moves already done are recognised on their target, the rest complete.
    rmSync(join(dir, "fail"));
    const again = spawnScript(script);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already runs on/);
    for (const m of plan.moves) expect(readFileSync(join(dir, m.vmId), "utf8").trim()).toBe(m.to);
  }, 60_000);
});

function spawnScript(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("sh", [script], { encoding: "utf8", env: { ...process.env, ...env, PATH: `${FIXTURES}:${process.env.PATH}` } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
