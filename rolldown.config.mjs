// The `vmplace` bin: the CLI that tsc compiled into dist/src, bundled into dist/cli by rolldown.
//
// Why: a small command spent most of its start loading modules, not working. Unbundled,
// `vmplace simulate` on a 2-VM, 100 ms scenario loaded and linked 177 files (zod alone is 95 of
// them) for 0.18-0.19 s of CPU, against 0.05-0.06 s for a bare `node -e 0`. Bundled, the same
// call loads 23 chunks and costs 0.11-0.12 s of CPU (score on the sample: 0.18 -> 0.12 s), its
// output byte for byte the same (`npm run bench -- startup` and /usr/bin/time, medians of 11-21,
// shared machine at load 5-10). Minifying saved ~3 ms (noise) and is not done: stacks stay legible.
//
// What stays as it was:
// - Commands stay lazy: each dynamic import is a chunk of its own, so `vmplace simulate` never
//   loads the placer, the API or reports (test/cli/startup.test.ts reads chunks.json, which maps
//   every chunk to the dist/src modules it holds, and checks that).
// - Only pure-JS dependencies whose file count costs start time are bundled; the rest (fastify,
//   highs and its wasm, bullmq, ioredis, cli-progress via require) load from node_modules as before.
// - Worker threads and files found beside the code (package.json, worker scripts) are located
//   with import.meta.url; the plugin below makes each module's import.meta.url the URL of its own
//   compiled file in dist/src, so workers keep loading the unbundled dist/src entries.
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "rolldown";

const OUT = "dist/cli";
const ROOT = fileURLToPath(new URL(".", import.meta.url));
/** Packages bundled into the bin: pure JS, loaded by small commands, many files or CommonJS. */
const BUNDLED = new Set(["zod", "commander", "seedrandom"]);

const packageOf = (id) => (id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : id.split("/")[0]);

/** importMetaUrlOfSource: `import.meta.url` in a bundled dist/src module names that module's file. */
const importMetaUrlOfSource = {
  name: "import-meta-url-of-source",
  transform(code, id) {
    if (!id.includes("/dist/src/") || !code.includes("import.meta.url")) return null;
    const rel = relative(`${ROOT}${OUT}`, id).split("\\").join("/");
    return code.replaceAll("import.meta.url", `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
  },
};

/** chunkManifest writes chunks.json: each chunk's file and the dist/src modules it holds. */
const chunkManifest = {
  name: "chunk-manifest",
  generateBundle(_options, bundle) {
    const chunks = {};
    for (const [file, out] of Object.entries(bundle)) {
      if (out.type !== "chunk") continue;
      chunks[file] = out.moduleIds.map((id) => relative(ROOT, id).split("\\").join("/")).filter((id) => id.startsWith("dist/src/"));
    }
    this.emitFile({ type: "asset", fileName: "chunks.json", source: `${JSON.stringify(chunks, null, 1)}\n` });
  },
};

export default defineConfig({
  input: { vmplace: "dist/src/cli/main.js" },
  platform: "node",
  external: (id) => {
    if (id.startsWith("node:")) return true;
    if (id.startsWith(".") || id.startsWith("/")) return false;
    return !BUNDLED.has(packageOf(id));
  },
  plugins: [importMetaUrlOfSource, chunkManifest],
  output: { dir: OUT, format: "esm", cleanDir: true, chunkFileNames: "[name]-[hash].js" },
});
