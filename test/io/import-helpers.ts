import { expect } from "vitest";
import type { Cluster } from "../../src/model/cluster.js";
import { parseCluster } from "../../src/model/validate.js";
import { listInputs, readText } from "../../src/io/import/files.js";
import { ImportOptionsSchema, type ImportOptionsInput } from "../../src/io/import/options.js";
import { runImport, type ImportOutcome } from "../../src/io/import/run-import.js";

export const FIXTURES = "test/fixtures/import";
export const PLANETLAB_SAMPLE = "data/planetlab-sample/traces";

/** importPaths runs an import the way the CLI does, minus writing. */
export function importPaths(paths: string[], options: ImportOptionsInput, hosts?: string): ImportOutcome {
  const opts = ImportOptionsSchema.parse(options);
  const inputs = listInputs(paths, opts.format);
  const inventory = hosts === undefined ? undefined : { path: hosts, read: () => readText(hosts) };
  return runImport({ options: opts, inputs: inputs.files, hosts: inventory });
}

/** okCluster asserts the import succeeded and that its written text parses as a valid cluster. */
export function okCluster(outcome: ImportOutcome): Cluster {
  if (!outcome.ok) throw new Error(`import failed:\n${outcome.problems.map((p) => `${p.path}: ${p.message}`).join("\n")}`);
  const parsed = parseCluster(JSON.parse(outcome.json));
  expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  if (!parsed.ok) throw new Error("unreachable");
  return parsed.value;
}

/** problemsOf asserts the import failed and returns its problems as `path: message` lines. */
export function problemsOf(outcome: ImportOutcome): string[] {
  expect(outcome.ok).toBe(false);
  return outcome.ok ? [] : outcome.problems.map((p) => `${p.path}: ${p.message}`);
}
