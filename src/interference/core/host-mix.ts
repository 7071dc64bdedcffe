import { binOf, BINS, type CpuPart, type LightPart, type MutablePart } from "./cpu-part.js";
import { ExclusionCache, Occupancy, type FullState } from "./occupancy.js";
import { ALL_MECHANISMS, type Mechanisms, type SchedulerCore } from "./scheduler-core.js";

/**
 * Steals: a core that frees up while runnable vCPUs exceed the cores usually runs its own queue
 * first; measured on credit1 fitting hosts, a blocked victim was still stolen in 58-70% of waits
 * with 0-2 queued, so the other runners' release rate is discounted by 1 / (1 + excess / 2).
 */
const STEAL_DISCOUNT = 0.5;

/**
 * Components are the wait distributions a waking victim meets, as a mixture: with probability
 * a[k] (all cores held, the victim's core by a runner of burst bin k that it cannot preempt) it
 * waits an exponential of rate r[k] (that runner blocking, or another core freeing up) capped at
 * capUs; with probability rlA a uniform wait up to rlUs (a rate-limited runner); with probability
 * driftA (the victim itself without priority) an exponential of rate driftR capped at driftCapUs.
 */
export class Components {
  readonly a = new Float64Array(BINS);
  readonly r = new Float64Array(BINS);
  /** e^(-r cap) per bin, shared by every victim of the query. */
  readonly eCap = new Float64Array(BINS);
  capUs = 0;
  rlA = 0;
  rlUs = 0;
  driftA = 0;
  driftR = 0;
  driftCapUs = 0;
  driftECap = 0;
  pFull = 0;
  /** Mean runnable CPU-bound vCPUs over cores when all are held. */
  excess = 0;
  /** Chance a victim that finds every core held is blocked (sum of a / pFull). */
  blockGivenFull = 0;
  /** Mean wait of a blocked victim, µs (block-weighted 1/r). */
  meanWaitUs = 0;
  /** Hog share of the runnable CPU-bound load. */
  hogShare = 0;
  /** Release rate of the other runners, per µs. */
  nu = 0;
  /** P(CPU-bound runnable >= cores - 1), for the light component. */
  pNearFull = 0;
  /** Mean block share of the CPU-bound runners (duty-weighted, hogs count 0). */
  heavyBlock = 0;
  /** Σ a and Σ a / r over the bins: a bound on their tail without evaluating it. */
  sumA = 0;
  sumAOverR = 0;
  /** A light vCPU holding the last core: chance, release rate, e^(-rate cap). */
  lightA = 0;
  lightR = 1;
  lightECap = 0;

  /** copyFrom makes this a copy of `o` (no allocation). */
  copyFrom(o: Components): void {
    this.a.set(o.a);
    this.r.set(o.r);
    this.eCap.set(o.eCap);
    this.capUs = o.capUs;
    this.rlA = o.rlA;
    this.rlUs = o.rlUs;
    this.driftA = o.driftA;
    this.driftR = o.driftR;
    this.driftCapUs = o.driftCapUs;
    this.driftECap = o.driftECap;
    this.pFull = o.pFull;
    this.excess = o.excess;
    this.blockGivenFull = o.blockGivenFull;
    this.meanWaitUs = o.meanWaitUs;
    this.hogShare = o.hogShare;
    this.nu = o.nu;
    this.pNearFull = o.pNearFull;
    this.heavyBlock = o.heavyBlock;
    this.sumA = o.sumA;
    this.sumAOverR = o.sumAOverR;
  }

  /**
   * rescale: the same waits with a different chance that all cores are held (a mixed victim's
   * own vCPU taken out): every blocking component scales with pFull; the release rates, caps and
   * block shares of the runners are kept (one vCPU fewer barely moves them).
   */
  rescale(pFull: number, pNearFull: number, meanN: number, cores: number): void {
    const f = this.pFull > 0 ? pFull / this.pFull : 0;
    for (let k = 0; k < this.a.length; k++) this.a[k] *= f;
    this.rlA *= f;
    this.driftA *= f;
    this.sumA *= f;
    this.sumAOverR *= f;
    this.pFull = pFull;
    this.pNearFull = pNearFull;
    this.excess = Math.max(0, meanN - cores);
  }
}

/**
 * HostMix aggregates a host's CPU-bound vCPUs for one scheduler core: the occupancy distribution
 * and, per burst bin, sums of duty, of duty x block share and of duty x block share / burst.
 * Everything is additive, so add and remove are O(vCPUs + 1) and a query with one extra VM is
 * O(its vCPUs + bins), allocation-free.
 */
export class HostMix {
  readonly occ = new Occupancy();
  private readonly sp = new Float64Array(BINS);
  private readonly spb = new Float64Array(BINS);
  private readonly spbr = new Float64Array(BINS);
  /** Sleepy vCPUs per bin. */
  private readonly cnt = new Float64Array(BINS);
  /** Σ duty / burst over sleepy vCPUs: the rate at which runners release cores. */
  private spr = 0;
  /** Σ duty x (1 - block) x rate-limit share over sleepy vCPUs. */
  private sprl = 0;
  /** Σ duty x (1 - block) over sleepy vCPUs. */
  private spnb = 0;
  /** Light runners (io-only vCPUs): Σ duty and Σ duty / hold. */
  private lsp = 0;
  private lrate = 0;
  private readonly full: FullState = { pFull: 0, meanN: 0 };
  private readonly hogRl: number;

  constructor(
    readonly core: SchedulerCore,
    readonly cores: number,
    private readonly mechanisms: Mechanisms = ALL_MECHANISMS,
  ) {
    this.hogRl = core.rateLimitShare(Infinity, true);
  }

  /**
   * excludedFull writes P(all held) and P(all but one held) and E[N | all held] with `extra` added
   * and one vCPU of duty `p` taken out, from the exclusion cache: O(extra's vCPUs).
   */
  excludedFull(extra: CpuPart | undefined, p: number, cache: ExclusionCache, out: FullState, near: FullState): void {
    const heavy = extra !== undefined && extra.block === undefined;
    const xs = heavy && extra.duty < 1 ? extra.vcpus : 0;
    const xd = heavy && extra.duty < 1 ? extra.duty : 0;
    const xh = heavy && extra.duty >= 1 ? extra.vcpus : 0;
    if (p >= 1) {
      // A hog of its own (a trace VM at 100% with requests): one hog fewer.
      this.occ.full(this.cores - 1, xs, xd, xh - 1, near);
      this.occ.full(this.cores, xs, xd, xh - 1, out);
      return;
    }
    this.occ.fullWithout(p, this.cores - 1, xs, xd, xh, near, cache);
    this.occ.fullWithout(p, this.cores, xs, xd, xh, out, cache);
  }

  /** fullWithExtra writes P(all held), P(all but one held) and E[N | all held] with `extra` (CPU-bound or none) added. */
  fullWithExtra(extra: CpuPart | undefined, out: FullState, near: FullState): void {
    this.fullWith(extra, undefined, this.cores - 1, this.scratchCache);
    near.pFull = this.full.pFull;
    near.meanN = this.full.meanN;
    this.fullWith(extra, undefined, this.cores, this.scratchCache);
    out.pFull = this.full.pFull;
    out.meanN = this.full.meanN;
  }

  /** light turns an io-only VM's requests into its CpuPart under this host's scheduler (into `out`). */
  light(l: LightPart, out: MutablePart): CpuPart {
    return this.core.lightPart(l, out);
  }

  apply(c: CpuPart, sign: 1 | -1): void {
    if (c.vcpus <= 0) return;
    if (c.block !== undefined) {
      this.lsp += sign * c.vcpus * c.duty;
      this.lrate += (sign * c.vcpus * c.duty) / c.burstUs;
      return;
    }
    this.occ.apply(c.vcpus, c.duty, sign);
    if (c.duty >= 1) return;
    this.applyBins(c, sign);
  }

  private applyBins(c: CpuPart, sign: number): void {
    const d = this.delta(c, sign, this.d0);
    this.sp[d.bin] += d.sp;
    this.spb[d.bin] += d.spb;
    this.spbr[d.bin] += d.spbr;
    this.cnt[d.bin] += d.cnt;
    this.spr += d.spr;
    this.sprl += d.sprl;
    this.spnb += d.spnb;
  }

  /** delta is what `sign` x c adds to the sums (c sleepy), written into `out`. */
  private delta(c: CpuPart, sign: number, out: BinDelta): BinDelta {
    const w = sign * c.vcpus * c.duty;
    const block = c.block ?? this.core.blockShare(c.burstUs);
    out.bin = binOf(c.burstUs);
    out.cnt = sign * c.vcpus;
    out.sp = w;
    out.spb = w * block;
    out.spbr = (w * block) / c.burstUs;
    out.spr = w / c.burstUs;
    out.sprl = c.block === undefined ? w * (1 - block) * this.core.rateLimitShare(c.burstUs, false) : 0;
    out.spnb = w * (1 - block);
    return out;
  }

  // Scratch deltas: the extra VM and the excluded vCPU of a query (a query never mutates sums).
  private readonly d0: BinDelta = emptyDelta();
  private readonly dx: BinDelta = emptyDelta();
  private readonly de: BinDelta = emptyDelta();

  /**
   * components fills `out` for a victim waking on this host with `extra` added (the what-if VM;
   * undefined for none) and `exclude` taken out (the victim's own waking vCPU, CPU-bound or light:
   * it does not compete with itself; undefined for none).
   */
  components(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined, cache?: ExclusionCache): void {
    const xLight = extra !== undefined && extra.block !== undefined;
    const eLight = exclude !== undefined && exclude.block !== undefined;
    this.heavyComponents(out, xLight ? undefined : extra, eLight ? undefined : exclude, cache);
    this.lightComponent(out, xLight ? extra : undefined, eLight ? exclude : undefined);
  }

  /**
   * heavyComponents: the CPU-bound part of `components` (extra and exclude must be CPU-bound).
   * It is the same for every io-only victim of a query, which then only needs lightComponent.
   */
  heavyComponents(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined, cache: ExclusionCache = this.scratchCache): void {
    this.fullWith(extra, exclude, this.cores - 1, cache);
    out.pNearFull = this.full.pFull;
    this.fullWith(extra, exclude, this.cores, cache);
    const dx = extra && extra.duty < 1 ? this.delta(extra, 1, this.dx) : noDelta(this.dx);
    const de = exclude && exclude.duty < 1 ? this.delta(exclude, -1, this.de) : noDelta(this.de);
    const hogs = this.occ.hogs + (extra && extra.duty >= 1 ? extra.vcpus : 0) - (exclude && exclude.duty >= 1 ? exclude.vcpus : 0);
    let sumP = hogs + dx.sp + de.sp;
    let spb = dx.spb + de.spb;
    for (let k = 0; k < BINS; k++) {
      sumP += this.sp[k];
      spb += this.spb[k];
    }
    out.heavyBlock = sumP > 0 ? spb / sumP : 0;
    this.build(out, sumP, hogs, dx, de);
  }

  /** lightComponent: the light part of `components`, after heavyComponents filled `out`. */
  lightComponent(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined): void {
    let lsp = this.lsp;
    let lrate = this.lrate;
    if (extra) {
      lsp += extra.vcpus * extra.duty;
      lrate += (extra.vcpus * extra.duty) / extra.burstUs;
    }
    if (exclude) {
      lsp -= exclude.vcpus * exclude.duty;
      lrate -= (exclude.vcpus * exclude.duty) / exclude.burstUs;
    }
    this.buildLight(out, lsp, lrate);
  }

  /**
   * buildLight: with one core short of full by CPU-bound work, a busy light vCPU takes the last
   * one. The victim then waits only if its own core's runner blocks it (under credit1 that may be
   * the light vCPU itself, BOOST; a KVM poller never blocks), and not for long: the light vCPU
   * frees its core within its hold time and the victim is stolen or pulled there.
   */
  private buildLight(out: Components, lsp: number, lrate: number): void {
    const exactlyOneShort = Math.max(0, out.pNearFull - out.pFull);
    if (!(lsp > 1e-12) || exactlyOneShort === 0 || !this.mechanisms.lightRunners) {
      out.lightA = 0;
      out.lightR = 1;
      out.lightECap = 0;
      return;
    }
    const homeBlock = this.core.lightBlock / this.cores + (1 - 1 / this.cores) * out.heavyBlock;
    const busyLight = 1 - Math.exp(-Math.max(0, lsp));
    out.lightA = exactlyOneShort * busyLight * homeBlock;
    out.lightR = lrate / lsp + out.nu;
    out.lightECap = expNeg(out.lightR * out.capUs);
  }

  /**
   * The CPU-bound components with nothing added, kept until the mix changes: a what-if with an
   * io-only VM (or none) reads them instead of recomputing. `cachedParts` is the caller's (Query).
   */
  readonly cached = new Components();
  readonly cachedParts = new Float64Array(2);
  private cachedVersion = -1;

  /** cachedHeavy returns the no-extra CPU-bound components, computing them if the mix changed; fresh: parts need computing. */
  cachedHeavy(): { comps: Components; fresh: boolean } {
    const fresh = this.cachedVersion !== this.occ.version;
    if (fresh) {
      this.heavyComponents(this.cached, undefined, undefined);
      this.cachedVersion = this.occ.version;
    }
    this.cachedResult.comps = this.cached;
    this.cachedResult.fresh = fresh;
    return this.cachedResult;
  }
  private readonly cachedResult = { comps: this.cached, fresh: false };

  /** Used for exclusions without a cache of their own (reports, fitting). */
  private readonly scratchCache = new ExclusionCache();

  private fullWith(extra: CpuPart | undefined, exclude: CpuPart | undefined, cores: number, cache: ExclusionCache): void {
    const occ = this.occ;
    const xs = extra && extra.duty < 1 ? extra.vcpus : 0;
    const xd = extra && extra.duty < 1 ? extra.duty : 0;
    const xh = extra && extra.duty >= 1 ? extra.vcpus : 0;
    if (!this.mechanisms.poissonBinomial) return this.meanFull(extra, exclude, cores);
    if (!exclude) return occ.full(cores, xs, xd, xh, this.full);
    if (exclude.duty >= 1) return occ.full(cores, xs, xd, xh - exclude.vcpus, this.full);
    occ.fullWithout(exclude.duty, cores, xs, xd, xh, this.full, cache);
  }

  /** meanFull: the ablation of the Poisson-binomial, a binomial over the same vCPUs at their mean duty. */
  private meanFull(extra: CpuPart | undefined, exclude: CpuPart | undefined, cores: number): void {
    let n = this.occ.sleepyVcpus;
    let sum = 0;
    for (let k = 0; k < BINS; k++) sum += this.sp[k];
    let hogs = this.occ.hogs;
    for (const [c, sign] of [[extra, 1], [exclude, -1]] as const) {
      if (!c) continue;
      if (c.duty >= 1) hogs += sign * c.vcpus;
      else {
        n += sign * c.vcpus;
        sum += sign * c.vcpus * c.duty;
      }
    }
    const p = n > 0 ? Math.min(1, Math.max(0, sum / n)) : 0;
    const need = cores - hogs;
    let pf = 0;
    let en = 0;
    let b = (1 - p) ** n;
    for (let i = 0; i <= n; i++) {
      if (i >= need) {
        pf += b;
        en += b * i;
      }
      b = p < 1 ? (b * (n - i) * p) / ((i + 1) * (1 - p)) : i + 1 === n ? 1 : 0;
    }
    this.full.pFull = Math.min(1, pf);
    this.full.meanN = pf > 0 ? en / pf + hogs : cores;
  }

  private build(out: Components, sumP: number, hogs: number, dx: BinDelta, de: BinDelta): void {
    const pFull = this.full.pFull;
    out.pFull = pFull;
    const excess = Math.max(0, this.full.meanN - this.cores);
    out.excess = excess;
    out.hogShare = sumP > 0 ? hogs / sumP : 0;
    const cap = this.core.waitCapUs(excess);
    out.capUs = cap;
    const scale = sumP > 0 ? pFull / sumP : 0;
    // Other runners release cores at their summed rate, spread over the runnable vCPUs.
    const spr = this.spr + dx.spr + de.spr;
    // Runnable vCPUs are in the running set with probability meanN / sumP each (untilted).
    const inc = sumP > 0 ? this.full.meanN / sumP : 0;
    const g = 1 / (1 + STEAL_DISCOUNT * excess);
    const nu = this.mechanisms.steals ? inc * spr * g : 0;
    out.nu = nu;
    let blocked = 0;
    let waitW = 0;
    for (let k = 0; k < BINS; k++) {
      const spb = this.spb[k] + (dx.bin === k ? dx.spb : 0) + (de.bin === k ? de.spb : 0);
      if (!(spb > 1e-12) || scale === 0) {
        out.a[k] = 0;
        out.r[k] = 1;
        out.eCap[k] = 0;
        continue;
      }
      const spbr = this.spbr[k] + (dx.bin === k ? dx.spbr : 0) + (de.bin === k ? de.spbr : 0);
      const cnt = this.cnt[k] + (dx.bin === k ? dx.cnt : 0) + (de.bin === k ? de.cnt : 0);
      const sp = this.sp[k] + (dx.bin === k ? dx.sp : 0) + (de.bin === k ? de.sp : 0);
      const own = spbr / spb;
      // The runner ahead releases at its own rate; the others' rate excludes it.
      const self = cnt > 0 ? inc * (sp / cnt) * own * g : 0;
      const r = own + Math.max(0, nu - self);
      out.a[k] = scale * spb;
      out.r[k] = r;
      out.eCap[k] = expNeg(r * cap);
      blocked += out.a[k];
      waitW += out.a[k] / r;
    }
    out.blockGivenFull = pFull > 0 ? blocked / pFull : 0;
    out.meanWaitUs = blocked > 0 ? waitW / blocked : 0;
    out.sumA = blocked;
    out.sumAOverR = waitW;
    out.rlUs = this.core.rateLimitUs;
    out.rlA = scale * (this.sprl + dx.sprl + de.sprl + hogs * this.hogRl);
    out.driftA = scale * this.core.driftShare * (this.spnb + dx.spnb + de.spnb + hogs);
    out.driftR = nu + 1e-9;
    out.driftCapUs = this.core.driftCapUs;
    out.driftECap = out.driftA > 0 ? expNeg(out.driftR * out.driftCapUs) : 0;
  }
}

/** BinDelta: one VM's (or vCPU's) contribution to the sums. */
interface BinDelta {
  bin: number;
  cnt: number;
  sp: number;
  spb: number;
  spbr: number;
  spr: number;
  sprl: number;
  spnb: number;
}

function emptyDelta(): BinDelta {
  return { bin: -1, cnt: 0, sp: 0, spb: 0, spbr: 0, spr: 0, sprl: 0, spnb: 0 };
}

function noDelta(d: BinDelta): BinDelta {
  d.bin = -1;
  d.cnt = d.sp = d.spb = d.spbr = d.spr = d.sprl = d.spnb = 0;
  return d;
}

/** expNeg is e^-x, 0 beyond x = 40 (below 1e-17 of the terms it is subtracted from). */
function expNeg(x: number): number {
  return x > 40 ? 0 : Math.exp(-x);
}
