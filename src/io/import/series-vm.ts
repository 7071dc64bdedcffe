import type { ImportOptions, SampleWindow, Skip, VmDraft } from "./options.js";
import { classifySeries, traceWorkload, type WorkloadClass } from "./trace-workload.js";
import type { VmSize } from "./vm-sizes.js";

/** TRACE_INTERVAL_SEC: PlanetLab (CoMon) and Bitbrains both sample every 5 minutes. */
export const TRACE_INTERVAL_SEC = 300;

/** applyWindow keeps the samples with index in [start, end). */
export function applyWindow<T>(series: readonly T[], window: SampleWindow | undefined): T[] {
  if (window === undefined) return [...series];
  return series.slice(window.start, window.end);
}

/** SeriesVm is what a per-VM trace file yields: a whole series, its size, and provenance. */
export interface SeriesVm {
  name: string;
  percent: readonly number[];
  size: VmSize;
  source: string;
  labels?: Record<string, string>;
}

/**
 * draftFromSeries windows a series and maps it to a VM draft, or says why the VM is left out
 * (a window past the end of its series leaves nothing to simulate).
 */
export function draftFromSeries(s: SeriesVm, opts: ImportOptions): { draft: VmDraft } | { skip: Skip } {
  const percent = applyWindow(s.percent, opts.window);
  if (percent.length === 0)
    return { skip: { what: s.name, why: `no samples in window (series has ${s.percent.length})` } };
  const cls: WorkloadClass = opts.workloadClass === "auto" ? classifySeries(percent) : opts.workloadClass;
  const mapped = traceWorkload(percent, cls, s.size.vcpus, TRACE_INTERVAL_SEC, s.source);
  const vm: VmDraft["vm"] = {
    vcpus: s.size.vcpus,
    memoryMiB: s.size.memoryMiB,
    workload: mapped.workload,
    ...(mapped.slo ? { slo: mapped.slo } : {}),
    labels: { class: cls, ...s.labels },
  };
  return { draft: { name: s.name, vm } };
}
