import type { Problem } from "../../model/problems.js";
import { readAzureVmtable } from "./azure-vmtable.js";
import { bitbrainsVm } from "./bitbrains.js";
import type { ImportOptions, Skip, SourceFile, VmDraft } from "./options.js";
import { planetLabVm } from "./planetlab.js";
import { draftFromSeries, type SeriesVm } from "./series-vm.js";

/** LazyFile is an input file read only when the importer gets to it (so `--limit` reads little). */
export interface LazyFile {
  path: string;
  read(): string;
}

/** Progress hears how much of the input is done, as a fraction in [0, 1]. */
export type Progress = (fraction: number) => void;

/** VmsRead is everything read from the VM inputs, for the cluster and for the summary. */
export interface VmsRead {
  drafts: VmDraft[];
  problems: Problem[];
  skipped: Skip[];
  filesRead: number;
  samplesRead: number;
  /** Azure rows of VMs not alive in the window (too many to list one by one). */
  outsideWindow: number;
  limitReached: boolean;
}

/** readSeriesFile reads one per-VM trace file of the series formats. */
function readSeriesFile(file: SourceFile, opts: ImportOptions): { vm?: SeriesVm; problems: Problem[]; skipWhy?: string } {
  if (opts.format === "bitbrains") return bitbrainsVm(file);
  const r = planetLabVm(file, opts);
  return r.vm.percent.length === 0 ? { problems: r.problems, skipWhy: "no samples" } : r;
}

/**
 * readVms reads VM files in the given order until `--limit` VMs are taken. A file with problems
 * still yields its VM (bad rows repeat the previous sample): the caller fails the import on any
 * problem unless `--skip-bad`, in which case the rows were skipped and the VM stays.
 */
export function readVms(files: readonly LazyFile[], opts: ImportOptions, progress?: Progress): VmsRead {
  const out: VmsRead = { drafts: [], problems: [], skipped: [], filesRead: 0, samplesRead: 0, outsideWindow: 0, limitReached: false };
  const limit = opts.limit ?? Infinity;
  for (const [i, lazy] of files.entries()) {
    if (out.drafts.length >= limit) {
      out.limitReached = true;
      break;
    }
    const file: SourceFile = { path: lazy.path, text: lazy.read() };
    out.filesRead++;
    // With --limit the VMs taken so far can be the better measure: 20 of 1,000 files is "done".
    const report = (inFile: number): void => progress?.(Math.max((i + inFile) / files.length, out.drafts.length / limit));
    if (opts.format === "azure-vmtable") readAzureInto(out, file, opts, limit, report);
    else readSeriesInto(out, file, opts);
    report(1);
  }
  return out;
}

function readSeriesInto(out: VmsRead, file: SourceFile, opts: ImportOptions): void {
  const r = readSeriesFile(file, opts);
  out.problems.push(...r.problems);
  if (r.vm === undefined) {
    out.skipped.push({ what: file.path, why: r.skipWhy ?? "unreadable" });
    return;
  }
  out.samplesRead += r.vm.percent.length;
  const d = draftFromSeries(r.vm, opts);
  if ("draft" in d) out.drafts.push(d.draft);
  else out.skipped.push({ what: file.path, why: d.skip.why });
}

function readAzureInto(out: VmsRead, file: SourceFile, opts: ImportOptions, limit: number, progress: Progress): void {
  const r = readAzureVmtable(file, opts, limit - out.drafts.length, progress);
  out.drafts.push(...r.drafts);
  out.problems.push(...r.problems);
  out.outsideWindow += r.outsideWindow;
  out.limitReached ||= r.stoppedAtLimit;
}
