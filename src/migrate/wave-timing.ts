import type { PlacementProblem } from "../placement/problem.js";
import { dirtyRateOf, estimateMigration, linkMbps, type MigrationEstimate } from "./cost-model.js";
import type { FlightGroup } from "./wave-flight.js";

/** TimedMigration: one VM's migration in its wave, at the bandwidth the wave gives it. */
export interface TimedMigration extends MigrationEstimate {
  readonly mbps: number;
  readonly dirtyMiBps: number;
}

export interface WaveTiming {
  /** Per group, per VM (the group's order). */
  readonly migrations: TimedMigration[][];
  /** The wave ends when its slowest migration does. */
  readonly durationSec: number;
  readonly worstDowntimeMs: number;
  /** Largest share of any host's migration link the wave's bandwidths add up to (never above 1). */
  readonly linkPeakFraction: number;
}

/**
 * timeWave gives each migration of a wave its bandwidth and predicts it. A host's link is shared
 * evenly by the migrations that touch it, and a migration runs at the smaller of its two shares,
 * so the bandwidths through any host add up to at most its link: no link is oversubscribed.
 * (A migration held back by its other end leaves some of a link unused; the model does not
 * hand it to the others, which keeps the prediction on the slow side.) O(migrations × rounds).
 */
export function timeWave(p: PlacementProblem, groups: readonly FlightGroup[]): WaveTiming {
  const policy = p.cluster.policy.migration;
  const count = new Map<number, number>();
  const bump = (h: number): void => void count.set(h, (count.get(h) ?? 0) + 1);
  for (const g of groups) for (const f of g.from) (bump(f), bump(g.to));
  const used = new Map<number, number>();
  let durationSec = 0;
  let worstDowntimeMs = 0;
  const migrations = groups.map((g) =>
    g.vms.map((j, k) => {
      const from = g.from[k];
      const share = (h: number): number => linkMbps(p.hosts[h], policy) / count.get(h)!;
      const mbps = Math.min(share(from), share(g.to));
      const vm = p.vms[j];
      const dirtyMiBps = dirtyRateOf(vm, policy);
      const e = estimateMigration(vm.memoryMiB, dirtyMiBps, mbps, policy);
      for (const h of [from, g.to]) used.set(h, (used.get(h) ?? 0) + mbps);
      durationSec = Math.max(durationSec, e.durationSec);
      worstDowntimeMs = Math.max(worstDowntimeMs, e.downtimeMs);
      return { ...e, mbps, dirtyMiBps };
    }),
  );
  let linkPeakFraction = 0;
  for (const [h, mbps] of used) linkPeakFraction = Math.max(linkPeakFraction, mbps / linkMbps(p.hosts[h], policy));
  return { migrations, durationSec, worstDowntimeMs, linkPeakFraction };
}
