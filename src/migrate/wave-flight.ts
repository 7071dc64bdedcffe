import { budgetGroupOf, type DisruptionBudget } from "../model/fleet-policy.js";
import type { PlacementProblem } from "../placement/problem.js";

/** The migrations of one group (a planned move or one leg of it), as the flight counts them. */
export interface FlightGroup {
  readonly vms: readonly number[];
  readonly from: readonly number[];
  readonly to: number;
}

export interface FlightLimits {
  readonly maxConcurrent: number;
  readonly perHostConcurrent: number;
  readonly budgets: readonly DisruptionBudget[];
}

/** Why a group may not join the open wave. */
export type FlightRefusal = "concurrency" | "per-host" | "budget" | "memory";

/** REFUSAL_TEXT: each refusal (and the scheduler's transient one) as the end of a sentence. */
export const REFUSAL_TEXT: Record<FlightRefusal | "transient", string> = {
  concurrency: "the cluster-wide limit on concurrent migrations",
  "per-host": "the limit on concurrent migrations per host",
  budget: "a disruption budget",
  memory: "memory on the target while copies are in flight",
  transient: "the copy threads' CPU would push a victim on its hosts over its SLO while it runs",
};

/**
 * WaveFlight counts what the open wave has in flight: migrations cluster-wide, per host (as
 * source or destination), per disruption-budget group, and memory copying into each host (a live
 * migration holds the VM's memory on both hosts until it ends). The first group of a wave is
 * admitted past the count limits, so a group larger than a limit still runs, alone; memory is
 * never waived.
 */
export class WaveFlight {
  private running = 0;
  private readonly perHost: Int32Array;
  /** Budget-group indices of each VM, and each group's limit. */
  private readonly groupsOf: Int32Array[];
  private readonly groupLimit: number[] = [];
  private readonly groupName: string[] = [];
  private readonly moving: Int32Array;
  /** Memory on each host when the wave started, and memory copying in now. */
  private memBefore: Float64Array;
  private readonly inMem: Float64Array;

  constructor(
    private readonly p: PlacementProblem,
    private readonly limits: FlightLimits,
    memUsedMiB: Float64Array,
  ) {
    this.perHost = new Int32Array(p.nHosts);
    this.memBefore = Float64Array.from(memUsedMiB);
    this.inMem = new Float64Array(p.nHosts);
    const index = new Map<string, number>();
    this.groupsOf = p.vms.map((vm) => {
      const out: number[] = [];
      limits.budgets.forEach((b, k) => {
        const g = budgetGroupOf(b, vm.labels);
        if (g === undefined) return;
        const key = `${k}:${g}`;
        let gi = index.get(key);
        if (gi === undefined) {
          gi = this.groupLimit.length;
          index.set(key, gi);
          this.groupLimit.push(b.maxMoving);
          this.groupName.push(g);
        }
        out.push(gi);
      });
      return Int32Array.from(out);
    });
    this.moving = new Int32Array(this.groupLimit.length);
  }

  /** refusal: why g may not join the wave now, or undefined when it may. */
  refusal(g: FlightGroup, first: boolean): FlightRefusal | undefined {
    if (!this.memoryHolds(g)) return "memory";
    if (first) return undefined;
    if (this.running + g.vms.length > this.limits.maxConcurrent) return "concurrency";
    for (const [h, n] of touches(g)) if (this.perHost[h] + n > this.limits.perHostConcurrent) return "per-host";
    for (const [gi, n] of this.budgetCounts(g)) if (this.moving[gi] + n > this.groupLimit[gi]) return "budget";
    return undefined;
  }

  reserve(g: FlightGroup): void {
    this.count(g, 1);
  }

  release(g: FlightGroup): void {
    this.count(g, -1);
  }

  /** memoryHolds: the target holds what it had, what is already copying in, and this group. */
  memoryHolds(g: FlightGroup): boolean {
    return this.memBefore[g.to] + this.inMem[g.to] + memoryOf(this.p, g.vms) <= this.p.hostMemoryMiB[g.to] + 1e-6;
  }

  /** peakFraction: memory held on g's target while the wave runs, over its capacity. */
  peakFraction(g: FlightGroup): number {
    return (this.memBefore[g.to] + this.inMem[g.to]) / this.p.hostMemoryMiB[g.to];
  }

  /** budgetPeak: the most VMs of any budget group in flight now, with its group (for the wave's record). */
  budgetPeak(): { group: string; moving: number; limit: number } | undefined {
    let best = -1;
    for (let gi = 0; gi < this.moving.length; gi++) if (this.moving[gi] > 0 && (best < 0 || this.moving[gi] > this.moving[best])) best = gi;
    return best < 0 ? undefined : { group: this.groupName[best], moving: this.moving[best], limit: this.groupLimit[best] };
  }

  /** reset: a new wave starts from these memory figures. */
  reset(memUsedMiB: Float64Array): void {
    this.memBefore = Float64Array.from(memUsedMiB);
    this.inMem.fill(0);
    this.running = 0;
    this.perHost.fill(0);
    this.moving.fill(0);
  }

  private count(g: FlightGroup, sign: 1 | -1): void {
    this.inMem[g.to] += sign * memoryOf(this.p, g.vms);
    this.running += sign * g.vms.length;
    for (const [h, n] of touches(g)) this.perHost[h] += sign * n;
    for (const [gi, n] of this.budgetCounts(g)) this.moving[gi] += sign * n;
  }

  private budgetCounts(g: FlightGroup): Map<number, number> {
    const m = new Map<number, number>();
    for (const j of g.vms) for (const gi of this.groupsOf[j]) m.set(gi, (m.get(gi) ?? 0) + 1);
    return m;
  }
}

/** touches: how many of the group's migrations each host takes part in (as source or target). */
export function touches(g: FlightGroup): Map<number, number> {
  const m = new Map<number, number>();
  for (const f of g.from) {
    m.set(f, (m.get(f) ?? 0) + 1);
    m.set(g.to, (m.get(g.to) ?? 0) + 1);
  }
  return m;
}

export function memoryOf(p: PlacementProblem, vms: readonly number[]): number {
  let m = 0;
  for (const j of vms) m += p.vmMemoryMiB[j];
  return m;
}
