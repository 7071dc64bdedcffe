import { z } from "zod";
import type { Problem } from "../../model/problems.js";
import { numberCell, numberedLines, rowProblems, splitCells, where } from "./csv.js";
import { baseName, type SourceFile } from "./options.js";
import type { SeriesVm } from "./series-vm.js";

export const BITBRAINS_SOURCE = "Bitbrains GWA-T-12 (Shen, van Beek & Iosup, CCGrid 2015)";
/** Bitbrains separates cells with `;` followed by a tab; splitting on `;` and trimming takes both. */
const SEPARATOR = ";";

/** COLUMNS: the header labels the importer needs (the disk and network columns are not used). */
const COLUMNS = {
  timestampSec: "Timestamp [ms]",
  cores: "CPU cores",
  usagePercent: "CPU usage [%]",
  memoryKB: "Memory capacity provisioned [KB]",
} as const;
type Key = keyof typeof COLUMNS;
const KEYS = Object.keys(COLUMNS) as Key[];

const nonNegative = numberCell.pipe(z.number().min(0, "must be at least 0"));
/** RowSchema: one sample. Timestamps are Unix seconds whatever the header says; they are only checked. */
const RowSchema = z.object({
  timestampSec: nonNegative,
  cores: nonNegative,
  usagePercent: nonNegative,
  memoryKB: nonNegative,
});
type Row = z.infer<typeof RowSchema>;

/** BitbrainsParse is one VM file read: its series and the largest size it was given while on. */
export interface BitbrainsParse {
  percent: number[];
  maxCores: number;
  maxMemoryKB: number;
  onSamples: number;
  problems: Problem[];
}

/**
 * parseBitbrainsCsv reads one VM's file. `CPU usage [%]` can exceed 100 (bursting past the
 * provisioned MHz): it is clamped. A sample with 0 cores is the VM switched off: it counts as 0%
 * utilisation, which keeps every later sample at its time, and does not size the VM. A bad row is
 * reported and repeats the previous sample, as in PlanetLab.
 */
export function parseBitbrainsCsv(text: string, file: string): BitbrainsParse {
  const out: BitbrainsParse = { percent: [], maxCores: 0, maxMemoryKB: 0, onSamples: 0, problems: [] };
  let index: Record<Key, number> | undefined;
  let width = 0;
  for (const line of numberedLines(text)) {
    if (line.text.trim() === "") continue;
    const cells = splitCells(line.text, SEPARATOR);
    if (index === undefined) {
      index = headerIndex(cells, file, line.no, out.problems);
      if (index === undefined) return out;
      width = cells.length;
      continue;
    }
    const row = parseRow(cells, width, index, file, line.no, out.problems);
    if (row === undefined) out.percent.push(out.percent.at(-1) ?? 0);
    else addSample(out, row);
  }
  if (index !== undefined && out.percent.length === 0)
    out.problems.push({ path: where(file, 2), message: "no samples after the header" });
  if (index === undefined) out.problems.push({ path: where(file, 1), message: "no header: the file is empty" });
  return out;
}

function addSample(out: BitbrainsParse, row: Row): void {
  if (row.cores === 0) {
    out.percent.push(0);
    return;
  }
  out.onSamples++;
  out.maxCores = Math.max(out.maxCores, row.cores);
  out.maxMemoryKB = Math.max(out.maxMemoryKB, row.memoryKB);
  out.percent.push(Math.min(100, row.usagePercent));
}

function headerIndex(cells: string[], file: string, no: number, problems: Problem[]): Record<Key, number> | undefined {
  const missing = KEYS.filter((k) => !cells.includes(COLUMNS[k]));
  if (missing.length > 0) {
    const names = missing.map((k) => `"${COLUMNS[k]}"`).join(", ");
    problems.push({ path: where(file, no), message: `header lacks ${names} (is this a Bitbrains GWA-T-12 file?)` });
    return undefined;
  }
  return Object.fromEntries(KEYS.map((k) => [k, cells.indexOf(COLUMNS[k])])) as Record<Key, number>;
}

function parseRow(
  cells: string[],
  width: number,
  index: Record<Key, number>,
  file: string,
  no: number,
  problems: Problem[],
): Row | undefined {
  if (cells.length !== width) {
    problems.push({ path: where(file, no), message: `expected ${width} cells like the header, found ${cells.length}` });
    return undefined;
  }
  const r = RowSchema.safeParse(Object.fromEntries(KEYS.map((k) => [k, cells[index[k]]])));
  if (r.success) return r.data;
  problems.push(...rowProblems(r.error, file, no, (k) => COLUMNS[k as Key] ?? k));
  return undefined;
}

/**
 * bitbrainsVm turns a parsed file into a series VM: vCPUs are the most cores it was given and
 * memory the most it was provisioned (KB → MiB, rounded up so it never gets less than it had).
 * A VM that was never on has no size and is left out (undefined, with the reason).
 */
export function bitbrainsVm(file: SourceFile): { vm?: SeriesVm; problems: Problem[]; skipWhy?: string } {
  const p = parseBitbrainsCsv(file.text, file.path);
  const name = baseName(file.path).replace(/\.csv$/i, "");
  if (p.percent.length === 0) return { problems: p.problems, skipWhy: "no samples" };
  if (p.onSamples === 0) return { problems: p.problems, skipWhy: "never on (0 CPU cores in every sample)" };
  if (p.maxMemoryKB === 0) return { problems: p.problems, skipWhy: "no memory provisioned in any sample" };
  const size = { vcpus: Math.ceil(p.maxCores), memoryMiB: Math.ceil(p.maxMemoryKB / 1024) };
  const labels = { origin: baseName(file.path) };
  return { vm: { name, percent: p.percent, size, source: BITBRAINS_SOURCE, labels }, problems: p.problems };
}
