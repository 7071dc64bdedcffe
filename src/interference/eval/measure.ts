import { schedulerLabel } from "./compositions.js";
import type { ReferenceCase } from "./reference.js";
import { absLog, isUnsafeMiss, quantile, spearman } from "./stats.js";

/** Prediction is what a predictor says of one victim: an estimate and, optionally, a bound. */
export interface Prediction {
  readonly estimateUs: number;
  readonly boundUs?: number;
}

/** GroupStats are the protocol's figures for one group of cases. */
export interface GroupStats {
  readonly group: string;
  readonly cases: number;
  readonly compositions: number;
  readonly medianAbsLog: number;
  readonly p90AbsLog: number;
  readonly spearman: number;
  /** Share of cases whose bound is at or above the reference (undefined without bounds). */
  readonly coverage?: number;
  readonly unsafeMisses: number;
  /** |ln(A/B)| of two independent references of the same compositions. */
  readonly noiseMedian: number;
  readonly noiseP90: number;
}

export interface ScoredCase extends ReferenceCase, Prediction {}

/**
 * groupsOf names the groups a case belongs to: its class overall, its class per scheduler (every
 * set and setting of that scheduler: the per-scheduler figures) and its set per setting.
 */
export function groupsOf(c: ReferenceCase): string[] {
  const sched = c.composition.scenario.host.scheduler;
  return [`${c.composition.kind} (all)`, `${c.composition.kind} ${sched.kind} (all)`, `${c.composition.set} ${schedulerLabel(sched)}`];
}

/** statsOf computes one group's figures. */
export function statsOf(group: string, cases: readonly ScoredCase[]): GroupStats {
  const errs = cases.map((c) => absLog(c.estimateUs, c.simP999Us));
  const noise = cases.map((c) => absLog(c.simP999BUs, c.simP999Us));
  const bounded = cases.filter((c) => c.boundUs !== undefined);
  return {
    group,
    cases: cases.length,
    compositions: new Set(cases.map((c) => c.composition.id)).size,
    medianAbsLog: quantile(errs, 0.5),
    p90AbsLog: quantile(errs, 0.9),
    spearman: spearman(cases.map((c) => c.estimateUs), cases.map((c) => c.simP999Us)),
    coverage: bounded.length > 0 ? bounded.filter((c) => (c.boundUs as number) >= c.simP999Us).length / bounded.length : undefined,
    unsafeMisses: cases.filter((c) => isUnsafeMiss(c.estimateUs, c.simP999Us)).length,
    noiseMedian: quantile(noise, 0.5),
    noiseP90: quantile(noise, 0.9),
  };
}

/** measure scores every case and groups the figures (class totals first, then set x scheduler). */
export function measure(cases: readonly ReferenceCase[], predict: (c: ReferenceCase) => Prediction): { groups: GroupStats[]; cases: ScoredCase[] } {
  const scored = cases.map((c): ScoredCase => ({ ...c, ...predict(c) }));
  const by = new Map<string, ScoredCase[]>();
  for (const c of scored) for (const g of groupsOf(c)) by.set(g, [...(by.get(g) ?? []), c]);
  const names = [...by.keys()].sort((a, b) => Number(!a.includes("(all)")) - Number(!b.includes("(all)")) || (a < b ? -1 : a > b ? 1 : 0));
  return { groups: names.map((g) => statsOf(g, by.get(g) as ScoredCase[])), cases: scored };
}

/** renderGroups prints the figures as a fixed-width table. */
export function renderGroups(groups: readonly GroupStats[]): string {
  const head = "group                             victims hosts  median|ln|  p90|ln|  Spearman  coverage  unsafe  noise med/p90";
  const rows = groups.map((g) =>
    [
      g.group.padEnd(33),
      String(g.cases).padStart(7),
      String(g.compositions).padStart(6),
      g.medianAbsLog.toFixed(3).padStart(11),
      g.p90AbsLog.toFixed(3).padStart(8),
      g.spearman.toFixed(3).padStart(9),
      (g.coverage === undefined ? "-" : `${(g.coverage * 100).toFixed(1)}%`).padStart(9),
      String(g.unsafeMisses).padStart(7),
      `  ${g.noiseMedian.toFixed(3)}/${g.noiseP90.toFixed(3)}`,
    ].join(" "),
  );
  return [head, ...rows].join("\n");
}
