import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { HostSimResult, Scenario } from "../src/model/scenario.js";
import type { SchedulerParams } from "../src/model/scheduler.js";
import type { CpuScheduler } from "../src/sim/cpu-scheduler.js";

/** SimBuild is one compiled copy of the simulator, so two builds can run side by side in one process. */
export interface SimBuild {
  label: string;
  runHost(scenario: Scenario, scheduler: CpuScheduler): HostSimResult;
  createScheduler(params: SchedulerParams, nCpus: number): CpuScheduler;
}

/** loadBuild imports the simulator of a compiled dist directory (this checkout's or a baseline's). */
export async function loadBuild(label: string, distDir: string): Promise<SimBuild> {
  const url = (rel: string): string => pathToFileURL(join(distDir, rel)).href;
  const runHostModule = (await import(url("src/sim/run-host.js"))) as Pick<SimBuild, "runHost">;
  const registry = (await import(url("src/sim/schedulers/registry.js"))) as Pick<SimBuild, "createScheduler">;
  return { label, runHost: runHostModule.runHost, createScheduler: registry.createScheduler };
}

/**
 * BEFORE_SPEED_WORK is main's last commit before the simulator speed work (issue 14): the default
 * baseline, so the bench keeps showing that work's effect after it has landed on main.
 */
const BEFORE_SPEED_WORK = "2c86fb3";

/**
 * baselineDist finds the compiled simulator to compare against: SIM_BASELINE_DIR (a dist directory
 * built elsewhere) or BENCH_BEFORE (a build's dist/src/cli/main.js, as the api and startup benches
 * take it), or else the git ref SIM_BASELINE_REF (default BEFORE_SPEED_WORK; `main` to
 * compare a branch with main) exported with `git archive` and compiled once into the temp
 * directory, cached by commit. null (with the reason) when SIM_BASELINE_REF=none or git cannot
 * resolve the ref.
 */
export function baselineDist(): { dir: string; label: string } | { dir: null; reason: string } {
  const dir = process.env.SIM_BASELINE_DIR;
  if (dir) return { dir: resolve(dir), label: `dist at ${dir}` };
  // The other benches' convention: BENCH_BEFORE names a build's dist/src/cli/main.js.
  const before = process.env.BENCH_BEFORE;
  if (before) return { dir: resolve(dirname(before), "../.."), label: `BENCH_BEFORE ${before}` };
  const ref = process.env.SIM_BASELINE_REF ?? BEFORE_SPEED_WORK;
  if (ref === "none") return { dir: null, reason: "SIM_BASELINE_REF=none" };
  let sha: string;
  try {
    sha = execFileSync("git", ["rev-parse", "--verify", `${ref}^{commit}`], { encoding: "utf8", stdio: "pipe" }).trim();
  } catch {
    return { dir: null, reason: `git cannot resolve "${ref}" here` };
  }
  const root = join(tmpdir(), `vmplace-sim-baseline-${sha.slice(0, 12)}`);
  const dist = join(root, "dist");
  try {
    if (!existsSync(join(dist, "src/sim/run-host.js"))) buildRef(sha, root);
  } catch (err) {
    return { dir: null, reason: `building ${ref} failed: ${(err as Error).message.split("\n")[0]}` };
  }
  return { dir: dist, label: `${ref} @ ${sha.slice(0, 10)}` };
}

function buildRef(sha: string, root: string): void {
  console.log(`sim  building baseline ${sha.slice(0, 10)} into ${root} ...`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const tar = join(root, "src.tar");
  execFileSync("git", ["archive", "--format=tar", "-o", tar, sha]);
  execFileSync("tar", ["-xf", tar, "-C", root]);
  symlinkSync(resolve("node_modules"), join(root, "node_modules"), "dir");
  execFileSync(resolve("node_modules/.bin/tsc"), ["-p", root], { stdio: "pipe" });
}
