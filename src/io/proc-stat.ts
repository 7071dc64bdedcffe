import { readFileSync } from "node:fs";

/** CpuTimes are the machine's aggregate CPU times from /proc/stat, in clock ticks. */
export interface CpuTimes {
  total: number;
  steal: number;
}

/**
 * readCpuTimes reads the first line of /proc/stat ("cpu user nice system idle iowait irq softirq
 * steal ..."); null where there is none (not Linux) or it has no steal column (kernels < 2.6.11).
 */
export function readCpuTimes(path = "/proc/stat"): CpuTimes | null {
  let line: string;
  try {
    line = readFileSync(path, "utf8").split("\n", 1)[0];
  } catch {
    return null;
  }
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== "cpu" || fields.length < 9) return null;
  const ticks = fields.slice(1, 9).map(Number);
  if (ticks.some((x) => !Number.isFinite(x))) return null;
  return { total: ticks.reduce((s, x) => s + x, 0), steal: ticks[7] };
}

/** stealPercent is the share of CPU time the hypervisor stole between two readings. */
export function stealPercent(before: CpuTimes | null, after: CpuTimes | null): number | null {
  if (!before || !after || after.total <= before.total) return null;
  return (100 * (after.steal - before.steal)) / (after.total - before.total);
}
