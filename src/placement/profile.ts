import { z } from "zod";
import type { Policy } from "../model/cluster.js";
import { Framework, type FilterPlugin, type ScorePlugin } from "./framework.js";
import { affinity } from "./plugins/affinity.js";
import { antiAffinity } from "./plugins/anti-affinity.js";
import { balance } from "./plugins/balance.js";
import { consolidation } from "./plugins/consolidation.js";
import { energy } from "./plugins/energy.js";
import { headroom } from "./plugins/headroom.js";
import { hostLabel } from "./plugins/host-label.js";
import { interference } from "./plugins/interference.js";
import { resourceFit } from "./plugins/resource-fit.js";
import { risk } from "./plugins/risk.js";
import { serviceTail } from "./plugins/service-tail.js";

const Weight = z.number().min(0).max(100);

/** PlacementProfileSchema: the weights of the score plugins (normalise, then weight). */
export const PlacementProfileSchema = z.strictObject({
  weights: z.strictObject({
    Consolidation: Weight,
    Balance: Weight,
    Risk: Weight,
    AntiAffinity: Weight,
    Affinity: Weight,
    HostLabel: Weight,
    Energy: Weight,
    ServiceTail: Weight,
  }),
});
export type PlacementProfile = z.infer<typeof PlacementProfileSchema>;

/**
 * defaultProfile weights the policy's objective highest; soft constraints always count, and so
 * do fan-out services' tails when the cluster has services (without, the scorer is left out, so
 * it adds nothing to explanations).
 */
export function defaultProfile(objective: Policy["objective"], o: { services?: boolean } = {}): PlacementProfile {
  const main = { "min-cost": "Consolidation", balance: "Balance", "min-risk": "Risk", "min-energy": "Energy" }[objective];
  const w = { Consolidation: 1, Balance: 0, Risk: 1, AntiAffinity: 1, Affinity: 1, HostLabel: 1, Energy: 0, ServiceTail: o.services ? 1 : 0 };
  return { weights: { ...w, [main]: 3 } };
}

/**
 * FILTERS: every hard constraint, cheapest first (the hot path stops at the first failure).
 * Headroom and ServiceTail have no rows: the MILP's plans must pass every filter before use.
 */
export const FILTERS: readonly FilterPlugin[] = [resourceFit, hostLabel, antiAffinity, affinity, interference, headroom, serviceTail];
export const SCORERS: readonly ScorePlugin[] = [consolidation, balance, risk, antiAffinity, affinity, hostLabel, energy, serviceTail];

/** frameworkFor builds the framework of a profile (validated: weights come from outside). */
export function frameworkFor(profile: PlacementProfile): Framework {
  const p = PlacementProfileSchema.parse(profile);
  const weights: Record<string, number> = p.weights;
  return new Framework(
    FILTERS,
    SCORERS.filter((s) => (weights[s.name] ?? 0) > 0).map((plugin) => ({ plugin, weight: weights[plugin.name] })),
  );
}
