import { readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fsProblem } from "../fs-errors.js";
import { InputError } from "../load.js";
import type { ImportFormat } from "./options.js";
import type { LazyFile } from "./read-vms.js";

/** The file edge of the importers: listing inputs and reading them, gzip included. */

/** byName orders by UTF-16 code units: the same on every machine and locale, unlike localeCompare. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** wanted says which files in a folder are inputs of a format (hidden files never are). */
function wanted(name: string, format: ImportFormat): boolean {
  if (name.startsWith(".")) return false;
  // PlanetLab files have no extension; everything else is CSV, maybe gzipped (vmtable.csv.gz).
  return format === "planetlab" || /\.csv(\.gz)?$/i.test(name);
}

/** readText reads a file as UTF-8, gunzipping `.gz`; failures become InputErrors naming the file. */
export function readText(path: string): string {
  try {
    const bytes = readFileSync(path);
    return (path.toLowerCase().endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  } catch (e) {
    throw new InputError(`${path}: cannot be read (${fsProblem(e)})`);
  }
}

/** Inputs are the files to import, in import order, and their size on disk. */
export interface Inputs {
  files: LazyFile[];
  totalBytes: number;
}

/**
 * listInputs expands the PATH arguments: a file is taken as given; a folder gives its own files
 * of the format, sorted by name (not its subfolders: Bitbrains keeps one folder per month with the
 * same VM names in each, which are not different VMs). Arguments keep their order.
 */
export function listInputs(paths: readonly string[], format: ImportFormat): Inputs {
  const out: Inputs = { files: [], totalBytes: 0 };
  for (const p of paths) {
    const st = statOrThrow(p);
    if (!st.isDirectory()) {
      out.files.push({ path: p, read: () => readText(p) });
      out.totalBytes += st.size;
      continue;
    }
    const names = readdirSync(p).filter((n) => wanted(n, format)).sort(byName);
    for (const name of names) {
      const full = join(p, name);
      const s = statSync(full);
      if (!s.isFile()) continue;
      out.files.push({ path: full, read: () => readText(full) });
      out.totalBytes += s.size;
    }
    if (names.length === 0) throw new InputError(`${p}: folder holds no ${format} input files`);
  }
  return out;
}

function statOrThrow(p: string): Stats {
  try {
    return statSync(p);
  } catch (e) {
    throw new InputError(`${p}: ${fsProblem(e)}`);
  }
}
