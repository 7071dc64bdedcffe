import type { CpuPart } from "./cpu-part.js";
import type { FullState, Occupancy } from "./occupancy.js";

/**
 * meanFull: the ablation of the Poisson-binomial (mechanisms.poissonBinomial off), a binomial over
 * the same vCPUs at their mean duty: P(all `cores` held) and E[N | all held] into `out`, with
 * `extra` added and `exclude` taken out. `sleepySum` is Σ duty over the host's sleepy vCPUs.
 */
export function meanFull(occ: Occupancy, sleepySum: number, extra: CpuPart | undefined, exclude: CpuPart | undefined, cores: number, out: FullState): void {
  let n = occ.sleepyVcpus;
  let sum = sleepySum;
  let hogs = occ.hogs;
  for (const [c, sign] of [[extra, 1], [exclude, -1]] as const) {
    if (!c) continue;
    if (c.duty >= 1) hogs += sign * c.vcpus;
    else {
      n += sign * c.vcpus;
      sum += sign * c.vcpus * c.duty;
    }
  }
  const p = n > 0 ? Math.min(1, Math.max(0, sum / n)) : 0;
  const need = cores - hogs;
  let pf = 0;
  let en = 0;
  let b = (1 - p) ** n;
  for (let i = 0; i <= n; i++) {
    if (i >= need) {
      pf += b;
      en += b * i;
    }
    b = p < 1 ? (b * (n - i) * p) / ((i + 1) * (1 - p)) : i + 1 === n ? 1 : 0;
  }
  out.pFull = Math.min(1, pf);
  out.meanN = pf > 0 ? en / pf + hogs : cores;
}
