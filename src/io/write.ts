import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { fsProblem } from "./fs-errors.js";
import { InputError } from "./load.js";

/**
 * checkWritable fails early, before long work, when a file could not be written there: the path
 * is a directory, a part of the way to it is a file, or its folder refuses a new file (probed by
 * creating and removing the temporary file the write will use). What only the write can tell
 * (a full disk) still fails in writeFileAtomic, with the same kind of message.
 */
export function checkWritable(path: string): void {
  if (path === "") throw new InputError("cannot write to an empty file name");
  const st = statOf(path);
  if (st?.isDirectory()) throw new InputError(`cannot write ${path}: is a directory`);
  let dir = dirname(path);
  for (;;) {
    const d = statOf(dir);
    if (d && !d.isDirectory()) throw new InputError(`cannot write ${path}: ${dir} is not a directory`);
    if (d && dir === dirname(path)) return probe(path);
    if (d || dirname(dir) === dir) return;
    dir = dirname(dir);
  }
}

function probe(path: string): void {
  const tmp = tmpName(path);
  try {
    closeSync(openSync(tmp, "wx"));
    unlinkSync(tmp);
  } catch (e) {
    // A leftover of a killed run with this pid: the folder does take files.
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw writeError(path, e);
  }
}

const tmpName = (path: string): string => `${path}.tmp-${process.pid}`;

function writeError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  // ENOENT on a write means the folder refuses new files (e.g. /proc), not a missing input.
  return new InputError(`cannot write ${path}: ${code === "ENOENT" ? `cannot create a file in ${dirname(path)}` : fsProblem(e)}`);
}

/**
 * writeFileAtomic writes to a temporary sibling and renames, so readers never see half a file. On
 * any failure the temporary file is removed and the error names the path and the problem (an
 * InputError: exit 2), so a failed command leaves nothing behind.
 */
export function writeFileAtomic(path: string, content: string, mode?: number): void {
  checkWritable(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new InputError(`cannot write ${path}: cannot create its folder (${fsProblem(e)})`);
  }
  const tmp = tmpName(path);
  try {
    writeFileSync(tmp, content, mode !== undefined ? { mode } : undefined);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was created, or it is already gone.
    }
    throw writeError(path, e);
  }
}

/**
 * writeFileDurable is writeFileAtomic that also survives a crash or power loss: the temporary
 * file is flushed to disk before the rename, and the folder after it, so the path holds the old
 * content or the new, whole. For records of what was done (an applied plan's states).
 */
export function writeFileDurable(path: string, content: string): void {
  const tmp = tmpName(path);
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    const dir = openSync(dirname(path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was created, or it is already renamed.
    }
    throw writeError(path, e);
  }
}

function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
