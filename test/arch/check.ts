import { posix } from "node:path";
import { parseAst } from "rolldown/parseAst";

/**
 * The layering of src/, lowest first: a file may import its own layer and the layers below it,
 * never one above or beside it. model <- sim <- interference <- placement <- migrate <- advise
 * <- report <- io <- runtime <- api <- cli. io (files) and runtime (threads, queues) sit at the
 * edges. advise (what-if advice: scheduler changes against moves) sits above placement and
 * migrate, whose moves it weighs.
 */
export const LAYERS = ["model", "sim", "interference", "placement", "migrate", "advise", "report", "io", "runtime", "api", "cli"] as const;
export type Layer = (typeof LAYERS)[number];

/** The pure core: no I/O, threads, timers, clocks, environment or unseeded randomness. */
export const PURE: ReadonlySet<Layer> = new Set(["model", "sim", "interference", "placement", "migrate", "advise", "report"]);

/**
 * Packages and node built-ins each layer may import: exactly what the tree needs. `types` may be
 * imported with `import type` only. Built-ins need the node: prefix, and node:fs/promises is not
 * node:fs: each specifier is listed as written. Placement calls javascript-lp-solver itself for
 * the lower bound's small continuous LPs (src/placement/small-lp.ts): a synchronous computation
 * that, without integer columns or a timeout, reads no clock and draws no random number, so the
 * core stays pure; the MILP side models still run it in runtime's workers, under a watchdog.
 */
export type PackageRules = Record<Layer, { values: readonly string[]; types?: readonly string[] }>;

export const PACKAGES: PackageRules = {
  model: { values: ["zod", "seedrandom"] },
  sim: { values: ["seedrandom"] },
  interference: { values: ["graphology", "zod", "seedrandom"] },
  placement: { values: ["zod", "seedrandom", "javascript-lp-solver"] },
  migrate: { values: ["seedrandom"] },
  advise: { values: [] },
  report: { values: [] },
  io: { values: ["zod", "seedrandom", "node:fs", "node:path", "node:url", "node:zlib"] },
  runtime: { values: ["highs", "javascript-lp-solver", "bullmq", "ioredis", "node:child_process", "node:crypto", "node:fs", "node:os", "node:url", "node:worker_threads"] },
  api: { values: ["fastify", "@fastify/swagger", "fastify-type-provider-zod", "zod", "node:crypto", "node:http", "node:perf_hooks", "node:tls"] },
  cli: { values: ["commander", "cli-progress", "node:module"] },
};

/** The API's one entry the CLI may use (`vmplace serve`); the rest of src/api is not the CLI's. */
export const API_ENTRY = "src/api/server.ts";

/** Globals the pure core must not touch: the environment, timers, clocks, unseeded randomness. */
const IMPURE_GLOBALS = new Set(["process", "performance", "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "globalThis"]);
const IMPURE_MEMBERS = new Set(["Date.now", "Math.random", "crypto.randomUUID", "crypto.getRandomValues"]);

export type Rule = "layer" | "upward" | "api-entry" | "package" | "type-only" | "export-star" | "dynamic" | "impure" | "parse";

export interface Violation {
  readonly file: string;
  readonly rule: Rule;
  readonly message: string;
}

export interface SourceFile {
  /** Repository-relative, forward slashes: "src/sim/rng.ts". */
  readonly path: string;
  readonly text: string;
}

/** violations checks every file against the layering, package and purity rules. */
export function violations(files: readonly SourceFile[], packages: PackageRules = PACKAGES): Violation[] {
  return files.flatMap((f) => checkFile(f, packages));
}

export function layerOf(path: string): Layer | undefined {
  const [root, layer] = path.split("/");
  return root === "src" && (LAYERS as readonly string[]).includes(layer) ? (layer as Layer) : undefined;
}

interface ImportRef {
  readonly spec: string;
  readonly typeOnly: boolean;
  readonly how: string;
}

type Node = { type: string; [k: string]: unknown };

function checkFile(f: SourceFile, packages: PackageRules): Violation[] {
  const out: Violation[] = [];
  const add = (rule: Rule, message: string): void => void out.push({ file: f.path, rule, message });
  const layer = layerOf(f.path);
  if (!layer) return [{ file: f.path, rule: "layer", message: `${f.path} is in no known layer (${LAYERS.join(", ")})` }];
  let ast: Node;
  try {
    ast = parseAst(f.text, { lang: "ts" }, f.path) as unknown as Node;
  } catch (e) {
    return [{ file: f.path, rule: "parse", message: `cannot parse: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` }];
  }
  const imports: ImportRef[] = [];
  const local = declaredNames(ast);
  walk(ast, undefined, (n, parent) => {
    collectImport(n, imports, add);
    if (PURE.has(layer)) checkPurity(n, parent, layer, local, add);
  });
  for (const ref of imports) checkImport(f.path, layer, ref, packages[layer], add);
  return out;
}

function walk(n: Node, parent: Node | undefined, visit: (n: Node, parent: Node | undefined) => void): void {
  visit(n, parent);
  for (const [key, v] of Object.entries(n)) {
    if (key === "parent") continue;
    for (const c of Array.isArray(v) ? v : [v]) if (c !== null && typeof c === "object" && typeof (c as Node).type === "string") walk(c as Node, n, visit);
  }
}

const literal = (n: unknown): string | undefined => {
  const l = n as { type?: string; value?: unknown } | null;
  return l?.type === "Literal" && typeof l.value === "string" ? l.value : undefined;
};

function collectImport(n: Node, imports: ImportRef[], add: (rule: Rule, message: string) => void): void {
  const spec = literal(n.source);
  const specifiers = (n.specifiers as { importKind?: string; exportKind?: string }[] | undefined) ?? [];
  switch (n.type) {
    case "ImportDeclaration": {
      const typeOnly = n.importKind === "type" || (specifiers.length > 0 && specifiers.every((s) => s.importKind === "type"));
      imports.push({ spec: spec!, typeOnly, how: specifiers.length === 0 ? "side-effect import" : "import" });
      return;
    }
    case "ExportNamedDeclaration":
      if (spec !== undefined) imports.push({ spec, typeOnly: n.exportKind === "type", how: "re-export" });
      return;
    case "ExportAllDeclaration":
      add("export-star", `export * from "${spec}": re-export names one by one, so every import says what it takes`);
      imports.push({ spec: spec!, typeOnly: n.exportKind === "type", how: "export *" });
      return;
    case "ImportExpression": {
      const dyn = literal(n.source);
      if (dyn === undefined) add("dynamic", "import() of a computed specifier: the layering cannot be checked");
      else imports.push({ spec: dyn, typeOnly: false, how: "dynamic import()" });
      return;
    }
    case "TSImportType": {
      const arg = literal((n.argument as { literal?: unknown } | undefined)?.literal ?? n.source);
      if (arg !== undefined) imports.push({ spec: arg, typeOnly: true, how: "import() type" });
      return;
    }
    case "TSImportEqualsDeclaration":
      add("dynamic", "import = require(): use an ES import");
  }
}

function checkImport(file: string, layer: Layer, ref: ImportRef, allowed: PackageRules[Layer], add: (rule: Rule, message: string) => void): void {
  const what = `${ref.how} "${ref.spec}"`;
  if (!ref.spec.startsWith(".")) {
    const pkg = packageOf(ref.spec);
    if (allowed.values.includes(pkg)) return;
    if (allowed.types?.includes(pkg)) {
      if (!ref.typeOnly) add("type-only", `${what}: ${layer} may import only types from ${pkg}`);
      return;
    }
    add("package", `${what}: ${layer} may not import ${pkg} (allowed: ${[...allowed.values, ...(allowed.types ?? [])].join(", ") || "none"})`);
    return;
  }
  const target = posix.normalize(posix.join(posix.dirname(file), ref.spec)).replace(/\.js$/, ".ts");
  const to = layerOf(target);
  if (!to) return add("layer", `${what} resolves to ${target}, outside every layer`);
  if (to === layer) return;
  const [mine, theirs] = [LAYERS.indexOf(layer), LAYERS.indexOf(to)];
  if (layer === "cli" && to === "api") {
    if (target !== API_ENTRY) add("api-entry", `${what}: cli may use the API only through ${API_ENTRY}`);
    return;
  }
  if (theirs > mine) add("upward", `${what}: ${layer} may not import ${to}, a layer above it`);
}

/** packageOf: "@scope/name/sub" -> "@scope/name", "name/sub" -> "name", node: built-ins as written. */
function packageOf(spec: string): string {
  if (spec.startsWith("node:")) return spec;
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function checkPurity(n: Node, parent: Node | undefined, layer: Layer, local: ReadonlySet<string>, add: (rule: Rule, message: string) => void): void {
  if (n.type === "Identifier" && IMPURE_GLOBALS.has(n.name as string) && !local.has(n.name as string) && isReference(n, parent))
    add("impure", `${n.name}: ${layer} is pure (no environment, timers or clocks; take them as arguments)`);
  if (n.type === "MemberExpression" && !n.computed) {
    const obj = n.object as Node;
    const name = obj.type === "Identifier" ? `${obj.name as string}.${(n.property as Node).name as string}` : "";
    if (IMPURE_MEMBERS.has(name)) add("impure", `${name}: ${layer} is pure (clocks and randomness are injected or seeded)`);
  }
  const callee = n.callee as Node | undefined;
  const dateNow = callee?.type === "Identifier" && callee.name === "Date" && (n.arguments as unknown[]).length === 0;
  if ((n.type === "NewExpression" || n.type === "CallExpression") && dateNow)
    add("impure", `${n.type === "NewExpression" ? "new " : ""}Date(): ${layer} is pure (reading the clock; pass the time in)`);
}

/**
 * declaredNames: every name the file binds (variables, parameters, functions, classes, imports).
 * A simulated `process` is a local, not node's; the file-wide set errs towards allowing a name
 * the file declares somewhere, which the reviewer sees beside the declaration.
 */
function declaredNames(ast: Node): Set<string> {
  const names = new Set<string>();
  const bind = (p: unknown): void => {
    const n = p as Node | null;
    if (n?.type === "Identifier") names.add(n.name as string);
    else if (n?.type === "AssignmentPattern") bind(n.left);
    else if (n?.type === "RestElement") bind(n.argument);
    else if (n?.type === "ArrayPattern") (n.elements as unknown[]).forEach(bind);
    else if (n?.type === "ObjectPattern") (n.properties as Node[]).forEach((q) => bind(q.type === "Property" ? q.value : q));
  };
  walk(ast, undefined, (n) => {
    if (n.type === "VariableDeclarator") bind(n.id);
    if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") {
      bind(n.id);
      (n.params as unknown[]).forEach(bind);
    }
    if (n.type === "ClassDeclaration" || n.type === "CatchClause") bind(n.type === "CatchClause" ? n.param : n.id);
    if (n.type === "ImportSpecifier" || n.type === "ImportDefaultSpecifier" || n.type === "ImportNamespaceSpecifier") bind(n.local);
  });
  return names;
}

/** isReference: the identifier names a variable, not a property key or a member's name. */
function isReference(n: Node, parent: Node | undefined): boolean {
  if (!parent) return true;
  if ((parent.type === "MemberExpression" || parent.type === "TSQualifiedName") && parent.property === n && !parent.computed) return false;
  if (parent.type === "TSQualifiedName" && parent.right === n) return false;
  const keyed = ["Property", "PropertyDefinition", "MethodDefinition", "TSPropertySignature", "TSMethodSignature"];
  if (keyed.includes(parent.type) && parent.key === n && !parent.computed) return false;
  return true;
}
