/** FullState: a reused result of a tail query. */
export interface FullState {
  /** P(N >= cores): a waking vCPU finds no idle core. */
  pFull: number;
  /** E[N | N >= cores], counting hogs. */
  meanN: number;
}

/**
 * Tails is a distribution of sleepy runnable vCPUs (pmf over 0..n) with its tail sums
 * P(S >= m) and E[S; S >= m], rebuilt lazily after the pmf changes, so that the chance all cores
 * are held with one more VM added costs O(that VM's vCPUs) and allocates nothing.
 */
export class Tails {
  pmf = new Float64Array(16);
  /** The support of pmf is 0..n. */
  n = 0;
  /** Tail sums interleaved, P(S >= m) at [2m] and E[S; S >= m] at [2m + 1]: a query reads both at one m. */
  private t = new Float64Array(34);
  dirty = true;

  constructor() {
    this.pmf[0] = 1;
  }

  /** ensure makes room for a support of 0..n. */
  ensure(n: number): void {
    if (n + 1 <= this.pmf.length) return;
    const size = 2 * (n + 1);
    const next = new Float64Array(size);
    next.set(this.pmf);
    this.pmf = next;
    this.t = new Float64Array(2 * (size + 1));
    this.dirty = true;
  }

  private refresh(): void {
    if (!this.dirty) return;
    const n = this.n;
    let a = 0;
    let b = 0;
    const t = this.t;
    t[2 * n + 2] = 0;
    t[2 * n + 3] = 0;
    for (let i = n; i >= 0; i--) {
      a += this.pmf[i];
      b += i * this.pmf[i];
      t[2 * i] = a;
      t[2 * i + 1] = b;
    }
    this.dirty = false;
  }

  // Tail sums clamped to the support: E[S; S >= m] is the mean for m <= 0.
  private tail0(m: number): number {
    return m <= 0 ? 1 : m > this.n ? 0 : this.t[2 * m];
  }

  private tail1(m: number): number {
    return m > this.n ? 0 : this.t[2 * (m < 0 ? 0 : m) + 1];
  }

  /**
   * full writes P(S + hogs + X >= cores) and E[S + hogs + X | that] into `out`, X the runnable
   * vCPUs of `extraVcpus` more of duty `extraDuty` < 1 (Binomial), and the same at cores - 1 into
   * `near` if given: every query asks both, and they share the binomial's weights.
   */
  full(cores: number, hogs: number, extraVcpus: number, extraDuty: number, out: FullState, near?: FullState): void {
    this.refresh();
    const need = cores - hogs;
    if (extraVcpus === 0) {
      this.fullAt(need, hogs, cores, out);
      if (near) this.fullAt(need - 1, hogs, cores - 1, near);
      return;
    }
    const w = binomialWeights(extraVcpus, extraDuty);
    let pf = 0;
    let en = 0;
    // At cores - 1 (near): each sum in the same order as a call of its own, so the same bits. The
    // tails near reads at j are the ones the next term at cores reads (need - 1 - j = need - (j + 1)):
    // read once and carried.
    let pfNear = 0;
    let enNear = 0;
    let t0 = this.tail0(need);
    let t1 = this.tail1(need);
    for (let j = 0; j <= extraVcpus; j++) {
      const b = w[j];
      pf += b * t0;
      en += b * (t1 + j * t0);
      const u0 = this.tail0(need - 1 - j);
      const u1 = this.tail1(need - 1 - j);
      if (near) {
        pfNear += b * u0;
        enNear += b * (u1 + j * u0);
      }
      t0 = u0;
      t1 = u1;
    }
    out.pFull = pf;
    out.meanN = pf > 0 ? en / pf + hogs : cores;
    if (near) {
      near.pFull = pfNear;
      near.meanN = pfNear > 0 ? enNear / pfNear + hogs : cores - 1;
    }
  }

  /**
   * atLeast is full's P(S + hogs + X >= cores) alone: the same terms summed in the same order, so
   * the same bits, without the conditional mean or the cores - 1 sums (credit1's OVER waits ask
   * only this, at a dozen core counts per victim).
   */
  atLeast(cores: number, hogs: number, extraVcpus: number, extraDuty: number): number {
    this.refresh();
    const need = cores - hogs;
    if (extraVcpus === 0) return this.tail0(need);
    const w = binomialWeights(extraVcpus, extraDuty);
    let pf = 0;
    for (let j = 0; j <= extraVcpus; j++) pf += w[j] * this.tail0(need - j);
    return pf;
  }

  /** atLeastWeights is atLeast with the extra vCPUs' busy count of pmf w[0..m] (Occupancy.atLeastSiblings). */
  atLeastWeights(cores: number, hogs: number, w: Float64Array, m: number): number {
    this.refresh();
    const need = cores - hogs;
    let pf = 0;
    for (let j = 0; j <= m; j++) pf += w[j] * this.tail0(need - j);
    return pf;
  }

  /** fullAt: full with no extra vCPUs, `need` = cores - hogs. */
  private fullAt(need: number, hogs: number, cores: number, out: FullState): void {
    const p0 = this.tail0(need);
    out.pFull = p0;
    out.meanN = p0 > 0 ? this.tail1(need) / p0 + hogs : cores;
  }

  /** convolveFrom sets this to `src` plus an independent count of pmf w[0..m] (Occupancy.atLeastSiblings). */
  convolveFrom(src: Tails, w: Float64Array, m: number): void {
    const n = src.n + m;
    this.ensure(n);
    const f = src.pmf;
    const g = this.pmf;
    for (let i = 0; i <= n; i++) {
      let a = 0;
      const lo = i - src.n > 0 ? i - src.n : 0;
      const hi = i < m ? i : m;
      for (let j = lo; j <= hi; j++) a += w[j] * f[i - j];
      g[i] = a;
    }
    this.n = n;
    this.dirty = true;
  }

  /** deconvolveFrom sets this to `src` with one vCPU of duty p taken out (stable direction for p). */
  deconvolveFrom(src: Tails, p: number): void {
    const n = src.n;
    if (n === 0) throw new Error("Tails: excluding a vCPU that was never added");
    this.ensure(n);
    const f = src.pmf;
    const g = this.pmf;
    const q = 1 - p;
    if (p <= 0.5) {
      let prev = 0;
      for (let i = 0; i < n; i++) {
        const a = (f[i] - prev * p) / q;
        g[i] = a > 0 ? a : 0;
        prev = g[i];
      }
    } else {
      let next = 0;
      for (let i = n; i > 0; i--) {
        const a = (f[i] - next * q) / p;
        g[i - 1] = a > 0 ? a : 0;
        next = g[i - 1];
      }
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += g[i];
    if (total > 0) for (let i = 0; i < n; i++) g[i] /= total;
    g[n] = 0;
    this.n = n - 1;
    this.dirty = true;
  }
}

// The extra VM's binomial weights P(X = j), j = 0..n, for the last (n, duty) asked: the recurrence
// full() and atLeast() ran term by term, a division each, on every call. A query asks a dozen of
// them with the same extra VM (credit1's OVER waits), and the placer asks one VM of host after
// host. The same recurrence, so the same weights (the figures do not move).
let lastN = -1;
let lastDuty = NaN;
let weights = new Float64Array(64);
function binomialWeights(n: number, duty: number): Float64Array {
  if (n === lastN && Object.is(duty, lastDuty)) return weights;
  if (weights.length < n + 1) weights = new Float64Array(2 * (n + 1));
  const q = 1 - duty;
  let b = q ** n;
  for (let j = 0; j <= n; j++) {
    weights[j] = b;
    b = (b * (n - j) * duty) / ((j + 1) * q);
  }
  lastN = n;
  lastDuty = duty;
  return weights;
}
