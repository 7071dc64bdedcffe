import type { Plan } from "../model/plan.js";
import { num } from "./format.js";

/**
 * Sentences about a placer plan's quality that the terminal summary, the Markdown and the HTML
 * share, so no two of them can disagree: a gap is measured only against a valid lower bound (and
 * only when every VM is placed), the word "optimal" is used only when the plan proves it, and a
 * solver that was asked for but not used says why.
 */

const pct1 = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** gapText: "gap 1.1% to the valid lower bound 90 (cover)", or why there is no gap to speak of. */
export function gapText(p: Plan): string {
  if (p.gap === undefined)
    return `no gap: ${p.unplaced.length} VM(s) are not placed, so the cost cannot be compared with the lower bound ${num(p.lowerBound)} (it bounds plans that place every VM)`;
  return `gap ${pct1(p.gap)} to the valid lower bound ${num(p.lowerBound)} (${p.lowerBoundSource})${p.provedOptimal ? " (proved optimal)" : ""}`;
}

/** boundLines: each bound source, saying whether it bounds the cost. */
export function boundLines(p: Plan): string[] {
  return p.boundSources.map((b) => `bound ${b.source} ${num(b.value)}: ${b.valid ? "valid" : "not a bound on cost, not used"} (${b.detail})`);
}

/** optimalityLabel: a short verdict for a headline or a card. */
export function optimalityLabel(p: Plan): string {
  if (p.gap === undefined) return "not comparable";
  return p.provedOptimal ? "proved optimal" : `within ${pct1(p.gap)} of optimal`;
}

/** stopText: why the search stopped, in words that never claim more than was proved. */
export function stopText(p: Plan): string {
  switch (p.solver.stoppedOn) {
    case "optimal":
      return "stopped: proved optimal (the cost meets a valid lower bound)";
    case "model-optimal":
      return `stopped: HiGHS solved its linear model to optimality, but that model is not exact for this cluster (conservative interference rows, soft penalties), so the plan is proved only ${p.gap === undefined ? "feasible for the model" : `within ${pct1(p.gap)} of optimal`}`;
    case "bound-met":
      return p.provedOptimal ? "stopped: the cost met the lower bound (proved optimal)" : "stopped: the search's cost met the lower bound (validation may have raised it since)";
    case "budget":
      return "stopped: the time budget ran out";
    case "iterations":
      return "stopped: the iteration budget ran out";
    case "stalled":
      return "stopped: no better plan for a long run of iterations";
  }
}

type Fallback = NonNullable<Plan["solver"]["fallback"]>;

const FALLBACK: Record<Fallback["reason"], string> = {
  "time-limit": "HiGHS ran out of time",
  "work-limit": "HiGHS reached its work limit (branch-and-bound nodes, from --iterations)",
  size: "the model is too large for HiGHS",
  infeasible: "HiGHS found its linear model infeasible",
  crash: "the HiGHS worker crashed",
  error: "HiGHS failed",
  rejected: "HiGHS's answer was no better than the search's, or did not pass the checker",
  worse: "HiGHS proved its linear model optimal, but its plan is worse by the plan's own objective",
};

/** fallbackText: when an exact solve ran (or was asked for) and did not give the plan, why. */
export function fallbackText(p: Plan): string | undefined {
  const f = p.solver.fallback;
  return f ? `${FALLBACK[f.reason]} (${f.detail})` : undefined;
}

/** solverText: which solver made the plan, what was asked, why it stopped, and any fallback. */
export function solverText(p: Plan): string {
  const s = p.solver;
  const fb = fallbackText(p);
  const asked = s.requested !== "auto" && s.requested !== s.used ? `, requested ${s.requested}` : "";
  const fell = fb ? `; fell back to the heuristic search: ${fb}` : s.used === "milp" && s.note ? `; HiGHS on its linear model: ${s.note}` : "";
  return `solver ${s.used}${asked} (start: ${s.construction}, ${s.iterations} iterations); ${stopText(p)}${fell}`;
}

type Explanation = Plan["explanations"][number];

/** runnerUpText: the best other host that does not outscore the chosen one, or why the first refuses. */
export function runnerUpText(e: Explanation): string {
  const ru = e.runnerUp;
  if (!ru) return "–";
  return ru.total !== undefined ? `${ru.host} (${num(ru.total, 1)})` : `${ru.host}: ${(ru.reasons ?? []).map((r) => r.constraint).join(", ")}`;
}

/** outscoredText: a host that scores higher for this VM alone, and why the plan did not take it. */
export function outscoredText(e: Explanation): string {
  const o = e.outscoredBy;
  if (!o) return "–";
  const cost = o.costChange < 0 ? `would save ${num(-o.costChange)} cost the search missed` : o.costChange > 0 ? `would add ${num(o.costChange)} cost` : "would not lower the cost";
  return `${o.host} (${num(o.total, 1)}): ${cost}`;
}
