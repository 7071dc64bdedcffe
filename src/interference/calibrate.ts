import type { HostSimResult } from "../model/scenario.js";
import { ScenarioSchema } from "../model/scenario.js";
import type { SimJob } from "../sim/runner.js";
import { CORE_NAMES, type CoreName } from "./core/scheduler-core.js";
import { drawAll, EVAL_SETS, EVERY_KIND, isEvalSeed, type Composition, type CompositionSet } from "./eval/compositions.js";
import { fnv1a, median, simFingerprint } from "./eval/reference.js";
import { absLogErrors, fitCorrection, type FitSample } from "./fit.js";
import { HostState } from "./host-state.js";
import { N_FEATURES } from "./correction.js";
import { MODEL_VERSION, type BaselineTable, type CalibratedRange, type CoreModel, type InterferenceModel } from "./model-data.js";
import { Predictor, QUIET_P_FULL, newPrediction } from "./predictor.js";
import { profileVm } from "./profile.js";

/**
 * The calibration sweep behind the shipped model, reproducible from its spec: compositions drawn
 * by the accuracy protocol's generator from fitting seeds (never its evaluation seeds), each
 * simulated `seedsPerCase` times; a disjoint draw (conformal seeds) held out to size the bound;
 * and the victim-alone baseline. Everything here is pure: the runner does the simulating.
 */
export interface CalibrationSpec {
  readonly fitSeeds: readonly number[];
  readonly conformalSeeds: readonly number[];
  /**
   * More held-out seeds, drawn for credit2's sets only: its contended margin was sized on the
   * largest one or two residuals of 260 victims, and credit2 hosts are the cheapest to simulate
   * (a few percent of the sweep's time per seed).
   */
  readonly credit2ConformalSeeds: readonly number[];
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly seedsPerCase: number;
  /** Coverage the bound is sized for (0.995: at or above the simulated p99.9 on 99.5% of such hosts). */
  readonly coverage: number;
  /** The conformal score's offset, µs (model-data.ts ConformalSchema). */
  readonly offsetUs: number;
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

/**
 * DEFAULT_SPEC is the spec of data/interference/model-v15.json (whose sweep also draws the packed
 * sets; model-v9's did not). The bound is sized for 99.5% so that it covers 99% on a finite set
 * of hosts: splitting the held-out hosts in halves 200 times (fitting side only), a 99% quantile from one half covered >= 99% of the other's contended hosts
 * in 47% of the splits, a 99.5% one in 84-87%. A score relative to (estimate + 500 µs) rather than
 * to the estimate kept that and narrowed the median bound from x2.8 to x2.4 of the estimate: the
 * widest ratios were hosts predicted near their alone latency (offsets 0, 200, 500, 1000 µs tried,
 * same split study).
 */
export const DEFAULT_SPEC: CalibrationSpec = { fitSeeds: range(1, 40), conformalSeeds: range(1001, 40), credit2ConformalSeeds: range(1041, 80), durationMs: 30_000, warmupMs: 2000, seedsPerCase: 3, coverage: 0.995, offsetUs: 500 };

/**
 * specFromSeed: `count` fitting and `count` conformal generator seeds from a base seed, and twice
 * as many credit2-only conformal seeds after those (none when the base has none), as DEFAULT_SPEC.
 */
export function specFromSeed(seed: number, count: number, base: CalibrationSpec = DEFAULT_SPEC): CalibrationSpec {
  const credit2 = base.credit2ConformalSeeds.length > 0 ? range(seed + 1000 + count, 2 * count) : [];
  return { ...base, fitSeeds: range(seed, count), conformalSeeds: range(seed + 1000, count), credit2ConformalSeeds: credit2 };
}

/** The sets the credit2-only conformal seeds draw (the protocol's credit2 sets). */
const CREDIT2_SETS = EVAL_SETS.filter((s) => s.schedulers?.every((x) => x.kind === "xen-credit2"));

/**
 * Packed hosts for the sweep (model-v10): drawn as the accuracy protocol's packed sets draw
 * (eval/packed.ts: the placer's hosts, many io and mixed VMs up to twice the cores in vCPUs),
 * from the fitting and conformal seeds, so the correction is fitted on and the margins are sized
 * over the regime the placer makes. Three hosts per seed, every scheduler in rotation: 120 fitting
 * and 120 held-out hosts, a few percent of the sweep's simulated time.
 */
export const PACKED_CALIBRATION_SETS: readonly CompositionSet[] = [
  { name: "packed-cal", kind: "packed", cores: [8, 16, 32], perSeed: 3, schedulers: EVERY_KIND },
];

/** The baseline grid: victims alone at these per-vCPU utilisations, with 1..4 vCPUs. */
export const BASELINE_RHO = [0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
export const BASELINE_VCPUS = [1, 2, 3, 4];
const BASELINE_SERVICE_US = 100;

/** CALIBRATED_RANGE is what the generator draws (eval/compositions.ts). */
export const CALIBRATED_RANGE: CalibratedRange = {
  cores: [4, 32],
  burstMs: [2, 30],
  duty: [0.3, 1],
  victimVcpus: [1, 2],
  requestsPerSec: [250, 2000],
  serviceUs: [30, 200],
  timesliceMs: [5, 30],
  maxOverCores: 4,
};

export interface CalibrationPlan {
  readonly spec: CalibrationSpec;
  readonly fit: Composition[];
  readonly conformal: Composition[];
  readonly jobs: SimJob[];
}

function runSeed(c: Composition, k: number): number {
  return Number.parseInt(fnv1a(`calibrate|${c.id}|${k}`), 16) & 0x7fffffff;
}

/** calibrationPlan lists every simulation: fitting hosts, conformal hosts, then the baseline. */
export function calibrationPlan(spec: CalibrationSpec): CalibrationPlan {
  const bad = [...spec.fitSeeds, ...spec.conformalSeeds, ...spec.credit2ConformalSeeds].filter(isEvalSeed);
  if (bad.length > 0) throw new Error(`calibration seeds ${bad.join(", ")} are evaluation seeds: the protocol forbids fitting on them`);
  const held = [...spec.conformalSeeds, ...spec.credit2ConformalSeeds];
  if (spec.fitSeeds.some((s) => held.includes(s))) throw new Error("calibration: fitting and conformal seeds must differ");
  // The credit2 sets of a seed in both conformal lists would be the same hosts twice.
  if (spec.credit2ConformalSeeds.some((s) => spec.conformalSeeds.includes(s))) throw new Error("calibration: conformal and credit2 conformal seeds must differ");
  const fit = [...drawAll(spec.fitSeeds, EVAL_SETS), ...drawAll(spec.fitSeeds, PACKED_CALIBRATION_SETS)];
  const conformal = [...drawAll(spec.conformalSeeds, EVAL_SETS), ...drawAll(spec.credit2ConformalSeeds, CREDIT2_SETS), ...drawAll(spec.conformalSeeds, PACKED_CALIBRATION_SETS)];
  const hostJobs = [...fit, ...conformal].flatMap((c) =>
    range(0, spec.seedsPerCase).map((k) => ({ scenario: { ...c.scenario, durationMs: spec.durationMs, warmupMs: spec.warmupMs, seed: runSeed(c, k) } })),
  );
  return { spec, fit, conformal, jobs: [...hostJobs, ...baselineJobs(spec)] };
}

function baselineJobs(spec: CalibrationSpec): SimJob[] {
  return BASELINE_VCPUS.flatMap((m) =>
    BASELINE_RHO.flatMap((rho) =>
      range(0, spec.seedsPerCase).map((k) => ({
        scenario: ScenarioSchema.parse({
          host: { id: `baseline-${m}`, cores: 8, memoryMiB: 1024, scheduler: { kind: "kvm-cfs" } },
          vms: [{ id: "victim", vcpus: m, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: (rho * m * 1e6) / BASELINE_SERVICE_US, serviceUs: BASELINE_SERVICE_US } }],
          durationMs: spec.durationMs,
          warmupMs: spec.warmupMs,
          seed: Number.parseInt(fnv1a(`baseline|${m}|${rho}|${k}`), 16) & 0x7fffffff,
        }),
      })),
    ),
  );
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function baselineOf(spec: CalibrationSpec, results: readonly HostSimResult[]): BaselineTable {
  const k = spec.seedsPerCase;
  let i = 0;
  const p99: number[][] = [];
  const p999: number[][] = [];
  for (const _m of BASELINE_VCPUS) {
    const r99: number[] = [];
    const r999: number[] = [];
    for (const _rho of BASELINE_RHO) {
      const rs = results.slice(i, i + k).map((r) => r.vms[0].requestLatency);
      i += k;
      r99.push(round3(median(rs.map((x) => x.p99Us)) / BASELINE_SERVICE_US));
      r999.push(round3(median(rs.map((x) => x.p999Us)) / BASELINE_SERVICE_US));
    }
    p99.push(r99);
    p999.push(r999);
  }
  return { vcpus: BASELINE_VCPUS, rho: BASELINE_RHO, p99OverService: p99, p999OverService: p999 };
}

/** SimCase: one victim of one calibration host with its simulated percentiles (medians over runs). */
interface SimCase {
  readonly comp: Composition;
  readonly victim: string;
  readonly simUs: [number, number];
}

function casesOf(comps: readonly Composition[], results: readonly HostSimResult[], k: number): SimCase[] {
  return comps.flatMap((comp, i) =>
    comp.victims.map((victim) => {
      const runs = results.slice(i * k, (i + 1) * k).map((r) => r.vms.find((v) => v.id === victim)?.requestLatency);
      if (runs.some((r) => r === undefined)) throw new Error(`calibration: victim ${victim} of ${comp.id} missing`);
      return { comp, victim, simUs: [median(runs.map((r) => r!.p99Us)), median(runs.map((r) => r!.p999Us))] as [number, number] };
    }),
  );
}

/** Placeholder core data: no correction, no margin (the fit starts from it). */
function blankCore(): CoreModel {
  const corr = { weights: new Array<number>(N_FEATURES).fill(0), fitMedianBefore: 0, fitMedianAfter: 0 };
  const conf = { coverage: 0, offsetUs: 0, contended: 0, quiet: 0, contendedCases: 0, quietCases: 0 };
  return { p999: { ...corr }, p99: { ...corr, weights: [...corr.weights] }, conformal999: { ...conf }, conformal99: { ...conf } };
}

/** hostOf builds one case's host and returns its state and the victim (as score does). */
function stateOf(pred: Predictor, c: SimCase): { hs: HostState; victim: NonNullable<ReturnType<Predictor["victim"]>> } {
  const hs = new HostState(c.comp.scenario.host, pred);
  let victim: ReturnType<Predictor["victim"]>;
  for (const vm of c.comp.scenario.vms) {
    const p = profileVm(vm);
    const v = pred.victim(p);
    hs.add(p, v);
    if (vm.id === c.victim) victim = v;
  }
  if (!victim) throw new Error(`calibration: ${c.victim} is not latency-sensitive`);
  return { hs, victim };
}

/**
 * conformalQuantile: the ceil((n + 1) c)-th smallest residual ln(sim / estimate) (split
 * conformal); with too few cases for that rank, the largest residual plus its distance to the
 * runner-up, so a thin stratum gets a wider margin rather than a made-up one.
 */
export function conformalQuantile(residuals: readonly number[], coverage: number): number {
  const s = [...residuals].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return 1;
  const rank = Math.ceil((n + 1) * coverage);
  if (rank <= n) return Math.max(0, s[rank - 1]);
  return Math.max(0, s[n - 1] + (n > 1 ? s[n - 1] - s[n - 2] : 1));
}

/**
 * assembleModel fits the model from the plan's results (in plan order): the baseline first, then
 * each core's corrections on the fitting hosts, then the conformal margins on the held-out hosts
 * with those corrections in place.
 */
export function assembleModel(plan: CalibrationPlan, results: readonly HostSimResult[]): InterferenceModel {
  const { spec } = plan;
  const k = spec.seedsPerCase;
  const nHost = (plan.fit.length + plan.conformal.length) * k;
  const model: InterferenceModel = {
    version: MODEL_VERSION,
    generatedBy: "vmplace calibrate",
    fitSeeds: [...spec.fitSeeds],
    conformalSeeds: [...spec.conformalSeeds],
    credit2ConformalSeeds: [...spec.credit2ConformalSeeds],
    sim: { durationMs: spec.durationMs, seedsPerCase: k, fingerprint: simFingerprint() },
    baseline: baselineOf(spec, results.slice(nHost)),
    cores: { credit1: blankCore(), cfs: blankCore(), credit2: blankCore(), eevdf: blankCore() },
    range: CALIBRATED_RANGE,
  };
  refitCores(model, spec, plan.fit, plan.conformal, results.slice(0, nHost));
  return model;
}

/**
 * refitCores fits, in place, the cores of `model` that the given hosts exercise (results: the
 * fitting hosts' runs, then the held-out hosts', seedsPerCase each, as calibrationPlan lists
 * them); other cores keep their data. Each core is fitted on its own hosts only, so fitting the
 * hosts of one scheduler alone gives that core what a full sweep gives it.
 */
export function refitCores(model: InterferenceModel, spec: CalibrationSpec, fit: readonly Composition[], conformal: readonly Composition[], results: readonly HostSimResult[]): void {
  const k = spec.seedsPerCase;
  if (results.length !== (fit.length + conformal.length) * k) throw new Error(`calibration: ${results.length} results for ${fit.length + conformal.length} hosts`);
  fitCorrections(model, casesOf(fit, results.slice(0, fit.length * k), k));
  conformalMargins(model, casesOf(conformal, results.slice(fit.length * k), k), spec.coverage, spec.offsetUs);
}

function fitCorrections(model: InterferenceModel, cases: readonly SimCase[]): void {
  const pred = new Predictor(model);
  const samples = Object.fromEntries(CORE_NAMES.map((n) => [n, [[] as FitSample[], [] as FitSample[]]])) as Record<CoreName, [FitSample[], FitSample[]]>;
  for (const c of cases) {
    const { hs, victim } = stateOf(pred, c);
    const t = pred.coreTerms(hs.model, hs.mix, victim);
    for (const pct of [0, 1]) samples[hs.model.core.name][pct].push({ z: t.z, coreUs: t.coreUs[pct], aloneUs: t.aloneUs[pct], simUs: c.simUs[pct] });
  }
  for (const name of CORE_NAMES) {
    const core = model.cores[name];
    if (samples[name][1].length === 0) continue;
    for (const pct of [0, 1]) {
      const s = samples[name][pct];
      const w = fitCorrection(s, N_FEATURES);
      const before = median(absLogErrors(s, new Array<number>(N_FEATURES).fill(0)));
      const after = median(absLogErrors(s, w));
      const target = pct === 1 ? core.p999 : core.p99;
      target.weights = w;
      target.fitMedianBefore = round3(before);
      target.fitMedianAfter = round3(after);
    }
  }
}

function conformalMargins(model: InterferenceModel, cases: readonly SimCase[], coverage: number, offsetUs: number): void {
  const pred = new Predictor(model);
  const res = Object.fromEntries(CORE_NAMES.map((n) => [n, [0, 1].map(() => ({ quiet: [] as number[], contended: [] as number[] }))])) as Record<CoreName, { quiet: number[]; contended: number[] }[]>;
  const out = newPrediction();
  for (const c of cases) {
    const { hs, victim } = stateOf(pred, c);
    // The raw estimate: a calibration host is inside the calibrated range by construction.
    hs.predictVictim(victim, out);
    const stratum = out.pFull < QUIET_P_FULL ? "quiet" : "contended";
    for (const pct of [0, 1]) res[hs.model.core.name][pct][stratum].push(Math.log((c.simUs[pct] + offsetUs) / (out.estimateUs[pct] + offsetUs)));
  }
  for (const name of CORE_NAMES)
    for (const pct of [0, 1]) {
      const r = res[name][pct];
      if (r.contended.length + r.quiet.length === 0) continue;
      const conf = { coverage, offsetUs, contended: round3(conformalQuantile(r.contended, coverage)), quiet: round3(conformalQuantile(r.quiet, coverage)), contendedCases: r.contended.length, quietCases: r.quiet.length };
      if (pct === 1) model.cores[name].conformal999 = conf;
      else model.cores[name].conformal99 = conf;
    }
}
