import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI } from "./cli.js";

const REDIS_SERVER = "redis-server";

/** freePort asks the kernel for a loopback port nobody listens on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * startRedis runs Debian's redis-server on a free loopback port with a throwaway data directory
 * and no persistence, as the guarantees must be shown against the real thing (npm test's pretest
 * and .ci/run install it when missing).
 */
export async function startRedis(): Promise<TestRedis> {
  if (spawnSync(REDIS_SERVER, ["--version"]).error) throw new Error("redis-server is missing: apt-get install redis-server (npm test's pretest does it as root)");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "vmplace-redis-"));
  const proc = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout!.on("data", (b: Buffer) => (log += b.toString()));
  await waitFor(() => log.includes("Ready to accept connections"), 10_000, () => `redis-server did not start on port ${port}:\n${log}`);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestWorker {
  readonly proc: ChildProcess;
  /** Everything the worker wrote to stderr so far. */
  log(): string;
  /** exited resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** startWorker runs `vmplace worker` (from dist, or from another build's dist) until it serves the queue. */
export async function startWorker(url: string, args: string[] = [], cli = CLI): Promise<TestWorker> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` (npm test does it first)`);
  const proc = spawn(process.execPath, [cli, "worker", "--redis", url, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr!.on("data", (b: Buffer) => (log += b.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  await waitFor(() => log.includes("serving queue"), 20_000, () => `vmplace worker did not start:\n${log}`);
  return { proc, log: () => log, exited };
}

/** runCliAsync runs the compiled `vmplace` without blocking the test (the workers must run meanwhile). */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  proc.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
  proc.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => proc.once("exit", (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

/** stopProcess sends SIGTERM and waits for the exit (SIGKILL after 10 s). */
export async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** waitFor polls a condition every 50 ms, failing with `why()` after `timeoutMs`. */
export async function waitFor(ok: () => boolean | Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(why());
    await new Promise((r) => setTimeout(r, 50));
  }
}
