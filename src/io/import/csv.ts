import { z } from "zod";
import type { Problem } from "../../model/problems.js";

/** Line is one line of an input file, numbered from 1 as editors show it. */
export interface Line {
  no: number;
  text: string;
  /** Offset just past the line in the file's text: lets long parses report progress. */
  endOffset: number;
}

/**
 * numberedLines yields every line of a file (LF or CRLF, leading BOM dropped). A final newline does
 * not make an empty last line, so "n lines + newline" and "n lines" read the same.
 */
export function* numberedLines(text: string): Generator<Line> {
  const start0 = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let no = 1;
  for (let start = start0; start < text.length; no++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    yield { no, text: raw.endsWith("\r") ? raw.slice(0, -1) : raw, endOffset: end + 1 };
    start = end + 1;
  }
}

/** splitCells splits a row on a separator and trims each cell (Bitbrains puts a tab after `;`). */
export function splitCells(line: string, separator: string): string[] {
  return line.split(separator).map((c) => c.trim());
}

/** where names a place in an input file the way compilers do: `file:line`. */
export function where(file: string, line: number): string {
  return `${file}:${line}`;
}

// A strict number cell: Number("") is 0 and Number("0x1f") is 31, neither of which a CSV means.
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** numberCell parses a trimmed cell as a decimal number; pipe it into range checks. */
export const numberCell = z
  .string()
  .trim()
  .regex(NUMBER_TEXT, "must be a number")
  .transform((s) => Number(s));

/** optionalNumberCell is numberCell where an empty cell means "not given". */
export const optionalNumberCell = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .pipe(numberCell.optional());

/**
 * rowProblems turns the issues of one row's zod parse into problems located at `file:line`, each
 * naming the column (by its label in the file) so a person can find the cell.
 */
export function rowProblems(
  error: z.ZodError,
  file: string,
  line: number,
  columnLabel: (key: string) => string = (k) => k,
): Problem[] {
  return error.issues.map((issue) => {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "";
    const column = key === "" ? "" : `column "${columnLabel(key)}": `;
    return { path: where(file, line), message: `${column}${issue.message}` };
  });
}

/** roundTo2 keeps two decimals: trace files stay small and 0.005 points is far below any tolerance. */
export function roundTo2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Table is a CSV file with a header row: the header's cells and each data row's cells. */
export interface Table {
  header: string[];
  headerLine: number;
  rows: { no: number; cells: string[] }[];
}

/**
 * readTable splits a headed CSV (no quoting: none of the formats read here quote cells). Blank
 * lines and lines starting with `#` are skipped, so a hand-written inventory can carry notes. A row
 * whose width differs from the header's is a problem, not a row.
 */
export function readTable(text: string, file: string, separator = ","): { table?: Table; problems: Problem[] } {
  const problems: Problem[] = [];
  let table: Table | undefined;
  for (const line of numberedLines(text)) {
    const t = line.text.trim();
    if (t === "" || t.startsWith("#")) continue;
    const cells = splitCells(line.text, separator);
    if (table === undefined) table = { header: cells, headerLine: line.no, rows: [] };
    else if (cells.length !== table.header.length)
      problems.push({
        path: where(file, line.no),
        message: `expected ${table.header.length} cells like the header, found ${cells.length}`,
      });
    else table.rows.push({ no: line.no, cells });
  }
  if (table === undefined) problems.push({ path: where(file, 1), message: "no header: the file is empty" });
  return { table, problems };
}
