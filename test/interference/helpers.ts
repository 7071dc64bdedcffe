export { bundledPredictor, loadCluster } from "../helpers/fixtures.js";
import { ALL_MECHANISMS, type Mechanisms } from "../../src/interference/core/scheduler-core.js";
import { Predictor } from "../../src/interference/predictor.js";
import { profileVm } from "../../src/interference/profile.js";
import { scoreHost } from "../../src/interference/score.js";
import type { Scenario } from "../../src/model/scenario.js";
import { drawRound, evalRound } from "../../src/interference/eval/compositions.js";
import { loadPredictor } from "../../src/io/calibration.js";
import { simulateHost } from "../../src/sim/simulate-host.js";
import { N_FEATURES } from "../../src/interference/correction.js";
import { MODEL_VERSION, type InterferenceModel } from "../../src/interference/model-data.js";
import { CALIBRATED_RANGE } from "../../src/interference/calibrate.js";

/**
 * plainModel: an interference model with no learned correction and no conformal margin, and a
 * baseline where the alone p99 and p99.9 are 2x and 3x the service time: tests of the mechanism
 * then see the core alone, independent of the shipped fit.
 */
export function plainModel(margin = 0): InterferenceModel {
  const rho = [0, 0.5, 0.99];
  const row = (x: number) => rho.map(() => x);
  const corr = () => ({ weights: new Array<number>(N_FEATURES).fill(0), fitMedianBefore: 0, fitMedianAfter: 0 });
  const conf = () => ({ coverage: 0.99, offsetUs: 0, contended: margin, quiet: margin, contendedCases: 100, quietCases: 100 });
  const core = () => ({ p999: corr(), p99: corr(), conformal999: conf(), conformal99: conf() });
  return {
    version: MODEL_VERSION,
    generatedBy: "test",
    fitSeeds: [1],
    conformalSeeds: [2],
    credit2ConformalSeeds: [3],
    sim: { durationMs: 1000, seedsPerCase: 1, fingerprint: "test" },
    baseline: { vcpus: [1, 2], rho, p99OverService: [row(2), row(2)], p999OverService: [row(3), row(3)] },
    cores: { credit1: core(), cfs: core(), credit2: core(), eevdf: core() },
    range: CALIBRATED_RANGE,
  };
}

/**
 * mechanismP999: the core's p99.9 for VM `id` (plainModel: no learned correction, no margin) with
 * the mechanisms `set` as given: the mechanism tests compare it with and without their term.
 */
export function mechanismP999(s: Scenario, id: string, set: Partial<Mechanisms>): number {
  const p = new Predictor(plainModel(), { ...ALL_MECHANISMS, ...set });
  return scoreHost(s.host, s.vms.map(profileVm), p).vms.find((v) => v.vmId === id)!.predictedP999Us;
}

/** shippedP999: VM `id`'s p99.9 from the shipped model with the mechanisms `set` as given (the rest on). */
export function shippedP999(s: Scenario, id: string, set: Partial<Mechanisms> = {}): number {
  const p = new Predictor(loadPredictor().model, { ...ALL_MECHANISMS, ...set });
  return scoreHost(s.host, s.vms.map(profileVm), p).vms.find((v) => v.vmId === id)!.predictedP999Us;
}

/**
 * roundHost: composition `id` of the frozen evaluation round `round` as a scenario of `durationMs`
 * after a 2 s warm-up at seed 7, with `extraCores` more cores: the mechanism tests' simulator edits.
 */
export function roundHost(round: string, id: string, extraCores = 0, durationMs = 8000): Scenario {
  const c = drawRound(evalRound(round)).find((x) => x.id === id);
  if (!c) throw new Error(`${round} has no ${id}`);
  return { ...c.scenario, host: { ...c.scenario.host, cores: c.scenario.host.cores + extraCores }, durationMs, warmupMs: 2000, seed: 7 };
}

/** simulatedP999: VM `id`'s simulated p99.9, one run at the scenario's seed, or the geometric mean over `seeds`. */
export function simulatedP999(s: Scenario, id: string, seeds?: readonly number[]): number {
  const at = (seed: number): number => simulateHost({ ...s, seed }).vms.find((v) => v.id === id)!.requestLatency.p999Us;
  if (!seeds) return at(s.seed);
  return Math.exp(seeds.reduce((sum, seed) => sum + Math.log(at(seed)), 0) / seeds.length);
}
