import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLI_TIMEOUT_MS } from "../helpers/cli.js";

// What `npm pack` ships is what an installed vmplace has: run the packed bin from another folder,
// so a file the code finds beside itself (the model, the sample, worker scripts) but that the
// package leaves out fails here rather than on a user's machine.
const dir = mkdtempSync(join(tmpdir(), "vmplace-pack-"));
const pkg = join(dir, "package");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  // cwd is the throwaway folder: nothing may resolve against the repository's working directory.
  const r = spawnSync(process.execPath, [join(pkg, "dist/cli/vmplace.js"), ...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // --ignore-scripts: npm test built dist/ already (prepack would build it again).
  const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir, "--json"], { encoding: "utf8" });
  expect(pack.status, pack.stderr).toBe(0);
  const [{ filename }] = JSON.parse(pack.stdout) as { filename: string }[];
  expect(spawnSync("tar", ["-xzf", join(dir, filename), "-C", dir]).status).toBe(0);
  // Dependencies as an install would provide them (npm pack ships none).
  symlinkSync(resolve("node_modules"), join(pkg, "node_modules"));
}, CLI_TIMEOUT_MS);

describe("the packed package", () => {
  test("ships the built bin, the compiled modules workers load, the model and the sample, and no sources or tests", () => {
    expect(existsSync(join(pkg, "dist/cli/vmplace.js"))).toBe(true);
    expect(existsSync(join(pkg, "dist/src/runtime/sim-pool.js"))).toBe(true);
    expect(existsSync(join(pkg, "data/interference/model-v15.json"))).toBe(true);
    expect(existsSync(join(pkg, "src"))).toBe(false);
    expect(existsSync(join(pkg, "dist/test"))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(existsSync(join(pkg, manifest.bin.vmplace))).toBe(true);
  });

  test("plans the bundled sample from another folder, validation by simulation in worker threads included", () => {
    const r = run(["plan", join(pkg, "data/sample-cluster.json"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { status: string; validation: { performed: boolean; hostsSimulated: number } };
    expect(plan.status).toBe("ok");
    expect(plan.validation.performed).toBe(true);
    expect(plan.validation.hostsSimulated).toBeGreaterThan(0);
  }, CLI_TIMEOUT_MS);

  test("`vmplace demo` without a file finds the bundled sample wherever it is run", () => {
    const r = run(["demo", "--out", join(dir, "plan.json")]);
    expect(r.stderr).not.toMatch(/no such file/);
    expect(r.stdout).toMatch(/== data\/sample-cluster\.json/);
    expect(existsSync(join(dir, "plan.json"))).toBe(true);
  }, CLI_TIMEOUT_MS);
});
