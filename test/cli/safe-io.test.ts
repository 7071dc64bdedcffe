import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { CLI, runCli } from "../helpers/cli.js";
import { tmpDir } from "../helpers/clusters.js";

const dir = tmpDir("vmplace-safe-");
const SLOW = 120_000;
const noTrace = (s: string): void => expect(s).not.toMatch(/\bat .*\.js:\d+|EPIPE|EISDIR/);

/** sh runs a shell pipeline and returns the exit status of its first command (PIPESTATUS[0]). */
function pipeline(cmd: string): { code: number; stderr: string } {
  const r = spawnSync("bash", ["-c", `set -o pipefail; ${cmd} >/dev/null; echo "\${PIPESTATUS[0]}" >&3`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe", "pipe"], timeout: 120_000 });
  return { code: Number(String(r.output[3]).trim()), stderr: r.stderr };
}

/** optionsOf: each option of a command's --help with its whole (wrapped) description. */
function optionsOf(help: string): string[] {
  const body = help.split("\nOptions:\n")[1]?.split("\n\n")[0] ?? "";
  const out: string[] = [];
  for (const line of body.split("\n")) {
    if (/^ {2}-/.test(line)) out.push(line.trim());
    else out[out.length - 1] += ` ${line.trim()}`;
  }
  return out;
}

describe("safe defaults", () => {
  test("calibrate refuses to overwrite the shipped model without --force, before any simulation", () => {
    const shipped = resolve("data/interference/model-v15.json");
    const before = statSync(shipped).mtimeMs;
    for (const out of ["data/interference/model-v15.json", shipped, "./data/interference/../interference/model-v15.json"]) {
      const r = runCli(["calibrate", "--out", out, "--duration", "1ms", "--seeds", "1", "--runs", "1"]);
      expect(r.code, out).toBe(2);
      expect(r.stderr).toMatch(/is the interference model vmplace ships and reads by default; pass --force to replace it/);
      expect(r.stderr).not.toMatch(/calibrate: \d+ fitting/);
    }
    expect(statSync(shipped).mtimeMs).toBe(before);
  }, SLOW);

  test("calibrate without --out writes a new file beside an existing one, never over it", () => {
    const cwd = join(dir, "cal");
    mkdirSync(cwd);
    writeFileSync(join(cwd, "interference-model.json"), "mine\n");
    const r = spawnSync(process.execPath, [resolve(CLI), "calibrate", "--duration", "1ms", "--seeds", "1", "--runs", "1", "--workers", "1"], { cwd, encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/calibrate: wrote interference-model-2\.json; use it with --calibration interference-model-2\.json/);
    expect(readFileSync(join(cwd, "interference-model.json"), "utf8")).toBe("mine\n");
    expect(JSON.parse(readFileSync(join(cwd, "interference-model-2.json"), "utf8"))).toHaveProperty("generatedBy", "vmplace calibrate");
  }, SLOW);

  test("migrate --host without --mode is an error, not a silent evacuation", () => {
    const r = runCli(["migrate", "data/sample-cluster.json", "--host", "h01", "--no-simulate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--host h01 needs --mode evacuate/);
    expect(r.stdout).toBe("");
  }, SLOW);

  test.each([
    [["migrate", "data/sample-cluster.json", "--no-simulate", "--out", "mig.txt"], /--out .*mig\.txt: cannot tell the format from the name; name it \.html, \.md or \.json, or give --format/],
    [["migrate", "data/sample-cluster.json", "--no-simulate", "--out", "mig.md", "--format", "json"], /--format json does not match --out .*mig\.md, whose name says md/],
    [["plan", "data/sample-cluster.json", "--no-validate", "--out", "plan.txt"], /--out .*plan\.txt: cannot tell the format/],
    [["report", "data/sample-cluster.json", "--out", "r.html", "--format", "md"], /--format md does not match --out .*r\.html/],
  ])("output format mismatch %j is an error (exit 2) and writes nothing", (args, message) => {
    const sub = tmpDir("vmplace-fmt-");
    const i = args.indexOf("--out");
    const withDir = args.map((a, k) => (k === i + 1 ? join(sub, a) : a));
    const r = runCli(withDir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(sub)).toEqual([]);
  }, SLOW);

  test("--format md with any --out name writes Markdown; plan --out plan.md writes the Markdown report", () => {
    const md = join(dir, "mig.txt");
    expect(runCli(["migrate", "data/sample-cluster.json", "--no-simulate", "--format", "md", "--out", md]).code).toBe(0);
    expect(readFileSync(md, "utf8")).toMatch(/^# Migration plan/);
    const plan = join(dir, "plan.md");
    expect(runCli(["plan", "data/sample-cluster.json", "--solver", "heuristic", "--iterations", "300", "--no-validate", "--out", plan]).code).toBe(0);
    expect(readFileSync(plan, "utf8")).toMatch(/^# Placement plan/);
  }, SLOW);

  test("every option that takes a value shows its default in --help (or is required)", () => {
    for (const cmd of ["validate", "generate", "simulate", "score", "calibrate", "import", "plan", "serve", "migrate", "advise", "report", "demo", "schema", "probe", "worker"]) {
      const help = runCli([cmd, "--help"]).stdout;
      for (const o of optionsOf(help)) {
        if (!/^--?[\w-]+(, --[\w-]+)? </.test(o) || /^-h, --help/.test(o)) continue;
        expect(o, `${cmd}: ${o}`).toMatch(/\(default|\(required\)|[(,] default: /);
      }
    }
    expect(optionsOf(runCli(["migrate", "--help"]).stdout).find((o) => o.startsWith("--max-moves"))).toMatch(/\(default: 1000\)/);
  }, SLOW);
});

describe("files and pipes", () => {
  test("a reader that stops early ends the command quietly with exit 0 (EPIPE)", () => {
    const score = pipeline(`node ${CLI} score data/generated-large.json --json | head -1`);
    expect(score.code).toBe(0);
    noTrace(score.stderr);
    const gen = pipeline(`node ${CLI} generate --hosts 200 --vms 3000 | head -c 10`);
    expect(gen.code).toBe(0);
    noTrace(gen.stderr);
  }, SLOW);

  test("generate --out DIR names the path and the problem, exits 2 and leaves no temporary file", () => {
    const target = join(dir, "adir");
    mkdirSync(target);
    const r = runCli(["generate", "--hosts", "2", "--vms", "3", "--out", target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vmplace: cannot write ${target}: is a directory\n`);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(readdirSync(target)).toEqual([]);
  }, SLOW);

  test.each([
    ["a path through a file", (d: string) => { writeFileSync(join(d, "f"), "x"); return join(d, "f", "out.json"); }, /is not a directory/],
    ["a folder that refuses new files", () => "/proc/vmplace-test-out.json", /cannot create a file in \/proc/],
  ])("an unwritable --out (%s) is exit 2 with the path and the problem, before any work", (_what, make, message) => {
    const d = tmpDir("vmplace-unw-");
    const out = make(d);
    for (const args of [["generate", "--hosts", "2", "--vms", "3"], ["plan", "data/sample-cluster.json", "--no-validate"], ["migrate", "data/sample-cluster.json", "--no-simulate"]]) {
      const r = runCli([...args, "--out", out]);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`cannot write ${out.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/searching|planning/);
      expect(readdirSync(d).filter((f) => f.includes(".tmp-"))).toEqual([]);
    }
    expect(existsSync(out)).toBe(false);
  }, SLOW);
});
