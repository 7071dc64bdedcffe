import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compiledWorkerUrl } from "./worker-url.js";

// The compiled code a simulation's result depends on: the simulator and the shapes it reads.
const RESULT_CODE = ["sim", "model"];

let cached: string | undefined;

/**
 * simVersion fingerprints the compiled simulator (dist/src/sim and dist/src/model, the code a
 * result depends on). Queue job ids include it, so a result computed by another build is never
 * reused, and a worker refuses jobs from another build instead of answering them differently.
 * A hand-kept version number would be forgotten on the next scheduler fix; the code's hash is not.
 * The dependencies (seedrandom) are pinned by the lock file that every machine installs from.
 */
export function simVersion(): string {
  if (cached !== undefined) return cached;
  // dist/src/, found as the worker scripts are (under vitest the sources are .ts, dist/ is built).
  const root = new URL("../", compiledWorkerUrl("sim-version.js", import.meta.url));
  const hash = createHash("sha256");
  for (const dir of RESULT_CODE) {
    const base = fileURLToPath(new URL(`${dir}/`, root));
    let files: string[];
    try {
      files = readdirSync(base, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js")).sort();
    } catch {
      throw new Error(`compiled simulator ${base} is missing: run \`npm run build\` first`);
    }
    for (const f of files) hash.update(`${dir}/${f}\0`).update(readFileSync(`${base}${f}`)).update("\0");
  }
  cached = hash.digest("hex").slice(0, 16);
  return cached;
}
