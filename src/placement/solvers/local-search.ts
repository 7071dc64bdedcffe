import seedrandom from "seedrandom";
import type { Framework } from "../framework.js";
import { hostWeights, typeCheapestOrder, typeOpenOrder } from "../host-order.js";
import type { Item, ItemSet } from "../items.js";
import { defaultSoftPenalty } from "../lp-rows.js";
import type { PlacementProblem } from "../problem.js";
import { PlacementState } from "../state.js";
import { insertUnplaced } from "./insertion.js";
import { BestKeeper } from "./best-keeper.js";
import { Journal } from "./journal.js";
import { relocate, swap } from "./moves.js";
import { ruinRecreate, sampleUsed, type MoveContext } from "./ruin-recreate.js";

export type StopReason = "iterations" | "budget" | "bound-met" | "stalled";

export interface LocalSearchOptions {
  seed: number;
  /** The deterministic budget: same seed and iterations, same plan, byte for byte. */
  maxIterations: number;
  /** Wall-clock budget; needs `now`. The plan then says it stopped on "budget". */
  timeBudgetMs?: number;
  /** Injected clock in ms (placement is pure: the CLI passes performance.now). */
  now?: () => number;
  /** Stop as soon as the objective reaches this (the lower bound under min-cost). */
  target?: number;
  /** Stop after this many iterations without a new best objective ("stalled"). */
  stallIterations?: number;
  /** Late-acceptance history length (default 1000). */
  history?: number;
  onProgress?: (fraction: number) => void;
}

export interface LocalSearchResult {
  readonly state: PlacementState;
  readonly iterations: number;
  readonly stoppedOn: StopReason;
  readonly improvements: number;
}

/**
 * objectiveOf is the policy's objective as the linear model counts it (lp-rows.ts): what plans
 * report and solvers compare. Soft violations cost `softPenalty` each under every objective.
 */
export function objectiveOf(s: PlacementState, softPenalty: number): number {
  const p = s.problem;
  const soft = softPenalty * s.softViolations;
  if (p.policy.objective === "min-cost") return s.usedCost + soft;
  if (p.policy.objective === "min-risk") return s.riskSum + soft;
  if (p.policy.objective === "min-energy") return s.watts + soft;
  let max = 0;
  for (let i = 0; i < p.nHosts; i++) max = Math.max(max, s.fill(i));
  return max + soft;
}

/**
 * guided adds the search guide to the objective, small enough never to outweigh one soft unit:
 * min-cost and min-energy reward concentration (Σ load², so hosts drain and can be switched
 * off), balance rewards spreading, min-risk breaks ties by cost.
 */
function guided(s: PlacementState, obj: number, eps: number): number {
  const kind = s.problem.policy.objective;
  if (kind === "min-cost" || kind === "min-energy") return obj - eps * s.sumLoadSq;
  if (kind === "balance") return obj + eps * s.sumLoadSq;
  return obj + eps * s.usedCost;
}

/**
 * localSearch improves a complete-as-possible start with late-acceptance hill climbing over
 * three moves: ruin-and-recreate of one to three hosts (chosen lightly used and expensive half
 * of the time), relocate and swap. Each iteration costs O(ruined items × sampled hosts), so the
 * search is linear in iterations and independent of the fleet size. Deterministic for a seed
 * and iteration count; a wall-clock stop is reported as "budget".
 */
export function localSearch(p: PlacementProblem, fw: Framework, set: ItemSet, start: Int32Array, o: LocalSearchOptions): LocalSearchResult {
  const s = PlacementState.fromAssignment(p, start);
  const penalty = defaultSoftPenalty(p);
  const eps = penalty / (4 * Math.max(1, p.nHosts));
  const ctx = createMoveContext(fw, set, s, seedrandom.alea(`vmplace-ls:${o.seed}`));
  const hist = new Float64Array(o.history ?? 1000);
  let cur = 0;
  let bestObj = 0;
  const best = new BestKeeper(s.hostOf);
  // (Re)start late acceptance from the current state: at the start, and when an insertion
  // placed more VMs (a lexicographically better plan whatever its cost, so it is the new best).
  const restart = (): void => {
    cur = guided(s, objectiveOf(s, penalty), eps);
    hist.fill(cur);
    bestObj = objectiveOf(s, penalty);
    best.atBest();
  };
  restart();
  let lastInsertIt = 0;
  const t0 = o.now?.() ?? 0;
  let it = 0;
  let improvements = 0;
  let lastBestIt = 0;
  let stoppedOn: StopReason = "iterations";
  for (; it < o.maxIterations; it++) {
    // The bound is on plans that place every VM: a partial plan below it has met nothing.
    if (o.target !== undefined && s.placed === p.nVms && bestObj <= o.target + 1e-9) { stoppedOn = "bound-met"; break; }
    if (o.stallIterations !== undefined && it - lastBestIt >= o.stallIterations) { stoppedOn = "stalled"; break; }
    if ((it & 15) === 0 && o.now && o.timeBudgetMs !== undefined) {
      const el = o.now() - t0;
      if (el >= o.timeBudgetMs) { stoppedOn = "budget"; break; }
      if ((it & 1023) === 0) o.onProgress?.(Math.max(it / o.maxIterations, el / o.timeBudgetMs));
    }
    if (s.placed < p.nVms && lastBestIt > lastInsertIt && it - lastInsertIt >= INSERT_EVERY) {
      lastInsertIt = it;
      const placed = s.placed;
      insertUnplaced(ctx, unplacedItems(set, s));
      if (s.placed > placed) (restart(), (lastBestIt = it), improvements++);
    }
    const placedBefore = s.placed;
    ctx.journal.clear();
    // Lexicographic objective: no move may leave fewer VMs placed, whatever it saves.
    if (!step(ctx) || s.placed < placedBefore) { ctx.journal.rollback(); continue; }
    const obj = objectiveOf(s, penalty);
    const cand = guided(s, obj, eps);
    const v = it % hist.length;
    if (cand <= cur || cand <= hist[v]) {
      cur = cand;
      if (obj < bestObj - 1e-9) {
        bestObj = obj;
        best.atBest();
        improvements++;
        lastBestIt = it;
      } else best.accepted(ctx.journal);
    } else ctx.journal.rollback();
    if (cur < hist[v]) hist[v] = cur;
  }
  const final = objectiveOf(s, penalty) <= bestObj + 1e-9 ? s : PlacementState.fromAssignment(p, best.assignment());
  // The packing the search ends on may have room the last try did not: one more, on the result.
  if (final.placed < p.nVms) insertUnplaced(createMoveContext(fw, set, final, ctx.rng), unplacedItems(set, final));
  return { state: final, iterations: it, stoppedOn, improvements };
}

/**
 * INSERT_EVERY: while VMs are left out, the search retries inserting them at most this often,
 * and only after it found a better packing since the last try (room may have opened up).
 */
const INSERT_EVERY = 1000;

/** createMoveContext: the shared scratch of the search's moves and of the insertion phase. */
export function createMoveContext(fw: Framework, set: ItemSet, s: PlacementState, rng: () => number): MoveContext {
  const p = s.problem;
  return { fw, set, s, journal: new Journal(s), rng, openTypes: typeOpenOrder(p), cheapestTypes: typeCheapestOrder(p), sample: 48 };
}

/** unplacedItems: the items whose VMs are not placed, ascending. */
export function unplacedItems(set: ItemSet, s: PlacementState): Item[] {
  return set.items.filter((it) => s.hostOf[it.vms[0]] < 0);
}

/** step applies one random move through the journal; false when it could not complete. */
function step(c: MoveContext): boolean {
  const r = c.rng();
  if (c.s.usedList.length === 0) return false;
  if (r < 0.6) return ruinRecreate(c, ruinTargets(c));
  if (r < 0.8) return relocate(c);
  return swap(c);
}

/**
 * ruinTargets: half the time the host that looks cheapest to empty among three sampled (least
 * load per unit of cost, or of idle watts under min-energy), else a random used host; plus up to
 * two random others.
 */
function ruinTargets(c: MoveContext): number[] {
  const p = c.s.problem;
  const first = sampleUsed(c, c.rng() < 0.5 ? 3 : 1);
  let pick = first[0];
  const w = hostWeights(p);
  for (const i of first) if (c.s.load(i) / Math.max(w[i], 1e-9) < c.s.load(pick) / Math.max(w[pick], 1e-9)) pick = i;
  const extra = Math.floor(c.rng() * 3);
  return [pick, ...sampleUsed(c, extra, [pick])];
}
