import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { InputError } from "./load.js";

/**
 * lockFile takes `path.lock` for this process, so two `vmplace apply` runs never drive the same
 * plan at once. A lock whose process is gone (a crash) is taken over. Returns the release.
 */
export function lockFile(path: string): () => void {
  const lock = `${path}.lock`;
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new InputError(`${lock}: cannot create the lock (${(e as Error).message})`);
      const pid = Number(readFileSync(lock, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new InputError(`${path} is being applied by process ${pid} (${lock}); wait for it or stop it`);
      rmSync(lock, { force: true });
    }
  }
  throw new InputError(`${lock}: another process keeps taking the lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but is someone else's.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
