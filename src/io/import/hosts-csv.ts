import { z } from "zod";
import { HostSchema } from "../../model/cluster.js";
import { SCHEDULER_KINDS } from "../../model/scheduler.js";
import type { Problem } from "../../model/problems.js";
import { numberCell, optionalNumberCell, readTable, rowProblems, where, type Table } from "./csv.js";
import type { HostInput } from "./options.js";

/**
 * The hosts CSV convention: a header naming the columns, in any order. `id`, `cores` and
 * `memoryMiB` are required; `networkMbps`, `cost` and `scheduler` (a scheduler kind, default
 * xen-credit) are optional and an empty cell leaves the model's default; every `label:KEY` column
 * gives the host the label KEY with the cell's value (empty = no label). Column names are the
 * model's field names, so a CSV and a cluster.json read the same.
 */
const FIELDS = ["id", "cores", "memoryMiB", "networkMbps", "cost", "scheduler"] as const;
const REQUIRED = ["id", "cores", "memoryMiB"] as const;
const LABEL_PREFIX = "label:";

const CellsSchema = z.object({
  id: z.string(),
  cores: numberCell,
  memoryMiB: numberCell,
  networkMbps: optionalNumberCell,
  cost: optionalNumberCell,
  scheduler: z
    .string()
    .transform((s) => (s === "" ? undefined : s))
    .pipe(z.enum(SCHEDULER_KINDS as [string, ...string[]]).optional()),
});

/** headerProblems checks the header: required columns present, nothing unknown (typos fail loudly). */
function headerProblems(header: readonly string[], file: string, line: number): Problem[] {
  const problems: Problem[] = [];
  const known = (c: string): boolean =>
    (FIELDS as readonly string[]).includes(c) || (c.startsWith(LABEL_PREFIX) && c.length > LABEL_PREFIX.length);
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    const expected = "id,cores,memoryMiB[,networkMbps][,cost][,scheduler][,label:KEY...]";
    problems.push({ path: where(file, line), message: `header lacks ${missing.join(", ")} (expected ${expected})` });
  }
  const unknown = header.filter((c) => !known(c));
  if (unknown.length > 0) problems.push({ path: where(file, line), message: `unknown column(s) ${unknown.join(", ")}` });
  const dup = header.filter((c, i) => header.indexOf(c) !== i);
  if (dup.length > 0) problems.push({ path: where(file, line), message: `column(s) named twice: ${dup.join(", ")}` });
  return problems;
}

/** hostFromRow builds a host input from one row and checks it against the model's HostSchema. */
function hostFromRow(
  header: readonly string[],
  cells: readonly string[],
  file: string,
  no: number,
): { host?: HostInput; problems: Problem[] } {
  const byName = (name: string): string => cells[header.indexOf(name)] ?? "";
  const parsed = CellsSchema.safeParse(Object.fromEntries(FIELDS.map((f) => [f, byName(f)])));
  if (!parsed.success) return { problems: rowProblems(parsed.error, file, no) };
  const c = parsed.data;
  const labels = Object.fromEntries(
    header.flatMap((h, i) => (h.startsWith(LABEL_PREFIX) && cells[i] !== "" ? [[h.slice(LABEL_PREFIX.length), cells[i]]] : [])),
  );
  const host: HostInput = {
    id: c.id,
    cores: c.cores,
    memoryMiB: c.memoryMiB,
    ...(c.networkMbps !== undefined ? { networkMbps: c.networkMbps } : {}),
    ...(c.cost !== undefined ? { cost: c.cost } : {}),
    ...(c.scheduler !== undefined ? { scheduler: { kind: c.scheduler } as HostInput["scheduler"] } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  };
  const checked = HostSchema.safeParse(host);
  if (checked.success) return { host, problems: [] };
  return { problems: rowProblems(checked.error, file, no, (k) => (k === "labels" ? "label:*" : k)) };
}

/** HostsRead is the hosts of one inventory file and every problem found in it. */
export interface HostsRead {
  hosts: HostInput[];
  problems: Problem[];
}

/** parseHostsCsv reads a hosts CSV (see the convention above); bad rows are problems, not hosts. */
export function parseHostsCsv(text: string, file: string): HostsRead {
  const { table, problems } = readTable(text, file);
  if (table === undefined) return { hosts: [], problems };
  const header = headerProblems(table.header, file, table.headerLine);
  if (header.length > 0) return { hosts: [], problems: [...problems, ...header] };
  return collectRows(table, problems, (cells, no) => hostFromRow(table.header, cells, file, no));
}

/** collectRows runs a row reader over a table, keeping rows and problems in file order. */
export function collectRows(
  table: Table,
  earlier: Problem[],
  read: (cells: string[], no: number) => { host?: HostInput; problems: Problem[] },
): HostsRead {
  const out: HostsRead = { hosts: [], problems: [...earlier] };
  for (const row of table.rows) {
    const r = read(row.cells, row.no);
    out.problems.push(...r.problems);
    if (r.host !== undefined) out.hosts.push(r.host);
  }
  out.problems.sort((a, b) => lineOf(a) - lineOf(b));
  return out;
}

function lineOf(p: Problem): number {
  return Number(p.path.slice(p.path.lastIndexOf(":") + 1)) || 0;
}
