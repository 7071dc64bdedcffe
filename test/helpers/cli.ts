import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The `vmplace` bin: the bundle of dist/src that `npm run build` writes (rolldown.config.mjs). */
export const CLI = "dist/cli/vmplace.js";

/** A test that spawns the CLI a few times needs more than vitest's 5 s on a busy machine. */
export const CLI_TIMEOUT_MS = 60_000;

/** runCli runs the built `vmplace` (npm test builds dist/ before vitest starts). */
export function runCli(args: string[], input?: string, env?: Record<string, string>): { code: number; stdout: string; stderr: string } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", input, timeout: 120_000, env: env ? { ...process.env, ...env } : undefined });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * runCliAsync is runCli without blocking this process's event loop: tests that serve something
 * themselves (a metrics exporter Prometheus scrapes) must keep answering while the CLI runs.
 */
export function runCliAsync(args: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: env ? { ...process.env, ...env } : undefined, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
