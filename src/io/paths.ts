import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** packageRoot is the folder of vmplace's package.json, found from this file (src/ or dist/src/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "vmplace") return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find vmplace's package.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** bundledPath resolves a file shipped with vmplace (data/...). */
export function bundledPath(rel: string): string {
  return join(packageRoot(), rel);
}
