import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { PACKAGES, violations, type Rule, type SourceFile } from "./arch/check.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}
const tree: SourceFile[] = files("src").map((path) => ({ path: path.split("\\").join("/"), text: readFileSync(path, "utf8") }));

describe("architecture", () => {
  test("the tree keeps every rule", () => {
    expect(tree.length).toBeGreaterThan(100);
    expect(violations(tree)).toEqual([]);
  });

  // One planted file per kind of violation: the guard must name the file and the rule.
  const planted: [string, string, string, Rule, RegExp][] = [
    ["an upward import", "src/sim/x.ts", `import { planCluster } from "../placement/plan.js";`, "upward", /sim may not import placement/],
    ["an upward type import", "src/model/x.ts", `import type { Predictor } from "../interference/predictor.js";`, "upward", /model may not import interference/],
    ["a side-effect import", "src/interference/x.ts", `import "../api/app.js";`, "upward", /side-effect import .*interference may not import api/],
    ["an upward re-export", "src/placement/x.ts", `export { planMigrations } from "../migrate/plan-migrations.js";`, "upward", /re-export .*placement may not import migrate/],
    ["export * (even within the layer)", "src/sim/x.ts", `export * from "./rng.js";`, "export-star", /export \* from "\.\/rng\.js"/],
    ["the advisor importing the report", "src/advise/x.ts", `import { renderDocument } from "../report/render.js";`, "upward", /advise may not import report/],
    ["the migration planner importing the advisor", "src/migrate/x.ts", `import { adviseCluster } from "../advise/advise.js";`, "upward", /migrate may not import advise/],
    ["performance.now() in the advisor", "src/advise/x.ts", `export const t = () => performance.now();`, "impure", /^performance:/],
    ["worker_threads in the advisor", "src/advise/x.ts", `import { Worker } from "node:worker_threads";`, "package", /advise may not import node:worker_threads/],
    ["an upward dynamic import()", "src/migrate/x.ts", `export const load = () => import("../report/render.js");`, "upward", /dynamic import\(\) .*migrate may not import report/],
    ["a computed dynamic import()", "src/api/x.ts", `export const load = (m: string) => import(m);`, "dynamic", /computed specifier/],
    ["an import type of a higher layer", "src/sim/x.ts", `export type P = import("../runtime/sim-pool.js").WorkerPool;`, "upward", /sim may not import runtime/],
    ["a file outside every layer", "src/misc/x.ts", `export const x = 1;`, "layer", /no known layer/],
    ["a package the layer may not use", "src/sim/x.ts", `import Fastify from "fastify";`, "package", /sim may not import fastify/],
    ["a package side-effect import", "src/placement/x.ts", `import "highs";`, "package", /placement may not import highs/],
    ["node:fs/promises in sim", "src/sim/x.ts", `import { readFile } from "node:fs/promises";`, "package", /sim may not import node:fs\/promises/],
    ["bare fs in io (built-ins need node:)", "src/io/x.ts", `import { readFileSync } from "fs";`, "package", /io may not import fs /],
    ["worker_threads in placement", "src/placement/x.ts", `import { Worker } from "node:worker_threads";`, "package", /placement may not import node:worker_threads/],
    ["fastify in the runtime", "src/runtime/x.ts", `import Fastify from "fastify";`, "package", /runtime may not import fastify/],
    ["cli importing api internals", "src/cli/x.ts", `import { ROUTES } from "../api/routes/index.js";`, "api-entry", /only through src\/api\/server\.ts/],
    ["api importing cli", "src/api/x.ts", `import { VERSION } from "../cli/version.js";`, "upward", /api may not import cli/],
    ["performance.now() in interference", "src/interference/x.ts", `export const t = () => performance.now();`, "impure", /^performance:/],
    ["new Date() in placement", "src/placement/x.ts", `export const d = () => new Date();`, "impure", /new Date\(\)/],
    ["Date() in migrate", "src/migrate/x.ts", `export const d = () => Date();`, "impure", /^Date\(\)/],
    ["Date.now() in sim", "src/sim/x.ts", `export const t = () => Date.now();`, "impure", /Date\.now/],
    ["Math.random() in model", "src/model/x.ts", `export const r = () => Math.random();`, "impure", /Math\.random/],
    ["process.env in report", "src/report/x.ts", `export const home = () => process.env.HOME;`, "impure", /^process:/],
    ["setTimeout in placement", "src/placement/x.ts", `export const later = (f: () => void) => setTimeout(f, 10);`, "impure", /^setTimeout:/],
    ["setInterval in sim", "src/sim/x.ts", `export const tick = (f: () => void) => setInterval(f, 10);`, "impure", /^setInterval:/],
  ];

  test.each(planted)("fails on %s", (_what, path, text, rule, message) => {
    const found = violations([{ path, text }]);
    expect(found.some((v) => v.file === path && v.rule === rule && message.test(v.message)), JSON.stringify(found)).toBe(true);
  });

  test("fails on a type-only package used for values", () => {
    // No layer has a type-only package today; the rule is proved on one that would.
    const rules = { ...PACKAGES, migrate: { values: PACKAGES.migrate.values, types: ["javascript-lp-solver"] } };
    const path = "src/migrate/x.ts";
    expect(violations([{ path, text: `import type { Model } from "javascript-lp-solver";\nexport type M = Model;` }], rules)).toEqual([]);
    const found = violations([{ path, text: `import solver from "javascript-lp-solver";\nexport const s = solver;` }], rules);
    expect(found.map((v) => [v.rule, v.message])).toEqual([["type-only", expect.stringMatching(/migrate may import only types from javascript-lp-solver/)]]);
  });

  test("a local that shadows a global is not the global", () => {
    const text = `export function start(run: (f: () => void) => void): void {\n  const process = { start() {} };\n  process.start();\n}`;
    expect(violations([{ path: "src/sim/x.ts", text }])).toEqual([]);
  });

  test("globalThis is no way around the purity rule", () => {
    expect(violations([{ path: "src/sim/x.ts", text: "export const t = () => globalThis.performance.now();" }]).map((v) => v.rule)).toEqual(["impure"]);
  });

  test("words in comments, strings and property names are not code", () => {
    const text = [
      `// performance.now() and new Date() belong to the CLI; Math.random() never`,
      `export const note = "process.env and setTimeout are for the runtime";`,
      `export const o = { setTimeout: 1, process: 2 };`,
      `export const read = (x: { performance: number }) => x.performance;`,
    ].join("\n");
    expect(violations([{ path: "src/sim/x.ts", text }])).toEqual([]);
  });

  test("the edges may use what the core may not", () => {
    const edge = (path: string, text: string) => violations([{ path, text }]);
    expect(edge("src/cli/x.ts", `import { buildApp } from "../api/server.js";\nexport const t = () => performance.now();`)).toEqual([]);
    expect(edge("src/runtime/x.ts", `import { Worker } from "node:worker_threads";\nexport const t = (f: () => void) => setTimeout(f, 1);`)).toEqual([]);
    expect(edge("src/placement/x.ts", `import type { Model } from "javascript-lp-solver";\nexport type M = Model;`)).toEqual([]);
  });
});
