import { describe, expect, test } from "vitest";
import { drawAll, EVAL_SEEDS } from "../../src/interference/eval/compositions.js";
import { measure, type GroupStats } from "../../src/interference/eval/measure.js";
import { predictWithScore } from "../../src/interference/eval/predict.js";
import { referenceCases } from "../../src/interference/eval/reference.js";
import { spearman } from "../../src/interference/eval/stats.js";
import { Predictor } from "../../src/interference/predictor.js";
import { ALL_MECHANISMS } from "../../src/interference/core/scheduler-core.js";
import { loadReference } from "../../src/io/accuracy-reference.js";
import { bundledPredictor } from "./helpers.js";

// The frozen evaluation compositions (EVAL_SEEDS, committed before the predictor was tuned and
// never fitted on) against their cached simulated reference; test/interference/eval checks that
// the cache still matches the simulator.
const cases = referenceCases(drawAll(EVAL_SEEDS), loadReference("data/interference/accuracy-reference-v1.json"));

function groups(p: Predictor): Map<string, GroupStats> {
  return new Map(measure(cases, predictWithScore(p)).groups.map((g) => [g.group, g]));
}

const detail = (g: GroupStats | undefined): string => JSON.stringify(g);

describe("predictor accuracy on the frozen evaluation compositions", () => {
  const all = groups(bundledPredictor());
  const contended = all.get("contended (all)");
  const quiet = all.get("uncontended (all)");

  test("covers every evaluation seed, >= 200 contended hosts", () => {
    expect(new Set(cases.map((c) => c.composition.id.split("/")[1])).size).toBe(EVAL_SEEDS.length);
    expect(contended?.compositions).toBeGreaterThanOrEqual(200);
  });

  // Issue 12's goals, on every scheduler's frozen hosts together and per scheduler. Not met, so not
  // asserted (the bench prints them as NOT met): credit2's p90 (0.52) and its one unsafe miss
  // (hence the unsafe count of all hosts together), and CFS's p90 on its own (0.41; the 32-core
  // hosts are in it).
  test("contended, all schedulers: median |ln(pred/sim)| <= 0.15, p90 <= 0.40, bound coverage >= 99%", () => {
    expect(contended?.medianAbsLog, detail(contended)).toBeLessThanOrEqual(0.15);
    expect(contended?.p90AbsLog, detail(contended)).toBeLessThanOrEqual(0.4);
    expect(contended?.coverage, detail(contended)).toBeGreaterThanOrEqual(0.99);
  });

  test.each(["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"])("contended %s, on its own core and fit: median <= 0.15, coverage >= 99%", (kind) => {
    const g = all.get(`contended ${kind} (all)`);
    expect(g?.compositions, kind).toBeGreaterThanOrEqual(90);
    expect(g?.medianAbsLog, detail(g)).toBeLessThanOrEqual(0.15);
    expect(g?.coverage, detail(g)).toBeGreaterThanOrEqual(0.99);
  });

  test.each(["xen-credit", "kvm-eevdf"])("contended %s meets every goal: p90 <= 0.40 and no unsafe miss too", (kind) => {
    const g = all.get(`contended ${kind} (all)`);
    expect(g?.p90AbsLog, detail(g)).toBeLessThanOrEqual(0.4);
    expect(g?.unsafeMisses, detail(g)).toBe(0);
  });

  test("no unsafe miss on credit1, CFS or EEVDF hosts", () => {
    for (const kind of ["xen-credit", "kvm-cfs", "kvm-eevdf"]) expect(all.get(`contended ${kind} (all)`)?.unsafeMisses, kind).toBe(0);
  });

  test.each(["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"])("uncontended %s: median <= 0.10, bound coverage >= 99%, no unsafe miss", (kind) => {
    const g = all.get(`uncontended ${kind} (all)`);
    expect(g?.medianAbsLog, detail(g)).toBeLessThanOrEqual(0.1);
    expect(g?.coverage, detail(g)).toBeGreaterThanOrEqual(0.99);
    expect(g?.unsafeMisses, detail(g)).toBe(0);
  });

  test("uncontended, all schedulers: median |ln(pred/sim)| <= 0.10, bound coverage >= 99%, no unsafe miss", () => {
    expect(quiet?.medianAbsLog, detail(quiet)).toBeLessThanOrEqual(0.1);
    expect(quiet?.coverage, detail(quiet)).toBeGreaterThanOrEqual(0.99);
    expect(quiet?.unsafeMisses, detail(quiet)).toBe(0);
  });

  // The assertion above is not vacuous: the goals fail with any of these mechanisms switched off
  // (same fitted model). Replacing the Poisson-binomial by a binomial at the mean duty does NOT
  // fail them on these hosts (median 0.050, p90 0.328 when measured): duties of 0.3-1.0 are not
  // spread enough for it to matter here; occupancy.test.ts shows where it does.
  test.each([
    ["partial blocking (credit1 ticks un-boosting runners, CFS runners fresh only briefly)", { partialBlock: false }],
    ["other cores stealing or pulling the blocked victim", { steals: false }],
    ["requests queueing behind a blocked wake (the victim's own load)", { victimLoad: false }],
    ["light vCPUs taking the last core", { lightRunners: false }],
  ])("fails without %s", (_name, off) => {
    // On credit1's hosts, which meet every goal with all mechanisms on.
    const g = groups(new Predictor(bundledPredictor().model, { ...ALL_MECHANISMS, ...off })).get("contended xen-credit (all)");
    const meets = (g?.medianAbsLog ?? 1) <= 0.15 && (g?.p90AbsLog ?? 1) <= 0.4 && (g?.coverage ?? 0) >= 0.99 && g?.unsafeMisses === 0;
    expect(meets, detail(g)).toBe(false);
  });

  test("spearman handles ties and reversed orders", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 9);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 9);
    expect(spearman([1, 1, 2], [5, 5, 9])).toBeCloseTo(1, 9);
  });
});
