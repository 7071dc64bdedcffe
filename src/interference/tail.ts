/**
 * A latency distribution's upper tail, as points (p, us): P(latency > us) = p. Between points
 * log p is linear in us (an exponential tail piece by piece); beyond the last point the last
 * piece's slope goes on, and before the first the first piece's slope, capped at 1. Fan-out
 * needs a member's tail further out than its own SLO (a fan-out of 100 at p99 reads each member
 * near p99.99), so the extrapolation is the model's assumption and reports say where it is used.
 */
export interface TailPoint {
  /** Exceedance probability, in (0, 1). */
  readonly p: number;
  readonly us: number;
}

/** TailCurve: points with p strictly decreasing and us non-decreasing. */
export type TailCurve = readonly TailPoint[];

/**
 * predictedTail: the tail through a predicted p99 and p99.9 (the predictor's two request
 * percentiles). A p99.9 at the p99 (no spread) makes a step: nothing above it.
 */
export function predictedTail(p99Us: number, p999Us: number): TailCurve {
  return [
    { p: 0.01, us: p99Us },
    { p: 0.001, us: Math.max(p99Us, p999Us) },
  ];
}

/**
 * predictedExceedance: P(latency > tUs) on predictedTail(p99Us, p999Us), without allocating (the
 * placer's hot path asks it for every service member on a host it considers).
 */
export function predictedExceedance(p99Us: number, p999Us: number, tUs: number): number {
  const spread = p999Us - p99Us;
  // A step, as exceedance() reads predictedTail's two equal points.
  if (!(spread > 0)) return tUs < p99Us ? 1 : tUs > p99Us ? 0 : 0.001;
  return Math.min(1, 0.01 * 10 ** (-(tUs - p99Us) / spread));
}

/** exceedance: P(latency > tUs) on a curve (see the file comment for between and beyond points). */
export function exceedance(curve: TailCurve, tUs: number): number {
  const n = curve.length;
  if (n === 0) return 0;
  if (tUs < curve[0].us) {
    const s = firstSlope(curve);
    return s === undefined ? 1 : Math.min(1, 10 ** (Math.log10(curve[0].p) + (curve[0].us - tUs) * s));
  }
  let k = 0;
  while (k + 1 < n && curve[k + 1].us <= tUs) k++;
  if (k + 1 < n) return logInterp(curve[k], curve[k + 1], tUs);
  const s = lastSlope(curve);
  if (s === undefined) return tUs > curve[k].us ? 0 : curve[k].p;
  return 10 ** (Math.log10(curve[k].p) - (tUs - curve[k].us) * s);
}

/** quantileOf: the latency exceeded with probability p (the inverse of exceedance). */
export function quantileOf(curve: TailCurve, p: number): number {
  const n = curve.length;
  if (n === 0) return 0;
  if (p >= curve[0].p) {
    const s = firstSlope(curve);
    return s === undefined ? curve[0].us : Math.max(0, curve[0].us - (Math.log10(p) - Math.log10(curve[0].p)) / s);
  }
  for (let k = 0; k + 1 < n; k++) {
    const a = curve[k];
    const b = curve[k + 1];
    if (p >= b.p) return a.us + ((Math.log10(a.p) - Math.log10(p)) / (Math.log10(a.p) - Math.log10(b.p))) * (b.us - a.us);
  }
  const s = lastSlope(curve);
  const last = curve[n - 1];
  return s === undefined ? last.us : last.us + (Math.log10(last.p) - Math.log10(p)) / s;
}

/** Decades of exceedance per µs of the first piece that rises (undefined: none does). */
function firstSlope(c: TailCurve): number | undefined {
  for (let k = 0; k + 1 < c.length; k++) if (c[k + 1].us > c[k].us) return slope(c[k], c[k + 1]);
  return undefined;
}

function lastSlope(c: TailCurve): number | undefined {
  for (let k = c.length - 1; k > 0; k--) if (c[k].us > c[k - 1].us) return slope(c[k - 1], c[k]);
  return undefined;
}

function slope(a: TailPoint, b: TailPoint): number {
  return (Math.log10(a.p) - Math.log10(b.p)) / (b.us - a.us);
}

function logInterp(a: TailPoint, b: TailPoint, tUs: number): number {
  const t = (tUs - a.us) / (b.us - a.us);
  return 10 ** (Math.log10(a.p) * (1 - t) + Math.log10(b.p) * t);
}
