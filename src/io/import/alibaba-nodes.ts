import { z } from "zod";
import { HostSchema } from "../../model/cluster.js";
import { numberCell, readTable, rowProblems, where } from "./csv.js";
import { collectRows, type HostsRead } from "./hosts-csv.js";
import type { HostInput } from "./options.js";

/**
 * Alibaba cluster-trace node lists (e.g. openb_node_list_all_node.csv of cluster-trace-gpu-v2023):
 * a header with `sn`, `cpu_milli` and `memory_mib`; every other column (num_gpu, model, ...)
 * becomes a host label of the same name, so placement constraints can select on it.
 */
const REQUIRED = ["sn", "cpu_milli", "memory_mib"] as const;

const CellsSchema = z.object({
  sn: z.string().min(1, "must not be empty"),
  // A vCPU needs a whole core: 1,500 millicores offer one. Under 1,000 there is nothing to offer.
  cpu_milli: numberCell.pipe(z.number().min(1000, "must be at least 1000 (one core)")).transform((m) => Math.floor(m / 1000)),
  memory_mib: numberCell.pipe(z.number().int("must be a whole number of MiB").min(1, "must be at least 1")),
});

/** parseAlibabaNodes reads an Alibaba node list into hosts with the model's default scheduler. */
export function parseAlibabaNodes(text: string, file: string): HostsRead {
  const { table, problems } = readTable(text, file);
  if (table === undefined) return { hosts: [], problems };
  const missing = REQUIRED.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    const message = `header lacks ${missing.join(", ")} (expected an Alibaba node list: sn,cpu_milli,memory_mib,...)`;
    return { hosts: [], problems: [...problems, { path: where(file, table.headerLine), message }] };
  }
  const extra = table.header.filter((c) => !(REQUIRED as readonly string[]).includes(c));
  return collectRows(table, problems, (cells, no) => {
    const cell = (name: string): string => cells[table.header.indexOf(name)];
    const parsed = CellsSchema.safeParse(Object.fromEntries(REQUIRED.map((c) => [c, cell(c)])));
    if (!parsed.success) return { problems: rowProblems(parsed.error, file, no) };
    const labels = Object.fromEntries(extra.flatMap((c) => (cell(c) === "" ? [] : [[c, cell(c)]])));
    const host: HostInput = { id: parsed.data.sn, cores: parsed.data.cpu_milli, memoryMiB: parsed.data.memory_mib };
    if (Object.keys(labels).length > 0) host.labels = labels;
    const checked = HostSchema.safeParse(host);
    return checked.success ? { host, problems: [] } : { problems: rowProblems(checked.error, file, no) };
  });
}

/**
 * detectHostsFormat tells the two inventory formats apart by their header, for `--hosts FILE`:
 * an Alibaba node list names `sn` and `cpu_milli`; anything else is read as a hosts CSV.
 */
export function detectHostsFormat(text: string): "alibaba-nodes" | "hosts-csv" {
  const first = text.replace(/^\uFEFF/, "").split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith("#")) ?? "";
  const header = first.split(",").map((c) => c.trim());
  return header.includes("sn") && header.includes("cpu_milli") ? "alibaba-nodes" : "hosts-csv";
}
