/** Small statistics for the accuracy protocol (pure, on plain arrays). */

/** quantile is the nearest-rank q-quantile of the values (0 for none). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

/** spearman is the Pearson correlation of the ranks (ties get their mean rank). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** absLog is |ln(a / b)| with both floored at 1 µs (a percentile of 0 is a histogram artefact). */
export function absLog(a: number, b: number): number {
  return Math.abs(Math.log(Math.max(1, a) / Math.max(1, b)));
}

/** SLO levels a user might set, µs; an unsafe miss is sim > level while the estimate < level / 2. */
export const SLO_LEVELS_US: readonly number[] = [1000, 2000, 5000, 10000, 20000, 50000];

/** isUnsafeMiss: the simulator breaches some SLO level the estimate called safe by more than 2x. */
export function isUnsafeMiss(estimateUs: number, simUs: number): boolean {
  return SLO_LEVELS_US.some((l) => simUs > l && estimateUs < l / 2);
}
