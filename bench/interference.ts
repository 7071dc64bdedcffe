import { performance } from "node:perf_hooks";
import { drawRound, OPEN_ROUNDS } from "../src/interference/eval/compositions.js";
import { measure, renderGroups, type GroupStats } from "../src/interference/eval/measure.js";
import { predictWithScore } from "../src/interference/eval/predict.js";
import { referenceCases } from "../src/interference/eval/reference.js";
import { loadRoundReference } from "../src/io/accuracy-reference.js";
import { loadPredictor } from "../src/io/calibration.js";
import { large, type LargePlanFigures } from "./placement.js";
import { benchWhatIf } from "./whatif.js";
import { benchWhatIfTrace, type OwnRates } from "./whatif-trace.js";

/**
 * benchAccuracy: the predictor against the cached simulated reference of each frozen evaluation
 * round (never fitted or tuned on; holdout-1's figures had been looked at before holdout-2 was
 * frozen, and both before holdout-3 was), per scheduler and contended/uncontended, with the
 * noise floor of two independent references.
 */
function benchAccuracy(): Map<string, GroupStats[]> {
  const predict = predictWithScore(loadPredictor());
  const out = new Map<string, GroupStats[]>();
  for (const round of OPEN_ROUNDS) {
    const ref = loadRoundReference(round);
    const cases = referenceCases(drawRound(round), ref);
    const t0 = performance.now();
    const r = measure(cases, predict);
    console.log(`\naccuracy (${round.name}) of the request p99.9 on ${cases.length} victims of ${new Set(cases.map((c) => c.composition.id)).size} hosts drawn from ${round.seeds.length} frozen evaluation seeds ${round.seeds[0]}-${round.seeds[round.seeds.length - 1]} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    console.log(`reference: median of ${ref.sim.seedsPerReference} runs of ${ref.sim.durationMs / 1000} s per host (cached; noise floor = |ln| between two such medians of independent runs)`);
    console.log(`unsafe = simulated p99.9 over an SLO level (1-50 ms) while the estimate is under half of it; coverage = bound >= simulated`);
    console.log(renderGroups(r.groups));
    out.set(round.name, r.groups);
  }
  return out;
}

/** The 10,000-VM plan's simulated breaches before repair on main before issue 12 (161-200 measured). */
const BREACHES_BEFORE_ISSUE = 161;

const yes = (ok: boolean): string => (ok ? "met" : "NOT met");

/** goalSummary: every goal of issue 12 with its figure, per round and scheduler for accuracy. */
function goalSummary(rounds: ReadonlyMap<string, readonly GroupStats[]>, whatIfM: number, own: OwnRates, plan: LargePlanFigures): void {
  for (const [name, groups] of rounds) {
    console.log(`\nissue 12 goals (accuracy on ${name}, frozen hosts never fitted on; noise floor = two independent references):`);
    for (const g of groups.filter((x) => x.group.endsWith("(all)"))) {
      // Packed hosts (many latency-sensitive VMs, as the placer fills them) are held to the contended goals.
      const contended = !g.group.startsWith("uncontended");
      const ok = contended ? g.medianAbsLog <= 0.15 && g.p90AbsLog <= 0.4 && (g.coverage ?? 0) >= 0.99 && g.unsafeMisses === 0 : g.medianAbsLog <= 0.1;
      const figs = `median ${g.medianAbsLog.toFixed(3)}, p90 ${g.p90AbsLog.toFixed(3)}, Spearman ${g.spearman.toFixed(3)}, coverage ${((g.coverage ?? 0) * 100).toFixed(1)}%, unsafe ${g.unsafeMisses}; noise ${g.noiseMedian.toFixed(3)}/${g.noiseP90.toFixed(3)}`;
      console.log(`  ${g.group.padEnd(36)} ${String(g.compositions).padStart(4)} hosts  ${figs}  ${yes(ok)}`);
    }
  }
  // Both readings must hold: random pairs on a fleet that never changes find HostState's kept
  // per-shape answers far more often than the placer's own search does. The placer's own rate
  // counts its adds and removes: they are its inner loop too, and part of what makes a what-if
  // incremental (work a move defers lands on the next what-if, so the two are not separable).
  const ownFigs = `${own.withMoves.toFixed(2)} M on the placer's own with its moves (${own.withoutMoves.toFixed(2)} M without)`;
  console.log(`  what-if evaluations: ${whatIfM.toFixed(2)} M per CPU-second on random pairs, ${ownFigs} (goal >= 1 M)  ${yes(Math.min(whatIfM, own.withMoves) >= 1)}`);
  const tenth = BREACHES_BEFORE_ISSUE / 10;
  console.log(`  10,000-VM plan: ${plan.simulatedBefore} simulated breaches before repair (goal <= ${tenth.toFixed(1)}, a tenth of ${BREACHES_BEFORE_ISSUE})  ${yes(plan.simulatedBefore <= tenth)}; ${plan.simulatedAfter} after`);
  console.log(`  10,000-VM plan: repairs added ${(plan.repairCostShare * 100).toFixed(2)}% to its cost (goal < 0.5%)  ${yes(plan.repairCostShare < 0.005)}`);
}

export async function benchInterference(): Promise<void> {
  const whatIf = await benchWhatIf();
  const own = await benchWhatIfTrace();
  // BENCH_WHATIF_ONLY: the what-if loops alone (seconds, not the minutes of the 10,000-VM plan).
  if (process.env.BENCH_WHATIF_ONLY) return;
  const groups = benchAccuracy();
  const plan = await large();
  goalSummary(groups, whatIf, own, plan);
}
