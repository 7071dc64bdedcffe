import { z } from "zod";
import type { Problem } from "../../model/problems.js";
import { numberCell, numberedLines, rowProblems, splitCells, where } from "./csv.js";
import type { ImportOptions, SampleWindow, SourceFile, VmDraft } from "./options.js";
import { summaryWorkload, type WorkloadClass } from "./trace-workload.js";

export const AZURE_SOURCE = "Azure Public Dataset vmtable (Cortez et al., SOSP 2017)";
/** Azure's CPU readings are 5-minute samples: `--window` indices are read in these steps. */
export const AZURE_SAMPLE_SEC = 300;

/** The columns of vmtable.csv, which has no header, in order and as the dataset's schema names them. */
const COLUMNS = [
  ["vmId", "vm id"],
  ["subscriptionId", "subscription id"],
  ["deploymentId", "deployment id"],
  ["createdSec", "timestamp vm created"],
  ["deletedSec", "timestamp vm deleted"],
  ["maxCpu", "max cpu"],
  ["avgCpu", "avg cpu"],
  ["p95MaxCpu", "p95 max cpu"],
  ["category", "vm category"],
  ["cores", "vm virtual core count bucket"],
  ["memoryGiB", "vm memory (gb) bucket"],
] as const;
const LABEL: Record<string, string> = Object.fromEntries(COLUMNS);

/**
 * bucketValue reads a size bucket. A plain bucket ("2") is its upper bound, so a VM is never given
 * less than it had; an open bucket (">24", ">64") becomes the next power of two above the bound
 * (32 cores, 128 GiB), the smallest common size past it.
 */
export function bucketValue(bucket: string): number {
  if (!bucket.startsWith(">")) return Number(bucket);
  const bound = Number(bucket.slice(1));
  return 2 ** (Math.floor(Math.log2(bound)) + 1);
}
const bucket = z
  .string()
  .trim()
  .regex(/^>?(\d+\.?\d*|\.\d+)$/, 'must be a size bucket like "4" or ">24"')
  .transform(bucketValue)
  .pipe(z.number().positive("must be above 0"));
const seconds = numberCell.pipe(z.number().min(0, "must be at least 0"));
// Readings can overshoot 100 by rounding; only a negative one is a broken row.
const percent = numberCell.pipe(z.number().min(0, "must be at least 0")).transform((p) => Math.min(100, p));

/** CATEGORY maps vmtable's category, including the dataset's own spelling "Unkown", to a class. */
const CATEGORY: Record<string, WorkloadClass> = {
  Interactive: "interactive",
  "Delay-insensitive": "batch",
  Unkown: "unknown",
  Unknown: "unknown",
};

const RowSchema = z
  .object({
    vmId: z.string().trim().min(1, "must not be empty"),
    subscriptionId: z.string().trim(),
    deploymentId: z.string().trim(),
    createdSec: seconds,
    deletedSec: seconds,
    maxCpu: percent,
    avgCpu: percent,
    p95MaxCpu: percent,
    category: z.string().trim().refine((c) => c in CATEGORY, "must be Interactive, Delay-insensitive or Unkown"),
    cores: bucket.pipe(z.number().int("must be a whole number of cores").max(1024)),
    memoryGiB: bucket,
  })
  .refine((r) => r.deletedSec >= r.createdSec, { path: ["deletedSec"], message: "is before the VM was created" });
export type AzureRow = z.infer<typeof RowSchema>;

/** parseAzureRow validates one line's cells (exactly eleven). */
export function parseAzureRow(cells: string[], file: string, no: number): { row?: AzureRow; problems: Problem[] } {
  if (cells.length !== COLUMNS.length)
    return { problems: [{ path: where(file, no), message: `expected ${COLUMNS.length} comma-separated cells, found ${cells.length}` }] };
  const r = RowSchema.safeParse(Object.fromEntries(COLUMNS.map(([k], i) => [k, cells[i]])));
  return r.success ? { row: r.data, problems: [] } : { problems: rowProblems(r.error, file, no, (k) => LABEL[k] ?? k) };
}

/** aliveIn says whether a VM ran at any time inside the window of 5-minute samples. */
export function aliveIn(row: AzureRow, window: SampleWindow | undefined): boolean {
  if (window === undefined) return true;
  const endSec = window.end === undefined ? Infinity : window.end * AZURE_SAMPLE_SEC;
  return row.createdSec < endSec && row.deletedSec > window.start * AZURE_SAMPLE_SEC;
}

/** azureDraft maps a row to a VM: size from the buckets, workload from the category and avg cpu. */
export function azureDraft(row: AzureRow): VmDraft {
  const cls = CATEGORY[row.category];
  const mapped = summaryWorkload(row.avgCpu, cls, row.cores);
  const vm: VmDraft["vm"] = {
    vcpus: row.cores,
    memoryMiB: Math.ceil(row.memoryGiB * 1024),
    workload: mapped.workload,
    ...(mapped.slo ? { slo: mapped.slo } : {}),
    labels: { class: cls, origin: row.vmId, deployment: row.deploymentId, source: AZURE_SOURCE },
  };
  return { name: row.vmId, vm };
}

/** AzureRead is the VMs of one vmtable file, the problems found, and how many rows the window dropped. */
export interface AzureRead {
  drafts: VmDraft[];
  problems: Problem[];
  outsideWindow: number;
  /** More rows followed when `maxVms` VMs were taken. */
  stoppedAtLimit: boolean;
}

/** readAzureVmtable reads rows until `maxVms` VMs are taken; `progress` hears the fraction read. */
export function readAzureVmtable(
  file: SourceFile,
  opts: ImportOptions,
  maxVms: number,
  progress?: (fraction: number) => void,
): AzureRead {
  const out: AzureRead = { drafts: [], problems: [], outsideWindow: 0, stoppedAtLimit: false };
  for (const line of numberedLines(file.text)) {
    if (progress !== undefined && line.no % 10000 === 0) progress(line.endOffset / file.text.length);
    if (line.text.trim() === "") continue;
    if (out.drafts.length >= maxVms) {
      out.stoppedAtLimit = true;
      break;
    }
    const { row, problems } = parseAzureRow(splitCells(line.text, ","), file.path, line.no);
    out.problems.push(...problems);
    if (row === undefined) continue;
    if (aliveIn(row, opts.window)) out.drafts.push(azureDraft(row));
    else out.outsideWindow++;
  }
  return out;
}
