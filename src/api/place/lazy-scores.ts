import { CycleState, MAX_SCORE, type Framework, type ScorePlugin } from "../../placement/framework.js";
import type { PlacementState } from "../../placement/state.js";

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A host's place in the ranking: higher score first, then the smaller host id. */
export type HostOrder = (a: number, b: number) => number;

/** The state a judgement reads, set up again for its VM (a cached verdict's slot may hold another). */
export interface ScoreInput {
  readonly state: PlacementState;
  readonly framework: Framework;
  readonly j: number;
}

/**
 * LazyScores holds the weighted scores of the hosts that passed the filters, computing the
 * expensive ones only where a ranking needs them. Plugins with an upperBound (Risk: it solves
 * every victim's p99.9 on the host) are scored exactly only on hosts that could rank among the
 * best asked for; the others are scored on every passed host at once. A host's score is the same
 * figure the eager ranking gives (the same plugin calls, summed in the same order, rounded the
 * same way), and the ranking it certifies is the same (test/api/lazy-scores.test.ts compares).
 */
export class LazyScores {
  /** Weighted score (2 decimals) per host index: NaN until known (and for rejected hosts). */
  readonly score: Float64Array;
  /** Hosts scored exactly so far (tests check that a ranking pruned some). */
  scored = 0;
  /** The best hosts in ranking order, certain: no host outside it can rank before its last. */
  private certain: Int32Array = new Int32Array(0);
  /**
   * Raw plugin scores (unrounded), at [position among the passed hosts x plugins + plugin], NaN
   * until known. Kept per passed host, not per host: a verdict lives across requests, and arrays
   * over every host per plugin were promoted by the young-generation GC and made the old one
   * mark more often (the assume-per-pod path copies large arrays, which marking slows).
   */
  private readonly raw: Float64Array;
  /** Position of host i among the passed hosts (-1: rejected). */
  private readonly at: Int32Array;
  private readonly names: readonly string[];
  private readonly weightSum: number;
  private readonly cycle = new CycleState();

  /** `input` sets the judgement up again for a later read (not called here: setting up a slot is not free). */
  constructor(
    framework: Framework,
    private readonly input: () => ScoreInput,
    private readonly passed: readonly number[],
    private readonly order: HostOrder,
    nHosts: number,
  ) {
    this.weightSum = framework.scorers.reduce((s, x) => s + x.weight, 0) || 1;
    this.names = framework.scorers.map(({ plugin }) => plugin.name);
    this.score = new Float64Array(nHosts).fill(NaN);
    this.raw = new Float64Array(passed.length * this.names.length).fill(NaN);
    this.at = new Int32Array(nHosts).fill(-1);
    passed.forEach((i, n) => (this.at[i] = n));
  }

  /** pluginScores: each plugin's score (2 decimals) of a host scored exactly. */
  pluginScores(i: number): Record<string, number> {
    const base = this.at[i] * this.names.length;
    return Object.fromEntries(this.names.map((name, p) => [name, round2(this.raw[base + p])]));
  }

  /**
   * rankTop certifies the first `k` hosts of the ranking (the input must be set up for its VM):
   * every plugin without a bound is scored on every passed host, then hosts are scored exactly in
   * order of their bound until the k-th best exact score beats every bound left.
   */
  rankTop(k: number, s: ScoreInput): void {
    const { framework } = s;
    const np = this.names.length;
    const lazy = framework.scorers.map(({ plugin }) => plugin.upperBound !== undefined && !plugin.normalize);
    framework.scorers.forEach(({ plugin }, p) => {
      if (lazy[p]) return;
      // As Framework.score: over every passed host, then normalised over them (if the plugin does).
      const v = Float64Array.from(this.passed, (i) => plugin.score(this.cycle, s.state, s.j, i));
      plugin.normalize?.(v);
      v.forEach((x, n) => (this.raw[n * np + p] = checked(plugin, x, this.passed[n])));
    });
    if (k >= this.passed.length || !lazy.some(Boolean)) return this.complete(s);
    const bound = Float64Array.from(this.passed, (i) => this.boundOf(s, lazy, i));
    const byBound = Int32Array.from(this.passed).sort((a, b) => bound[this.at[b]] - bound[this.at[a]] || this.order(a, b));
    const best: number[] = [];
    let n = 0;
    for (; n < byBound.length; n++) {
      const i = byBound[n];
      if (best.length >= k && bound[this.at[i]] < this.score[best[k - 1]]) break;
      this.exact(s, i);
      insertSorted(best, i, this.order, k);
    }
    const cap = n < byBound.length ? bound[this.at[byBound[n]]] : -Infinity;
    this.certain = Int32Array.from(best.filter((i) => this.score[i] > cap));
  }

  /** top: the first k hosts of the ranking, scoring the rest first when k exceeds what is certain. */
  top(k: number): Int32Array {
    if (k > this.certain.length && this.certain.length < this.passed.length) this.complete(this.input());
    return this.certain.subarray(0, Math.max(0, k));
  }

  /** scoreOf: host i's weighted score (NaN when it was rejected), scoring every passed host the first time it is unknown. */
  scoreOf(i: number): number {
    if (this.at[i] >= 0 && Number.isNaN(this.score[i])) this.complete(this.input());
    return this.score[i];
  }

  /** complete scores every passed host and ranks them all. */
  private complete(s: ScoreInput): void {
    for (const i of this.passed) if (Number.isNaN(this.score[i])) this.exact(s, i);
    this.certain = Int32Array.from(this.passed).sort(this.order);
  }

  /** boundOf: the weighted score host i cannot exceed (exact parts exact, bounded parts bounded), rounded as scores are. */
  private boundOf(s: ScoreInput, lazy: readonly boolean[], i: number): number {
    const base = this.at[i] * this.names.length;
    let total = 0;
    s.framework.scorers.forEach(({ plugin, weight }, p) => {
      total += weight * (lazy[p] ? Math.min(MAX_SCORE, plugin.upperBound!(this.cycle, s.state, s.j, i)) : this.raw[base + p]);
    });
    // Rounding is monotone: a bound on the total bounds the rounded score.
    return round2(total / this.weightSum);
  }

  /** exact scores host i with every plugin, summed in the framework's order as Framework.score does. */
  private exact(s: ScoreInput, i: number): void {
    const base = this.at[i] * this.names.length;
    let total = 0;
    s.framework.scorers.forEach(({ plugin, weight }, p) => {
      if (Number.isNaN(this.raw[base + p])) this.raw[base + p] = checked(plugin, plugin.score(this.cycle, s.state, s.j, i), i);
      total += weight * this.raw[base + p];
    });
    this.score[i] = round2(total / this.weightSum);
    this.scored++;
  }
}

/** checked: a plugin's score, which must lie in [0, MAX_SCORE] (as Framework.score enforces). */
function checked(plugin: ScorePlugin, v: number, i: number): number {
  if (!(v >= 0 && v <= MAX_SCORE)) throw new Error(`plugin ${plugin.name} scored host ${i} ${v}, outside [0, ${MAX_SCORE}]`);
  return v;
}

/** insertSorted puts host i into `best` (kept sorted by `order`, at most k long). */
function insertSorted(best: number[], i: number, order: HostOrder, k: number): void {
  let at = best.length;
  while (at > 0 && order(i, best[at - 1]) < 0) at--;
  if (at >= k) return;
  best.splice(at, 0, i);
  if (best.length > k) best.pop();
}
