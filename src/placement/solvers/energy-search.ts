import { LOAD_LEVELS } from "../../model/power.js";
import type { Framework } from "../framework.js";
import type { ItemSet } from "../items.js";
import type { PlacementProblem } from "../problem.js";
import { localSearch } from "./local-search.js";

/**
 * Share of the search min-energy spends switching hosts off before it weighs every watt. Measured
 * on the generated 1,000-host fleet (20,000 iterations in all): 0.5 ended 0.11% above the
 * min-cost plan's watts (8 hosts more on), 0.8 0.02% above, 1.0 equal; on the fleet with an old
 * generation the watt stage is what moves load off the hungry hosts.
 */
export const HOSTS_OFF_SHARE = 0.8;

/**
 * switchHostsOff is min-energy's first stage: the min-cost search with each host's cost its
 * idle draw over standby, from `start`. Watts are mostly idle draw times hosts on, but every move
 * also shifts a few dynamic watts between curves, and a search judged on every watt rejects the
 * many neutral moves that empty a host (measured: on the generated 1,000-host fleet the one-stage
 * search ended 0.25% above the min-cost plan's own watts, with 15 more hosts on). With the idle
 * draw as the cost the landscape is flat between host counts, like min-cost's, and the
 * concentration guide empties hosts; optimise then weighs every watt from there.
 * Deterministic for a seed and iteration count.
 */
export function switchHostsOff(p: PlacementProblem, fw: Framework, set: ItemSet, start: Int32Array, o: { seed: number; iterations: number; timeBudgetMs?: number; now?: () => number }): { assignment: Int32Array; iterations: number } {
  const idle = Float64Array.from(p.hosts, (_, i) => Math.max(0, p.hostCurveWatts[i * LOAD_LEVELS] - p.hostStandbyWatts[i]));
  const proxy: PlacementProblem = {
    ...p,
    policy: { ...p.policy, objective: "min-cost" },
    hostCost: idle,
    types: p.types.map((t) => ({ ...t, cost: idle[t.hosts[0]] })),
  };
  const ls = localSearch(proxy, fw, set, start, { seed: o.seed, maxIterations: o.iterations, timeBudgetMs: o.timeBudgetMs, now: o.now, stallIterations: Math.max(20_000, 50 * p.nVms) });
  return { assignment: Int32Array.from(ls.state.hostOf), iterations: ls.iterations };
}
