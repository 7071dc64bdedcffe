import { z } from "zod";
import type { Policy } from "../model/cluster.js";
import { Framework, type FilterPlugin, type LpPlugin, type ScorePlugin } from "./framework.js";
import { affinity } from "./plugins/affinity.js";
import { antiAffinity } from "./plugins/anti-affinity.js";
import { balance } from "./plugins/balance.js";
import { consolidation } from "./plugins/consolidation.js";
import { hostLabel } from "./plugins/host-label.js";
import { interference } from "./plugins/interference.js";
import { resourceFit } from "./plugins/resource-fit.js";
import { risk } from "./plugins/risk.js";

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
  }),
});
export type PlacementProfile = z.infer<typeof PlacementProfileSchema>;

/** defaultProfile weights the policy's objective highest; soft constraints always count. */
export function defaultProfile(objective: Policy["objective"]): PlacementProfile {
  const main = { "min-cost": "Consolidation", balance: "Balance", "min-risk": "Risk" }[objective];
  const w = { Consolidation: 1, Balance: 0, Risk: 1, AntiAffinity: 1, Affinity: 1, HostLabel: 1 };
  return { weights: { ...w, [main]: 3 } };
}

/** FILTERS: every hard constraint, cheapest first (the hot path stops at the first failure). */
export const FILTERS: readonly (FilterPlugin & LpPlugin)[] = [resourceFit, hostLabel, antiAffinity, affinity, interference];
export const SCORERS: readonly (ScorePlugin & LpPlugin)[] = [consolidation, balance, risk, antiAffinity, affinity, hostLabel];

/** frameworkFor builds the framework of a profile (validated: weights come from outside). */
export function frameworkFor(profile: PlacementProfile): Framework {
  const p = PlacementProfileSchema.parse(profile);
  const weights: Record<string, number> = p.weights;
  return new Framework(
    FILTERS,
    SCORERS.filter((s) => (weights[s.name] ?? 0) > 0).map((plugin) => ({ plugin, weight: weights[plugin.name] })),
  );
}
