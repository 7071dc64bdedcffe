import type { BaselineTable } from "../model-data.js";
import type { VictimTail } from "./tail.js";

/** VictimInput: a latency-sensitive VM's request stream and, for a mixed VM, its CPU bursts. */
export interface VictimInput {
  readonly vcpus: number;
  readonly requestsPerSec: number;
  readonly serviceUs: number;
  /** Duty and mean burst of its own CPU part (mixed VMs). */
  readonly cpu?: { readonly duty: number; readonly burstUs: number };
}

function interp(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= xs[0]) return ys[0];
  for (let i = 0; i + 1 < xs.length; i++)
    if (x <= xs[i + 1]) {
      const t = (x - xs[i]) / (xs[i + 1] - xs[i]);
      return ys[i] * (1 - t) + ys[i + 1] * t;
    }
  return ys[ys.length - 1];
}

/**
 * victimTail derives a victim's own terms. Alone, its p99 and p99.9 come from the baseline table
 * (simulated: M/D/m queues where a request takes an idle vCPU first, so a 2-vCPU VM at the same
 * per-vCPU load queues far less); the tail in between and beyond is the exponential through both.
 */
export function victimTail(v: VictimInput, b: BaselineTable): VictimTail {
  const rho = Math.min(0.99, (v.requestsPerSec * v.serviceUs) / 1e6 / v.vcpus);
  let row = b.vcpus.findIndex((m) => m >= v.vcpus);
  if (row < 0) row = b.vcpus.length - 1;
  const x99 = v.serviceUs * interp(b.rho, b.p99OverService[row], rho);
  const x999 = Math.max(x99 * 1.02, v.serviceUs * interp(b.rho, b.p999OverService[row], rho));
  const theta = Math.LN10 / (x999 - x99);
  return {
    serviceUs: v.serviceUs,
    vcpus: v.vcpus,
    lambdaUs: v.requestsPerSec / 1e6,
    rho,
    baseA: Math.log(0.01) + theta * x99,
    baseTheta: theta,
    base99Us: x99,
    base999Us: x999,
    burstWakesUs: v.cpu ? v.cpu.duty / v.cpu.burstUs : 0,
  };
}
