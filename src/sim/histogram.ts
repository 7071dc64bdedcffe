import type { Percentiles } from "../model/scenario.js";

// HDR-style layout: values below 2*SUB are their own bucket (exact); above, every power of two is
// split into SUB equal buckets, so a bucket is at most 1/SUB of its lower bound wide. Reporting
// the bucket's midpoint is then off by at most 1/(2*SUB) = 0.78% of the true value (<= 1% spec).
const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;
const EXACT_LIMIT = 2 * SUB;

/**
 * LatencyHistogram records non-negative latencies (µs; fractions are floored) in log-linear
 * buckets. Mergeable (sums of counts), with exact count, sum, min and max; quantiles within 1%.
 */
export class LatencyHistogram {
  private counts = new Float64Array(EXACT_LIMIT + 8 * SUB);
  private total = 0;
  private sumUs = 0;
  private minUs = Infinity;
  private maxUs = 0;

  /** count is the number of values recorded. */
  get count(): number {
    return this.total;
  }

  /** record adds one value; negative or non-finite values are bugs, not data. */
  record(valueUs: number): void {
    if (!(valueUs >= 0 && valueUs < Number.MAX_SAFE_INTEGER)) badValue(valueUs);
    const v = Math.floor(valueUs);
    const i = bucketOf(v);
    if (i >= this.counts.length) this.growTo(i + 1);
    this.counts[i]++;
    this.total++;
    this.sumUs += valueUs;
    if (valueUs < this.minUs) this.minUs = valueUs;
    if (valueUs > this.maxUs) this.maxUs = valueUs;
  }

  /** merge adds every value of other into this histogram. */
  merge(other: LatencyHistogram): void {
    if (other.counts.length > this.counts.length) this.growTo(other.counts.length);
    for (let i = 0; i < other.counts.length; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
    this.sumUs += other.sumUs;
    this.minUs = Math.min(this.minUs, other.minUs);
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }

  /** reset forgets every value (used at the end of warm-up). */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sumUs = 0;
    this.minUs = Infinity;
    this.maxUs = 0;
  }

  /**
   * quantile returns the value at rank ceil(q * count) (the nearest-rank definition), as its
   * bucket's midpoint clamped to the exact min and max; 0 when empty.
   */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    if (q >= 1) return this.maxUs;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.maxUs, Math.max(this.minUs, bucketMid(i)));
    }
    return this.maxUs;
  }

  /** mean is the exact average, 0 when empty. */
  mean(): number {
    return this.total === 0 ? 0 : this.sumUs / this.total;
  }

  /** max is the exact largest value, 0 when empty. */
  max(): number {
    return this.maxUs;
  }

  /** percentiles summarises the histogram in the result schema's shape. */
  percentiles(): Percentiles {
    return {
      count: this.total,
      p50Us: this.quantile(0.5),
      p90Us: this.quantile(0.9),
      p99Us: this.quantile(0.99),
      p999Us: this.quantile(0.999),
      maxUs: this.maxUs,
      meanUs: this.mean(),
    };
  }

  /**
   * tail: the upper tail as (p, us) points, P(value > us) = p, at TAIL_EXCEEDANCES down to the
   * rarest the count supports (at least one value above), then the max at half a value's weight
   * (the Hazen plotting position). Fan-out reads members' tails there: a fan-out of 100 at p99
   * asks each member for its p99.99.
   */
  tail(): { p: number; us: number }[] {
    if (this.total === 0) return [];
    const out = TAIL_EXCEEDANCES.filter((p) => p * this.total >= 1).map((p) => ({ p, us: this.quantile(1 - p) }));
    const pMax = 0.5 / this.total;
    if (out.length === 0 || pMax < out[out.length - 1].p) out.push({ p: pMax, us: this.maxUs });
    return out;
  }

  private growTo(n: number): void {
    const c = new Float64Array(Math.max(n, this.counts.length * 2));
    c.set(this.counts);
    this.counts = c;
  }
}

/** TAIL_EXCEEDANCES: the exceedance probabilities a tail is read at (p50 down to p99.999). */
export const TAIL_EXCEEDANCES: readonly number[] = [0.5, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4, 1e-4, 3e-5, 1e-5];

/** bucketOf maps a non-negative integer to its bucket index. */
export function bucketOf(v: number): number {
  if (v < EXACT_LIMIT) return v;
  if (v < 2 ** 31) {
    // Integer fast path: this runs for every request and every wake.
    const shift = 31 - Math.clz32(v) - SUB_BITS;
    return shift * SUB + (v >>> shift);
  }
  return bucketOfHuge(v);
}

/**
 * bucketOfHuge is bucketOf at 2^31 and above, kept apart so that bucketOf stays small: it is
 * inlined into every latency recording, and V8 bounds what it inlines by bytecode size.
 */
function bucketOfHuge(v: number): number {
  let shift = Math.floor(Math.log2(v)) - SUB_BITS;
  let sub = Math.floor(v / 2 ** shift);
  // log2 of a huge v just below a power of two can round up; step back to keep sub in [SUB, 2*SUB).
  while (sub < SUB) sub = Math.floor(v / 2 ** --shift);
  return shift * SUB + sub;
}

/** bucketMid is the middle of the integers a bucket holds (the value itself when exact). */
export function bucketMid(i: number): number {
  if (i < EXACT_LIMIT) return i;
  const shift = Math.floor(i / SUB) - 1;
  const sub = i - shift * SUB;
  const width = 2 ** shift;
  return sub * width + (width - 1) / 2;
}

/** badValue throws; kept out of record (a hot method) so that it stays small enough to inline. */
function badValue(valueUs: number): never {
  throw new RangeError(`histogram: cannot record ${valueUs}`);
}
