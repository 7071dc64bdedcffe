import { renameSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** writeFileAtomic writes to a temporary sibling and renames, so readers never see half a file. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
