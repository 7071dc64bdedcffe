import { describe, expect, test } from "vitest";
import { drawRound, evalRound } from "../../../src/interference/eval/compositions.js";
import { ALL_MECHANISMS, type Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import { Predictor } from "../../../src/interference/predictor.js";
import { profileVm } from "../../../src/interference/profile.js";
import { scoreHost } from "../../../src/interference/score.js";
import { loadPredictor } from "../../../src/io/calibration.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { simulatedP999 } from "../helpers.js";

/**
 * Mechanisms.cfsLightFullHome (prototype, off in ALL_MECHANISMS; docs/accuracy.md, "CFS's
 * contended p90 (session 15)"): holdout-12's contended/10015/16, 16 CPUs, 4 hog vCPUs and 11
 * sleepers (6.8 cores of mean demand): 4-5 cores of headroom that light vCPUs serving or
 * halt-polling fill now and then. Its 2-vCPU io victim then lands on its home CPU behind a
 * CPU-bound runner and waits for a light vCPU's core to go idle; the shipped core counts that
 * runner as not blocking and, with the shipped model's fitted data (the correction zeroed reads
 * the same), predicts about the victim's alone latency.
 */
function shippedP999(s: Scenario, id: string, set: Partial<Mechanisms>): number {
  const p = new Predictor(loadPredictor().model, { ...ALL_MECHANISMS, ...set });
  return scoreHost(s.host, s.vms.map(profileVm), p).vms.find((v) => v.vmId === id)!.predictedP999Us;
}

function host(): Scenario {
  const c = drawRound(evalRound("holdout-12")).find((x) => x.id === "contended/10015/16");
  if (!c) throw new Error("holdout-12 has no contended/10015/16");
  return { ...c.scenario, durationMs: 10_000, warmupMs: 2000, seed: 7 };
}

describe("CFS light-full host: a CPU-bound home runner blocks the io waker", () => {
  test("the term lifts the blind estimate toward the simulator's, and off it is the shipped core's", () => {
    const s = host();
    const sim = simulatedP999(s, "victim-1", [7, 8]);
    const off = shippedP999(s, "victim-1", { cfsLightFullHome: false });
    const on = shippedP999(s, "victim-1", { cfsLightFullHome: true });
    expect(sim).toBeGreaterThan(150);
    expect(off, `without: ${off} against ${sim}`).toBeLessThan(0.4 * sim);
    expect(scoreHost(s.host, s.vms.map(profileVm), loadPredictor()).vms.find((v) => v.vmId === "victim-1")!.predictedP999Us).toBe(off);
    expect(on, `with: ${on} against ${sim}`).toBeGreaterThan(1.5 * off);
    expect(on, `with: ${on} against ${sim}`).toBeLessThan(1.5 * sim);
  }, 60_000);

  test("four more CPUs: the simulator's waits vanish and the term adds nothing", () => {
    const s = host();
    const wide = { ...s, host: { ...s.host, cores: s.host.cores + 4 } };
    expect(simulatedP999(wide, "victim-1")).toBeLessThan(60);
    expect(shippedP999(wide, "victim-1", { cfsLightFullHome: true })).toBeCloseTo(shippedP999(wide, "victim-1", { cfsLightFullHome: false }), 0);
  }, 60_000);
});
