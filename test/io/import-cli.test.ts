import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { FIXTURES, PLANETLAB_SAMPLE } from "./import-helpers.js";

// One child process per case on the compiled CLI (npm test builds dist/ first): the pure functions
// are tested directly elsewhere; these check the edge (exit codes, stderr, what lands on disk).
describe("vmplace import", () => {
  test("writes a valid cluster, prints a summary on stderr and nothing on stdout", () => {
    const out = join(mkdtempSync(join(tmpdir(), "vmplace-import-")), "sub", "cluster.json");
    const r = runCli(["import", "--format", "planetlab", PLANETLAB_SAMPLE, "--limit", "3", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/import: read 3 file\(s\) as planetlab: 3 VM\(s\), 1 host\(s\)/);
    expect(r.stderr).toMatch(/import: hosts: no --hosts: generated 1 default host/);
    expect(runCli(["validate", out]).code).toBe(0);
  });

  test("a malformed row fails with exit 2, names file and line, and leaves --out untouched", () => {
    const out = join(mkdtempSync(join(tmpdir(), "vmplace-import-")), "cluster.json");
    writeFileSync(out, "previous content");
    const r = runCli(["import", "--format", "azure-vmtable", `${FIXTURES}/vmtable-bad.csv`, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("import failed with 5 problem(s), nothing written (--skip-bad skips malformed rows)");
    expect(r.stderr).toContain(`${FIXTURES}/vmtable-bad.csv:2: column "avg cpu": must be at least 0`);
    expect(readFileSync(out, "utf8")).toBe("previous content");
  });

  test.each([
    [["--format", "nope", PLANETLAB_SAMPLE], /argument 'nope' is invalid/],
    [["--format", "bitbrains", `${FIXTURES}/bitbrains`, "--vcpus", "2"], /--vcpus: applies only to --format planetlab/],
    [["--format", "hosts-csv", `${FIXTURES}/hosts.csv`, "--hosts", `${FIXTURES}/hosts.csv`], /--hosts combines only with VM formats/],
    [["--format", "planetlab", "no/such/folder"], /no\/such\/folder: no such file or folder/],
  ])("bad usage %j exits 2 with one clear message and writes nothing", (args, message) => {
    const out = join(mkdtempSync(join(tmpdir(), "vmplace-import-")), "cluster.json");
    const r = runCli(["import", ...args, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  test("large inputs get plain progress lines on a non-terminal stderr", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmplace-import-"));
    mkdirSync(join(dir, "traces"));
    for (let i = 0; i < 120; i++) writeFileSync(join(dir, "traces", `vm${String(i).padStart(3, "0")}`), "10\n20\n");
    const r = runCli(["import", "--format", "planetlab", join(dir, "traces"), "--out", join(dir, "c.json")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^importing planetlab: 0%\n(?:importing planetlab: \d+%\n)+importing planetlab: 100%\n/);
    expect(r.stderr).not.toContain("\r");
  });
});
