import type { HostSimResult } from "../model/scenario.js";
import type { SimJob, SimRunner } from "../sim/runner.js";
import type { HostVms } from "./candidates.js";

/** Run: one host state to simulate under each of some seeds, named by a key unique in its batch. */
export interface Run {
  readonly key: string;
  readonly view: HostVms;
  readonly seeds: readonly number[];
}

export interface RunOptions {
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly onDone?: (done: number, total: number) => void;
}

/**
 * simulateRuns sends every run's seeds to the runner as one batch (so a worker pool or the Redis
 * queue runs them side by side) and hands the results back by key, in seed order.
 */
export async function simulateRuns(runner: SimRunner, runs: readonly Run[], o: RunOptions): Promise<Map<string, HostSimResult[]>> {
  const jobs: SimJob[] = runs.flatMap((r) =>
    r.seeds.map((seed) => ({ scenario: { host: r.view.host, vms: [...r.view.vms], durationMs: o.durationMs, warmupMs: o.warmupMs, seed } })),
  );
  const results = jobs.length === 0 ? [] : await runner.runAll(jobs, o.onDone);
  const out = new Map<string, HostSimResult[]>();
  let k = 0;
  for (const r of runs) {
    out.set(r.key, results.slice(k, k + r.seeds.length));
    k += r.seeds.length;
  }
  return out;
}

/** median of a non-empty list (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** vmMedian: one VM's median of a measure over a host's seeds (0 when the VM is not there). */
export function vmMedian(results: readonly HostSimResult[], vmId: string, f: (v: HostSimResult["vms"][number]) => number): number {
  const xs = results.flatMap((r) => r.vms.filter((v) => v.id === vmId).map(f));
  return xs.length === 0 ? 0 : median(xs);
}
