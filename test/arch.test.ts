import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, test } from "vitest";

// model <- sim <- interference <- placement <- migrate <- report <- io <- runtime <- {api, cli}: a file may import its own
// layer and the layers below it, never above. io (files, sockets) is used only at the edges.
const RANK: Record<string, number> = { model: 0, sim: 1, interference: 2, placement: 3, migrate: 4, report: 5, io: 6, runtime: 7, api: 8, cli: 8 };
const PURE = new Set(["model", "sim", "interference", "placement", "migrate", "report"]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}
const layerOf = (file: string): string => relative("src", file).split(/[\\/]/)[0];
const importsOf = (text: string): string[] =>
  [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]);

const sources = files("src");

describe("architecture", () => {
  test("every source file sits in a known layer", () => {
    for (const f of sources) expect(Object.keys(RANK), f).toContain(layerOf(f));
  });

  test.each(sources)("%s imports no higher layer", (file) => {
    const mine = layerOf(file);
    for (const spec of importsOf(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue;
      const target = layerOf(relative(process.cwd(), resolve(dirname(file), spec)));
      expect(RANK[target], `${file} imports ${spec} from layer ${target}, above ${mine}`).toBeLessThanOrEqual(RANK[mine]);
    }
  });

  test.each(sources.filter((f) => PURE.has(layerOf(f))))("%s stays pure (no fs, clock, env or Math.random)", (file) => {
    const text = readFileSync(file, "utf8");
    const bad = [/from\s+["']node:fs["']/, /\bDate\.now\(/, /\bMath\.random\(/, /\bprocess\.env\b/, /from\s+["']node:(net|http|child_process)["']/];
    for (const re of bad) expect(re.test(text), `${file} matches ${re}`).toBe(false);
  });
});
