import type { Plan } from "../model/plan.js";
import { EnvelopeCache } from "./interference-cap.js";
import { LP_MAX_PAIRS, type LowerBound } from "./lower-bound.js";
import type { Optimised } from "./optimise.js";
import type { PlacementProblem } from "./problem.js";

type BoundSource = Plan["boundSources"][number];

export interface BoundInputs {
  readonly problem: PlacementProblem;
  readonly bound: LowerBound;
  readonly opt: Optimised;
  readonly cost: number;
  readonly unplaced: number;
  readonly softViolations: number;
  /** Hard violations the independent checker found (unplaced VMs not counted). */
  readonly violations: number;
}

export type BoundSection = Pick<Plan, "lowerBound" | "lowerBoundSource" | "gap" | "provedOptimal" | "boundSources"> & { stoppedOn: Plan["solver"]["stoppedOn"] };

/**
 * boundSection says which lower bounds hold and why, and derives the claims that rest on them:
 * the gap only when every VM is placed (the bounds are on plans that place every VM, so a plan
 * that drops VMs can sit below them), never negative, and "optimal" only at a zero gap to a
 * valid bound. A bound above the cost of this complete, checked plan would be no bound: it is
 * marked invalid instead of giving a negative gap (a defect to report, not a result).
 */
export function boundSection(x: BoundInputs): BoundSection {
  const complete = x.unplaced === 0 && x.violations === 0;
  // The closed-form part that gave the bound counts with the grid rounding (bound.value).
  const effective = (b: BoundSource): number => (b.source === x.bound.source ? x.bound.value : b.value);
  const above = (v: number): boolean => complete && v > x.cost * (1 + 1e-9) + 1e-9;
  const sources = boundSources(x).map((b) =>
    b.valid && above(effective(b)) ? { ...b, valid: false, detail: `${b.detail}; ${r6(effective(b))} exceeds the cost ${r6(x.cost)} of this complete, checked plan, so it is no bound` } : b,
  );
  let lowerBound = 0;
  let lowerBoundSource: Plan["lowerBoundSource"] = "cover";
  for (const b of sources) if (b.valid && effective(b) > lowerBound) (lowerBound = effective(b)), (lowerBoundSource = b.source);
  // Within float tolerance of the cost is the cost (a dual bound a hair above an optimum).
  if (complete) lowerBound = Math.min(lowerBound, x.cost);
  const gap = x.unplaced > 0 ? undefined : lowerBound > 0 ? Math.max(0, Math.round(((x.cost - lowerBound) / lowerBound) * 1e6) / 1e6) : 0;
  const provedOptimal = complete && gap === 0 && x.softViolations === 0 && x.problem.policy.objective === "min-cost";
  const stoppedOn = x.opt.stoppedOn === "model-optimal" && provedOptimal ? "optimal" : x.opt.stoppedOn;
  return { lowerBound: r6(lowerBound), lowerBoundSource, gap, provedOptimal, boundSources: sources, stoppedOn };
}

function boundSources(x: BoundInputs): BoundSource[] {
  const b = x.bound;
  const grid = b.value > Math.max(b.cover, b.lp, b.spread) + 1e-9 ? ` (the bound, ${r6(b.value)}, is this rounded up to the grid of achievable host-cost sums)` : "";
  const out: BoundSource[] = [
    { source: "cover", value: b.cover, valid: true, detail: `whole hosts of each hardware class covering the total demand per resource (knapsack cover)${b.source === "cover" ? grid : ""}` },
    lpSource(b, b.source === "lp" ? grid : ""),
    { source: "spread", value: b.spread, valid: true, detail: `the hosts a hard anti-affinity group needs (the cheapest ones), or one host${b.source === "spread" ? grid : ""}` },
  ];
  const d = x.opt.dualBound;
  if (d === undefined || x.problem.policy.objective !== "min-cost") return out;
  const exact = !hasSoft(x.problem) && interferenceVacuous(x.problem);
  out.push({
    source: "highs-dual",
    value: r6(d),
    valid: exact,
    detail: exact
      ? "HiGHS's dual bound on its model, which is exact for this cluster (no soft constraint, interference rows never bind)"
      : "HiGHS's dual bound on its linear model, whose interference rows are conservative or whose objective carries soft penalties: not a bound on cost",
  });
  return out;
}

function lpSource(b: LowerBound, grid: string): BoundSource {
  switch (b.lpStatus) {
    case "solved":
      return { source: "lp", value: b.lp, valid: true, detail: `LP relaxation of the resource model, aggregated by demand and hardware class${grid}` };
    case "one-class":
      return { source: "lp", value: 0, valid: false, detail: "not computed: with one hardware class the cover bound is at least the LP relaxation" };
    case "too-large":
      return { source: "lp", value: 0, valid: false, detail: `not computed: more than ${LP_MAX_PAIRS} demand class × hardware class pairs for the dense simplex` };
    case "failed":
      return { source: "lp", value: 0, valid: false, detail: "not computed: the simplex did not reach an optimum" };
  }
}

function hasSoft(p: PlacementProblem): boolean {
  return [...p.affinity, ...p.antiAffinity, ...p.hostLabel].some((g) => g.soft);
}

/** interferenceVacuous: every victim's cap on every type it may use is the type's whole vCPU capacity. */
function interferenceVacuous(p: PlacementProblem): boolean {
  if (p.policy.forbidBobtail) return false;
  const env = new EnvelopeCache(p);
  const nT = p.types.length;
  for (let j = 0; j < p.nVms; j++) {
    if (!p.victims[j]) continue;
    for (let t = 0; t < nT; t++) if (p.typeAllowed[j * nT + t] && env.cap(j, t) < p.types[t].vcpuCap) return false;
  }
  return true;
}

function r6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
