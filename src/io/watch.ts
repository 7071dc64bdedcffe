import { unwatchFile, watchFile, type Stats } from "node:fs";

/**
 * watchPath calls `onChange` when a file's content may have changed: its modification time,
 * size or inode (a new file renamed over it, as atomic writers do). It polls with stat every
 * `intervalMs`, which, unlike fs.watch, survives the file being replaced. Returns the stop.
 */
export function watchPath(path: string, intervalMs: number, onChange: () => void): () => void {
  const listener = (cur: Stats, prev: Stats): void => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) onChange();
  };
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(path, listener);
}
