import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CLI_TIMEOUT_MS, runCli } from "../helpers/cli.js";

describe("vmplace validate", () => {
  test("the sample is valid (exit 0) and summarised", () => {
    const r = runCli(["validate", "data/sample-cluster.json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid\nhosts \d+/);
    expect(r.stdout).toMatch(/memory MiB/);
  }, CLI_TIMEOUT_MS);

  // `generate --placed` picks current hosts at random, so one VM of each lands off its label.
  test.each(["data/generated-medium.json", "data/generated-large.json"])(
    "%s is a valid document whose current placement breaks a hard constraint (exit 3)",
    (file) => {
      const r = runCli(["validate", file]);
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/valid document, but the current placement breaks 1 hard constraint\(s\)\nhosts \d+/);
      expect(r.stdout).toMatch(/VIOLATION host-label on h\d+ \(constraints\[\d+\]\): vm\d+/);
      expect(r.stderr).toMatch(/vmplace validate: result not whole \(exit 3\): 1 hard-constraint violation\(s\) in the current placement/);
      expect(runCli(["validate", file, "--fail-on", "unplaced"]).code).toBe(0);
    },
  );

  test("a file with five mistakes prints all five with their paths and exits 2", () => {
    const r = runCli(["validate", "test/fixtures/five-mistakes.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/5 problem\(s\)/);
    for (const path of ["constraints[0].vms[1]", "hosts[1].id", "vms[0].workload.dutyCycle", "vms[1]:", "vms[2].host"])
      expect(r.stderr).toContain(path);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  }, CLI_TIMEOUT_MS);

  test.each([
    [["validate", "no/such/file.json"], /no such file/],
    [["validate", "package-lock.json", "--json"], /problem|valid/],
    [["validate", ".gitignore"], /not valid JSON/],
    [["generate", "--hosts", "0", "--vms", "1"], /--hosts must be a whole number between 1/],
    [["generate", "--hosts", "2", "--vms", "1", "--mix", "gpu=1"], /--mix: unknown workload kind/],
    [["frobnicate"], /unknown command/],
  ])("bad input %j gets one clear message and exit 2", (args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  }, CLI_TIMEOUT_MS);

  test("--help and --version work on every command", () => {
    for (const cmd of [[], ["validate"], ["schema"], ["generate"]]) {
      const r = runCli([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: vmplace/);
    }
    expect(runCli(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, CLI_TIMEOUT_MS);
});

describe("vmplace generate and schema", () => {
  test("generate with the same seed twice writes identical bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmplace-gen-"));
    const args = ["generate", "--hosts", "30", "--vms", "200", "--seed", "9", "--placed"];
    expect(runCli([...args, "--out", join(dir, "a.json")]).code).toBe(0);
    expect(runCli([...args, "--out", join(dir, "b.json")]).code).toBe(0);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe(readFileSync(join(dir, "b.json"), "utf8"));
    expect(readdirSync(dir).sort()).toEqual(["a.json", "b.json"]);
    expect(runCli(["validate", join(dir, "a.json"), "--fail-on", "none"]).code).toBe(0);
  }, CLI_TIMEOUT_MS);

  test("schema prints a JSON Schema describing the cluster document", () => {
    const r = runCli(["schema"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { $schema: string; required: string[]; properties: Record<string, unknown> };
    expect(s.$schema).toMatch(/json-schema\.org/);
    expect(s.required).toContain("hosts");
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(["hosts", "vms", "constraints", "policy"]));
  }, CLI_TIMEOUT_MS);
});
