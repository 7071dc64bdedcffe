import { corrected } from "./correction.js";

/** FitSample: one victim of one fitting host, seen by the uncorrected core and by the simulator. */
export interface FitSample {
  readonly z: Float64Array;
  readonly coreUs: number;
  readonly aloneUs: number;
  readonly simUs: number;
}

/** Loss scale: residuals beyond this |ln| count linearly (Huber), so a few noisy hosts do not steer the fit. */
const HUBER = 0.3;
const RIDGE = 1e-3;

function residual(s: FitSample, w: readonly number[]): { r: number; g: number } {
  let f = 0;
  for (let i = 0; i < w.length; i++) f += w[i] * s.z[i];
  const est = corrected(s.coreUs, s.aloneUs, f);
  const r = Math.log(Math.max(1, est) / Math.max(1, s.simUs));
  // d ln(est) / d f: the share of the estimate that is corrected delay.
  const g = s.coreUs <= s.aloneUs ? 0 : ((s.coreUs - s.aloneUs) * Math.exp(f)) / est;
  return { r, g };
}

/**
 * fitCorrection finds the weights of the log-delay correction that make the corrected core match
 * the simulated percentiles: iteratively reweighted (Huber) Gauss-Newton with a small ridge,
 * Levenberg damping when a step does not lower the loss. Deterministic: no random restarts.
 */
export function fitCorrection(samples: readonly FitSample[], nFeatures: number, iterations = 40): number[] {
  let w = new Array<number>(nFeatures).fill(0);
  let lambda = 1e-2;
  let loss = lossOf(samples, w);
  for (let it = 0; it < iterations; it++) {
    const A = Array.from({ length: nFeatures }, () => new Float64Array(nFeatures));
    const b = new Float64Array(nFeatures);
    for (const s of samples) {
      const { r, g } = residual(s, w);
      if (g === 0) continue;
      const hw = Math.abs(r) <= HUBER ? 1 : HUBER / Math.abs(r);
      for (let i = 0; i < nFeatures; i++) {
        const ji = g * s.z[i];
        b[i] += hw * ji * r;
        for (let k = 0; k <= i; k++) A[i][k] += hw * ji * g * s.z[k];
      }
    }
    for (let i = 0; i < nFeatures; i++) for (let k = 0; k < i; k++) A[k][i] = A[i][k];
    let improved = false;
    for (let tries = 0; tries < 8 && !improved; tries++) {
      const M = A.map((row, i) => Float64Array.from(row, (x, k) => x + (i === k ? lambda * (1 + x) + RIDGE * samples.length : 0)));
      const rhs = Float64Array.from(b, (x, i) => -x - RIDGE * samples.length * w[i]);
      const step = solve(M, rhs);
      const next = w.map((x, i) => x + step[i]);
      const l = lossOf(samples, next);
      if (l < loss) {
        w = next;
        loss = l;
        lambda = Math.max(1e-6, lambda / 3);
        improved = true;
      } else lambda *= 4;
    }
    if (!improved) break;
  }
  return w.map((x) => Math.round(x * 1e6) / 1e6);
}

/** lossOf: Huber loss of the log residuals plus the ridge term. */
export function lossOf(samples: readonly FitSample[], w: readonly number[]): number {
  let l = 0;
  for (const s of samples) {
    const a = Math.abs(residual(s, w).r);
    l += a <= HUBER ? (a * a) / 2 : HUBER * (a - HUBER / 2);
  }
  let ridge = 0;
  for (const x of w) ridge += x * x;
  return l + (RIDGE * samples.length * ridge) / 2;
}

/** absLogErrors: |ln(corrected / simulated)| per sample under weights w. */
export function absLogErrors(samples: readonly FitSample[], w: readonly number[]): number[] {
  return samples.map((s) => Math.abs(residual(s, w).r));
}

/** solve: Gaussian elimination with partial pivoting (n is a dozen). */
function solve(A: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const M = A.map((row, i) => {
    const r = new Float64Array(n + 1);
    r.set(row);
    r[n] = b[i];
    return r;
  });
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    const d = M[c][c] || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / d;
      if (f !== 0) for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / (M[r][r] || 1e-12);
  }
  return x;
}
