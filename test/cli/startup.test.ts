import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { CLI } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "vmplace-imports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bundle's map of each chunk file to the dist/src modules it holds (rolldown.config.mjs). */
const CHUNKS: Record<string, string[]> = JSON.parse(readFileSync("dist/cli/chunks.json", "utf8"));

/**
 * modulesLoaded runs the `vmplace` bin and lists every module URL it resolved, a bundle chunk
 * standing for the dist/src modules it holds, so the layers a command loads read as unbundled.
 */
function modulesLoaded(args: string[]): { code: number; urls: string[] } {
  const log = join(dir, `${args[0]}-${Math.random().toString(36).slice(2)}.log`);
  const r = spawnSync(process.execPath, ["--import", "./test/fixtures/imports/record.mjs", CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, VMPLACE_IMPORT_LOG: log },
    timeout: 60_000,
  });
  const urls = readFileSync(log, "utf8").trim().split("\n");
  const chunkOf = (url: string) => (url.includes("/dist/cli/") ? CHUNKS[url.slice(url.lastIndexOf("/") + 1)] : undefined);
  return { code: r.status ?? -1, urls: urls.flatMap((url) => chunkOf(url)?.map((m) => `file:///${m}`) ?? [url]) };
}

// What a small command must not pay for at start: the HTTP stack, the MILP solver, the placer,
// migration planning, reports, trace import.
const HEAVY = [/\/node_modules\/fastify\//, /\/node_modules\/highs\//, /\/src\/api\//, /\/src\/placement\//, /\/src\/migrate\//, /\/src\/report\//, /\/src\/io\/import\//];

describe("a command loads only its own modules", () => {
  test.each([
    ["simulate", ["simulate", "data/scenarios/bobtail-4core.json", "--duration", "100ms"]],
    // The sample's current placement has a breach (exit 3); --fail-on none keeps this about imports.
    ["score", ["score", "data/sample-cluster.json", "--fail-on", "none"]],
    ["validate", ["validate", "data/sample-cluster.json"]],
  ])("vmplace %s loads none of the heavy layers", (_name, args) => {
    const { code, urls } = modulesLoaded(args);
    expect(code).toBe(0);
    // Every chunk the bin loaded is one the manifest knows (else its modules would go unchecked).
    expect(urls.filter((u) => u.includes("/dist/cli/"))).toEqual([]);
    expect(urls.some((u) => u.includes("/src/cli/commands/"))).toBe(true);
    for (const heavy of HEAVY) expect(urls.filter((u) => heavy.test(u))).toEqual([]);
  });

  test("the check sees a heavy layer where one loads: `plan --help` loads the placer's chunks", () => {
    const { code, urls } = modulesLoaded(["plan", "--help"]);
    expect(code).toBe(0);
    expect(urls.filter((u) => /\/src\/placement\//.test(u)).length).toBeGreaterThan(0);
  });

  test("--help still lists every command (all are loaded for it)", () => {
    const r = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
    for (const name of ["validate", "schema", "generate", "demo", "import", "calibrate", "score", "simulate", "plan", "serve", "migrate", "report"])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${name}\\b`, "m"));
  });
});
