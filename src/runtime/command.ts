import { spawn } from "node:child_process";

/** Bytes of a command's output kept for the record: the end, where the error usually is. */
const OUTPUT_TAIL_BYTES = 4096;

export interface CommandResult {
  readonly exitCode?: number;
  readonly signal?: string;
  /** The last OUTPUT_TAIL_BYTES of stdout and stderr, interleaved as they came. */
  readonly output: string;
  /** Why it could not start (no shell, say). */
  readonly error?: string;
}

export interface CommandOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Kill it (SIGTERM, then SIGKILL 5 s later) after this long. */
  readonly timeoutMs?: number;
  /** Each line of its output as it comes (progress on a terminal). */
  readonly onLine?: (line: string) => void;
}

/**
 * runShell runs one command line under /bin/sh -c and resolves with how it ended; it never
 * rejects, because a failed command is a result to record, not an error of vmplace's.
 */
export function runShell(command: string, o: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    let tail = "";
    let partial = "";
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString("utf8");
      tail = (tail + text).slice(-OUTPUT_TAIL_BYTES);
      if (!o.onLine) return;
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines) o.onLine(l);
    };
    const child = spawn("/bin/sh", ["-c", command], { env: { ...process.env, ...o.env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timer: NodeJS.Timeout | undefined;
    let killer: NodeJS.Timeout | undefined;
    if (o.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        tail = `${tail}\nvmplace: timed out after ${o.timeoutMs} ms; stopping it`.slice(-OUTPUT_TAIL_BYTES);
        child.kill("SIGTERM");
        killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      }, o.timeoutMs);
    }
    let settled = false;
    const done = (r: CommandResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killer);
      if (partial !== "" && o.onLine) o.onLine(partial);
      resolve(r);
    };
    child.on("error", (e) => done({ output: tail, error: e.message }));
    child.on("close", (code, signal) => done({ output: tail, ...(code !== null ? { exitCode: code } : {}), ...(signal !== null ? { signal } : {}) }));
  });
}
