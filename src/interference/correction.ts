import type { Components } from "./core/host-mix.js";
import type { VictimTail } from "./core/tail.js";

/**
 * The learned correction's inputs: mechanistic quantities only, none of them the solved quantile
 * itself, so a feasibility question still costs one tail evaluation (the correction turns the SLO
 * into a threshold on the core's own tail). Order matters: the model file stores weights by index.
 */
export const FEATURES = [
  "bias",
  "ln P(all cores held)",
  "block | all held",
  "ln mean blocked wait (ms)",
  "excess runnable / cores",
  "hog share of load",
  "ln cores",
  "victim vCPUs - 1",
  "mixed victim",
  "ln(1 + requests per blocked wait)",
  "victim utilisation",
  "ln wait cap (ms)",
] as const;
export const N_FEATURES = FEATURES.length;

/** The correction never moves the core's delay by more than e^3 either way. */
const MAX_LOG_CORRECTION = 3;

/** features writes the correction inputs of one victim on one host into `z`. */
export function features(c: Components, v: VictimTail, hostCores: number, mixed: boolean, z: Float64Array): Float64Array {
  // The cores the victim shares: the host's, less those never-sleeping vCPUs keep (0 but on CFS).
  const cores = hostCores - c.keptCores;
  const waitMs = c.meanWaitUs / 1000;
  z[0] = 1;
  z[1] = Math.log(c.pFull + 1e-4);
  z[2] = c.blockGivenFull;
  z[3] = Math.log(waitMs + 0.1);
  z[4] = c.excess / cores;
  z[5] = c.hogShare;
  z[6] = Math.log(cores);
  z[7] = Math.min(3, v.vcpus - 1);
  z[8] = mixed ? 1 : 0;
  z[9] = Math.log(1 + v.lambdaUs * c.meanWaitUs);
  z[10] = v.rho;
  z[11] = Math.log((c.capUs * c.capRatio) / 1000 + 0.1);
  return z;
}

/**
 * The hot path splits weights . z into the host's part (the same for every io-only victim of a
 * query), the victim's own constant part (computed once per VM) and the one term mixing both;
 * splitCorrection(...) equals logCorrection(weights, features(...)) up to rounding.
 */
export function hostPart(w: readonly number[], h: Float64Array): number {
  return w[1] * h[1] + w[2] * h[2] + w[3] * h[3] + w[4] * h[4] + w[5] * h[5] + w[6] * h[6] + w[11] * h[11];
}

/** hostFeatures writes the host's features (the z entries hostPart reads) into `h`, once per query. */
export function hostFeatures(c: Components, hostCores: number, h: Float64Array): Float64Array {
  const cores = hostCores - c.keptCores;
  h[1] = Math.log(c.pFull + 1e-4);
  h[2] = c.blockGivenFull;
  h[3] = Math.log(c.meanWaitUs / 1000 + 0.1);
  h[4] = c.excess / cores;
  h[5] = c.hogShare;
  h[6] = logCores(cores);
  h[11] = logCap(c.capUs * c.capRatio);
  return h;
}

// A host's core count and (credit1, credit2, EEVDF) wait cap are fixed: two of the four logs of
// every what-if's host features, remembered (same argument, same value: the figures do not move).
const LOG_CORES: number[] = [];
function logCores(cores: number): number {
  return (LOG_CORES[cores] ??= Math.log(cores));
}
let lastCapUs = NaN;
let lastLogCap = NaN;
function logCap(capUs: number): number {
  if (capUs !== lastCapUs) {
    lastCapUs = capUs;
    lastLogCap = Math.log(capUs / 1000 + 0.1);
  }
  return lastLogCap;
}

/** victimPart: the victim's constant part of weights . z. */
export function victimPart(w: readonly number[], v: VictimTail, mixed: boolean): number {
  return w[0] + w[7] * Math.min(3, v.vcpus - 1) + w[8] * (mixed ? 1 : 0) + w[10] * v.rho;
}

/** loadFeature: the one feature mixing host and victim (z[9]), the same for both percentiles' corrections. */
export function loadFeature(c: Components, lambdaUs: number): number {
  return Math.log(1 + lambdaUs * c.meanWaitUs);
}

/** splitCorrection: the clamped correction from its parts (`load`: loadFeature). */
export function splitCorrection(w: readonly number[], host: number, victim: number, load: number): number {
  const f = host + victim + w[9] * load;
  return f > MAX_LOG_CORRECTION ? MAX_LOG_CORRECTION : f < -MAX_LOG_CORRECTION ? -MAX_LOG_CORRECTION : f;
}

/** logCorrection is weights . z, clamped. */
export function logCorrection(weights: readonly number[], z: Float64Array): number {
  let f = 0;
  for (let i = 0; i < weights.length; i++) f += weights[i] * z[i];
  return f > MAX_LOG_CORRECTION ? MAX_LOG_CORRECTION : f < -MAX_LOG_CORRECTION ? -MAX_LOG_CORRECTION : f;
}

/** corrected applies a correction to the core's quantile: the delay over the alone quantile scales. */
export function corrected(coreUs: number, aloneUs: number, logCorr: number): number {
  return coreUs <= aloneUs ? coreUs : aloneUs + (coreUs - aloneUs) * Math.exp(logCorr);
}

/** uncorrectedThreshold maps a target on the corrected quantile back onto the core's quantile. */
export function uncorrectedThreshold(targetUs: number, aloneUs: number, logCorr: number): number {
  return targetUs <= aloneUs ? targetUs : aloneUs + (targetUs - aloneUs) * Math.exp(-logCorr);
}
