import { Components } from "./components.js";
import { binOf, BINS, type CpuPart, type LightPart, type MutablePart } from "./cpu-part.js";
import { ExclusionCache, Occupancy, type FullState } from "./occupancy.js";
import { emptyDelta, expNeg, noDelta, type BinDelta } from "./bin-delta.js";
import { localRescueShare } from "./local-waiters.js";
import { fullHomeWaits, heavyHomeBlock, HELD_MAX, kneeNoIdle, kneeQueueRate, kneeRate, lightHoldFull, lightHoldFullAbove, lightHoldFullShort, lightHoldOne, lightHomeBlock, lightWaiterShare, othersBusy, sleeperPollLoad } from "./light-holds.js";
import { meanFull } from "./mean-full.js";
import { busyShare, runnerWeight } from "./time-share.js";
import { ALL_MECHANISMS, type Mechanisms, type SchedulerCore } from "./scheduler-core.js";

export { Components };

/**
 * Steals: a core that frees up while runnable vCPUs exceed the cores usually runs its own queue
 * first; measured on credit1 fitting hosts, a blocked victim was still stolen in 58-70% of waits
 * with 0-2 queued, so the other runners' release rate is discounted by 1 / (1 + excess / 2).
 */
const STEAL_DISCOUNT = 0.5;

/**
 * SERVE_RELEASE_FREE: the fewest cores the CPU-bound vCPUs (by count) must leave for serveRelease.
 * With one left (or none) the rest of a serve under-states the waits (not traced further): on the
 * open rounds the term there drops contended EEVDF coverage to 96.5-99.4% on 18 rounds
 * (docs/accuracy.md, session 21).
 */
const SERVE_RELEASE_FREE = 2;
/** SERVE_RELEASE_RHO: the most io hold load per core left serveRelease's chains count (a residual busy period of 10 rests). */
const SERVE_RELEASE_RHO = 0.9;
/**
 * SERVE_RELEASE_OWN: the least utilisation of one of the victim's vCPUs by its requests
 * (VictimTail.rho) at which serveRelease holds, unless the io holds crowd the cores left
 * (SERVE_RELEASE_CROWD). An io victim that serves under it leaves its vCPUs idle almost all the
 * time; in the simulator (7 of the 10 such contended victims traced) its tail waits are behind
 * CPU-bound home runners (69-100% of its top 0.1% of wakes), which no serve ends, and the
 * hold-length release is what fits them (docs/accuracy.md, "Packed EEVDF: the light holds'
 * release from the rest of a serve (session 21)", "The refinement: victims that serve little").
 * The traced victims that went further with the release serve 0.011-0.038 of a vCPU, those it
 * brought closer 0.057 and more; 0.05 is between, and no open round's contended EEVDF group is
 * worse than without the term anywhere in 0.04-0.06 (with SERVE_RELEASE_CROWD in 0.22-0.30).
 */
const SERVE_RELEASE_OWN = 0.05;
/**
 * SERVE_RELEASE_CROWD: the io hold load per core left (serveRelease's rho) from which the release
 * holds for every io victim: there the full host is the io holds' doing and a waker meets serves
 * and the chains of them, however little it serves itself (holdout-22's packed/10112/7 at
 * 0.47-0.64). The open rounds' contended figures are the same anywhere in 0.22-0.30; the packed
 * gain falls slowly above it.
 */
const SERVE_RELEASE_CROWD = 0.25;


/** Σ duty / burst over sleepy vCPUs: the rate at which runners release cores. */
const SPR = 4 * BINS;
/** Σ duty x (1 - block) x rate-limit share over sleepy vCPUs. */
const SPRL = SPR + 1;
/** Σ duty x (1 - block) over sleepy vCPUs. */
const SPNB = SPR + 2;
/** Light runners (io-only vCPUs): Σ duty and Σ duty / hold. */
const LSP = SPR + 3;
const LRATE = SPR + 4;
/** A hog's share of run time inside a fresh rate-limit window (fixed per host). */
const HOG_RL = SPR + 5;
/** Light runners' Σ duty x serving share (light holds only). */
const LSERVE = SPR + 6;
/** Light vCPUs counted (light holds only). */
const LCNT = SPR + 7;
/**
 * CPU-bound VMs' runnable group shares, Σ P(some vCPU runnable) = 1 - (1 - duty)^vcpus
 * (time-share.ts busyShare: a VM weighs its shares whenever one of its vCPUs is runnable, kvm-fair
 * state.ts groupWeight). CFS's saturated waits read it, and EEVDF's time share as its runners'
 * numerator.
 */
const GLOAD = SPR + 8;
/** GLOAD's part from sleepy VMs (duty < 1): EEVDF's light-entity waits read their entity weight. */
const SGLOAD = SPR + 9;
/** Light runners' Σ duty x hold (their duty-weighted hold over LSP: credit1's knee release). */
const LHOLD = SPR + 10;
/**
 * Mechanisms.cfsRunnerWeight's power mean of the runners' weights: a share s of the blocks behind
 * whole-weight runners alone gives s^(1/16) (0.2: 0.90, 0.04: 0.82), the cap near theirs. Measured
 * at 4, 8 and 16 (docs/accuracy.md, session 22); 16 moved the fewest figures the wrong way.
 */
const TAIL_POWER = 16;
/** Σ duty x block x the runner's weight ** TAIL_POWER over sleepy vCPUs (SchedulerCore.runnerWeights: build's wait cap). */
const SPBW = SPR + 11;
/** Sleepy CPU-bound VMs (parts with duty < 1): SchedulerCore.sleeperFloorUs's one-VM test. */
const SVMS = SPR + 12;
/** Σ duty / burst x e^(-window / sleep) over sleepy vCPUs: their blocks that leave the CPU idle past its halt-poll window (SchedulerCore.pollPulls). */
const SPRP = SPR + 13;
/** Σ request wakes per µs over sleepy mixed VMs (CpuPart.ioWakesUs: credit2's grant-end fresh windows). */
const MRATE = SPR + 14;
const SUMS = SPR + 15;
/**
 * FLOOR_MIN: the least sleeper-floor chance (floorChance): far under the 1e-3 of a p99.9 (the
 * bins are kept at chance 1 beside it: Components.refloor).
 */
const FLOOR_MIN = 1e-9;
/** kneeFull's scratch: lightHoldFullShort's weighed sum (single-threaded, as the query). */
const KNEE_SHORT = new Float64Array(1);
/**
 * The no-extra CPU-bound components (Components.save) and their two host parts of the correction,
 * the parts first: loadCached reads both, and the components' last SAVED doubles (the sleeper
 * floor's chance-1 bins) only where that term applies, so parts after them sat 12 doubles past the
 * last one read, on a cache line of their own on a cold host.
 */
const CACHED_PARTS = SUMS;
const CACHED = CACHED_PARTS + 2;
const SUMS_AND_CACHE = CACHED + Components.SAVED;

/**
 * Scratch shared by every host (one thread, and no query calls another): the result of the last
 * occupancy tail query, the extra VM's and the excluded vCPU's deltas, and the exclusion table
 * of reports and fitting. Per host, each was an object whose doubles are heap numbers of their
 * own, written on every what-if: a cold cache line each on a placer sweeping 1,000 hosts.
 */
const FULL: FullState = { pFull: 0, meanN: 0 };
/** The same at one core fewer (written with FULL). */
const NEAR: FullState = { pFull: 0, meanN: 0 };
/** overflowPerSplitWith's scratch states. */
const OVER_FULL: FullState = { pFull: 0, meanN: 0 };
const OVER_NEAR: FullState = { pFull: 0, meanN: 0 };
const D0: BinDelta = emptyDelta();
const DX: BinDelta = emptyDelta();
const DE: BinDelta = emptyDelta();
const SCRATCH_CACHE = new ExclusionCache();
/**
 * FULL_HOME_HELD: the most cores held by light holds that fullHome counts a full host over. The
 * binomial of simultaneous holds overstates the far tail: on holdout-16's packed/10054/1 (8 of 16
 * cores CPU-bound, 7 and more left to about 3.9 busy light vCPUs and polls) it gives P(no idle)
 * 0.15 where the simulator's io victim finds no idle CPU on 3.2% of its wakes; without the cap the
 * open rounds' packed-1 packed-32 EEVDF p90 is 0.224 against 0.108 with it (docs/accuracy.md,
 * "Packed EEVDF io victims below the count (session 20)").
 */
const FULL_HOME_HELD = 4;

/** In HostMix's heldCache (the cached components' held tails, then heldN, heavyWakes and the counts): 1 while its tails past the first pair are not found (fillHeld, heldNow). */
const HELD_DUE = HELD_MAX + 6;

/**
 * A CPU-bound part's block share and rate-limit share (SchedulerCore.blockShare, rateLimitShare)
 * depend only on the host's core and the part's burst, and cost an exponential each: the placer
 * asks one VM of host after host, and its moves put VMs of a few bursts on and off hosts of a few
 * kinds, so the last SHARES_KEPT (core, burst) pairs are remembered (the same functions of the
 * same arguments: the same values; one pair alone missed on most moves). Bursts are positive (no
 * -0 to tell from 0). SHARES holds the pair last asked for.
 */
const SHARES = new Float64Array(2);
const SHARES_KEPT = 8;
const sharesCores: (SchedulerCore | undefined)[] = new Array<SchedulerCore | undefined>(SHARES_KEPT).fill(undefined);
const sharesBursts = new Float64Array(SHARES_KEPT).fill(NaN);
const sharesKept = new Float64Array(2 * SHARES_KEPT);
let sharesLast = 0;
let sharesNext = 0;
function sharesOf(core: SchedulerCore, burstUs: number): void {
  if (core === sharesCores[sharesLast] && burstUs === sharesBursts[sharesLast]) return;
  for (let i = 0; i < SHARES_KEPT; i++)
    if (core === sharesCores[i] && burstUs === sharesBursts[i]) {
      SHARES[0] = sharesKept[2 * i];
      SHARES[1] = sharesKept[2 * i + 1];
      sharesLast = i;
      return;
    }
  const i = sharesNext;
  sharesNext = (i + 1) % SHARES_KEPT;
  SHARES[0] = sharesKept[2 * i] = core.blockShare(burstUs);
  SHARES[1] = sharesKept[2 * i + 1] = core.rateLimitShare(burstUs, false);
  sharesCores[i] = core;
  sharesBursts[i] = burstUs;
  sharesLast = i;
}


/**
 * heldPair writes out.held[j] and out.held[j + 1] (below heldN) from one occupancy call at cores - j:
 * its NEAR, one core fewer, is summed in the same order as a call of its own (tails.ts), so the
 * same bits, and each call serves two of the light holds' tails.
 */
function heldPair(out: Components, j: number): void {
  out.held[j] = FULL.pFull;
  if (j + 1 < out.heldN) out.held[j + 1] = NEAR.pFull;
}

/** heldZero is heldPair where both tails are known to be 0 (HostMix.heldZeroBelow). */
function heldZero(out: Components, j: number): void {
  out.held[j] = 0;
  if (j + 1 < out.heldN) out.held[j + 1] = 0;
}

/**
 * heapDoubles: n zeros as a plain array V8 keeps as unboxed doubles on its heap, next to the
 * object holding it (a Float64Array's data lies off the heap: one more cold line per host).
 */
function heapDoubles(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(-0);
  a.fill(0);
  return a;
}

/**
 * The query's extra VM as the occupancy takes it: its sleepy CPU-bound vCPUs and their duty, or its
 * hogs (duty 1); 0 for none, or for a light VM (one with a block share: its io holds are counted
 * elsewhere). Three functions rather than one returning a triple, so a what-if allocates nothing.
 */
function extraSleepers(x: CpuPart | undefined): number {
  return x !== undefined && x.block === undefined && x.duty < 1 ? x.vcpus : 0;
}
function extraSleepDuty(x: CpuPart | undefined): number {
  return x !== undefined && x.block === undefined && x.duty < 1 ? x.duty : 0;
}
function extraHogs(x: CpuPart | undefined): number {
  return x !== undefined && x.block === undefined && x.duty >= 1 ? x.vcpus : 0;
}

/**
 * idleSiblingFull (HostMix.idleSibling): the chance a request of a sleepy VM of `vcpus` at duty `p`
 * finds every core held as it wakes an idle sibling, plus p^vcpus f for the requests that find
 * every vCPU busy; f = P(N_-1 >= cores), near = P(N_-1 >= cores - 1), rest = P(N without the VM
 * >= cores - vcpus). At most near (K_n + rest >= cores implies K_(n-1) + rest >= cores - 1).
 */
export function idleSiblingFull(p: number, vcpus: number, f: number, near: number, rest: number): number {
  const all = p ** vcpus;
  return Math.max(0, (1 - p) * f + p * near - all * rest) + all * f;
}

/** outburns' share levels: DUTY_COARSE of a hundredth, each DUTY_FINE_PER_COARSE of a thousandth. */
const DUTY_COARSE = 100;
const DUTY_FINE_PER_COARSE = 10;

/** dutyLevel: a runnable share's level of a thousandth (shares under 1). */
function dutyLevel(duty: number): number {
  return Math.max(0, Math.min(DUTY_COARSE * DUTY_FINE_PER_COARSE - 1, Math.floor(duty * DUTY_COARSE * DUTY_FINE_PER_COARSE)));
}

/**
 * HostMix aggregates a host's CPU-bound vCPUs for one scheduler core: the occupancy distribution
 * and, per burst bin, sums of duty, of duty x block share and of duty x block share / burst.
 * Everything is additive, so add and remove are O(vCPUs + 1) and a query with one extra VM is
 * O(its vCPUs + bins), allocation-free.
 */
export class HostMix {
  readonly occ = new Occupancy();
  /**
   * The host's sums in one array: a what-if reads them together, and a double in an object field
   * is a heap number of its own (V8), a cache line apart from the object on a cold host. Per burst
   * bin k: Σ duty at [k], Σ duty x block at [BINS + k], Σ duty x block / burst at [2 BINS + k],
   * sleepy vCPUs at [3 BINS + k]; then the scalars at SPR.. (see the names).
   */
  private readonly sums = heapDoubles(SUMS_AND_CACHE);
  /** Light holds (EEVDF): the cached components' held / heldN / heavyWakes (null when not counted). */
  private readonly heldCache: Float64Array | null;
  /**
   * Time share (core.timeShare): Σ over CPU-bound VMs of vcpus x duty, the runners' mean group
   * weight's denominator (time-share.ts runnerWeight; its numerator is GLOAD); 0 where not counted.
   */
  private busyLoad = 0;
  /**
   * Sleepy CPU-bound vCPUs by runnable share, to a thousandth (dutyFine) and a hundredth
   * (dutyCoarse), for outburns; null where the core does not ask (no lowestCreditRatio).
   */
  private readonly dutyFine: Float64Array | null;
  private readonly dutyCoarse: Float64Array | null;
  /** partCount: the parts applied (parts()). */
  private partCount = 0;
  /** splitHogCount: the never-sleeping vCPUs of CPU-bound parts of more than one vCPU (overflowPerSplitWith). */
  private splitHogCount = 0;
  private readonly timeShare: boolean;
  /** The light holds' CPU-bound counts are written (heldCounts: CFS's light-full home and knee terms, credit1's knee). */
  private readonly counts: boolean;
  /** The held tails are credit1's knee's alone (no light holds): found only where it may apply (fillHeld). */
  private readonly kneeOnly: boolean;

  constructor(
    readonly core: SchedulerCore,
    readonly cores: number,
    private readonly mechanisms: Mechanisms = ALL_MECHANISMS,
  ) {
    this.sums[HOG_RL] = core.rateLimitShare(Infinity, true);
    this.heldCache = core.lightHolds === true || core.holdKnee === true ? new Float64Array(HELD_DUE + 1) : null;
    this.counts = core.lightFullHeavyHome === true || core.kneeSlack === true || core.holdKnee === true || core.fullHomePollUs !== undefined;
    this.timeShare = core.timeShare === true;
    this.kneeOnly = core.holdKnee === true && core.lightHolds !== true;
    this.dutyFine = core.lowestCreditRatio !== undefined ? new Float64Array(DUTY_COARSE * DUTY_FINE_PER_COARSE) : null;
    this.dutyCoarse = core.lowestCreditRatio !== undefined ? new Float64Array(DUTY_COARSE) : null;
  }

  /**
   * excludedFull writes P(all held) and P(all but one held) and E[N | all held] with `extra` added
   * and one vCPU of duty `p` taken out, from the exclusion cache: O(extra's vCPUs).
   */
  excludedFull(extra: CpuPart | undefined, p: number, cache: ExclusionCache, out: FullState, near: FullState, cores = this.cores): void {
    const xs = extraSleepers(extra);
    const xd = extraSleepDuty(extra);
    const xh = extraHogs(extra);
    if (p >= 1) {
      // A hog of its own (a trace VM at 100% with requests): one hog fewer.
      this.occ.full(cores, xs, xd, xh - 1, out, near);
      return;
    }
    this.occ.fullWithout(p, cores, xs, xd, xh, out, cache, near);
  }

  /**
   * idleSibling (credit1, Mechanisms.credit1IdleSibling) rewrites out.pFull, written by
   * excludedFull for a sleepy mixed victim's vCPU of duty `p` < 1 with near (one core fewer), for
   * the requests of its VM of `vcpus` > 1 vCPUs at that duty: a request goes to a vCPU without work
   * and wakes it (sim/workloads/io.ts chooseVcpu), so at its wake the busy siblings are the VM's
   * whole busy count K ~ Binomial(vcpus, p) short of vcpus, not vcpus - 1 others independent of the
   * waker. With F = P(N_-1 >= cores) (out), N = P(N_-1 >= cores - 1) (near) and R = P(rest >= cores -
   * vcpus), the host without the VM, a request wakes a vCPU and finds every core held with chance
   * (1 - p) F + p N - p^vcpus R (K_n = K_(n-1) + B, the K_n = n term dropped); one that finds all its
   * VM's vCPUs busy (p^vcpus) is served inside a burst and keeps the chance F. Measured at
   * arrivals (docs/accuracy.md, "credit1's open-round misses", session 21): main's F was 1.7-5.8x
   * low on the five hosts traced, this within 10%.
   */
  idleSibling(extra: CpuPart | undefined, p: number, vcpus: number, cache: ExclusionCache, out: FullState, near: FullState): void {
    const xs = extraSleepers(extra);
    const xd = extraSleepDuty(extra);
    const xh = extraHogs(extra);
    out.pFull = idleSiblingFull(p, vcpus, out.pFull, near.pFull, this.occ.atLeastWithoutVm(p, vcpus, this.cores - vcpus, xs, xd, xh, cache));
  }

  /**
   * excludedHeld rewrites out.held (light holds; heldN > 0) as excludedFull: `extra` added and one
   * vCPU of duty `p` taken out (a mixed victim's own: it is not runnable when it wakes).
   */
  excludedHeld(extra: CpuPart | undefined, p: number, cache: ExclusionCache, out: Components): void {
    const j0 = this.heldZeroBelow(extra);
    for (let j = 0; j < out.heldN; j += 2) {
      if (j + 1 < j0) {
        heldZero(out, j);
        continue;
      }
      this.excludedFull(extra, p, cache, FULL, NEAR, this.cores - j);
      heldPair(out, j);
    }
    out.heldDue = false;
    if (this.counts) this.heldCounts(out, extra, undefined, p);
  }

  /** heldWithExtra rewrites out.held (light holds; heldN > 0) with `extra` (CPU-bound or none) added and nothing taken out. */
  heldWithExtra(extra: CpuPart | undefined, out: Components): void {
    for (let j = 0; j < out.heldN; j += 2) {
      // A mixed newcomer's other vCPUs (query.ts selfComponents): its own vCPU is out, as in
      // excludedHeld once it is on, so no neighbour's sibling count (fullWith's `siblings`).
      this.fullWith(extra, undefined, SCRATCH_CACHE, this.cores - j, false);
      heldPair(out, j);
    }
    out.heldDue = false;
    if (this.counts) this.heldCounts(out, extra, undefined, NaN);
  }

  /**
   * fullWithExtra writes P(all held), P(all but one held) and E[N | all held] with `extra` (CPU-bound
   * or none) added. It is also heavyComponents(·, extra, undefined)'s first step alone: P(all held)
   * is all a victim's first test reads (Query.withinSloRow), and a victim whose SLO leaves it no
   * room fails before the rest is built (heavyFrom then builds the rest). `siblings` false: a mixed
   * newcomer's other vCPUs judging itself, counted as excludedFull counts it once it is on
   * (fullWith).
   */
  fullWithExtra(extra: CpuPart | undefined, out: FullState, near: FullState, siblings = true): void {
    this.fullWith(extra, undefined, SCRATCH_CACHE, this.cores, siblings);
    near.pFull = NEAR.pFull;
    near.meanN = NEAR.meanN;
    out.pFull = FULL.pFull;
    out.meanN = FULL.meanN;
  }

  /** atLeastWith is fullWithExtra's out.pFull alone at `cores` (the same bits), writing nothing else. */
  atLeastWith(extra: CpuPart | undefined, cores: number): number {
    if (!this.mechanisms.poissonBinomial) {
      this.fullWith(extra, undefined, SCRATCH_CACHE, cores);
      return FULL.pFull;
    }
    const xs = extra && extra.duty < 1 ? extra.vcpus : 0;
    const xd = extra && extra.duty < 1 ? extra.duty : 0;
    const xh = extra && extra.duty >= 1 ? extra.vcpus : 0;
    return this.occ.atLeast(cores, xs, xd, xh);
  }

  /**
   * overflowPerSplitWith: E[(N - cores)+] over the occupancy with the CPU-bound `extra` added (the
   * sleepy vCPUs past the cores the never-sleeping ones leave), per never-sleeping vCPU of a VM of
   * several (EEVDF's keepsCpu, Mechanisms.eevdfKeepsOverflow); 0 with none. O(extra's vCPUs) once
   * the occupancy's tail sums are built.
   */
  overflowPerSplitWith(extra: CpuPart | undefined): number {
    const split = this.splitHogCount + (extra !== undefined && extra.duty >= 1 && extra.vcpus > 1 ? extra.vcpus : 0);
    if (split <= 0) return 0;
    const xs = extra && extra.duty < 1 ? extra.vcpus : 0;
    const xd = extra && extra.duty < 1 ? extra.duty : 0;
    const xh = extra && extra.duty >= 1 ? extra.vcpus : 0;
    // Its own scratch: FULL and NEAR hold a components build's states between its steps.
    this.occ.full(this.cores, xs, xd, xh, OVER_FULL, OVER_NEAR);
    return (OVER_FULL.pFull * Math.max(0, OVER_FULL.meanN - this.cores)) / split;
  }

  /** light turns an io-only VM's requests into its CpuPart under this host's scheduler (into `out`). */
  light(l: LightPart, out: MutablePart): CpuPart {
    return this.core.lightPart(l, out);
  }

  apply(c: CpuPart, sign: 1 | -1): void {
    if (c.vcpus <= 0) return;
    this.partCount += sign;
    if (c.block !== undefined) {
      this.sums[LSP] += sign * c.vcpus * c.duty;
      this.sums[LRATE] += (sign * c.vcpus * c.duty) / c.burstUs;
      this.sums[LHOLD] += sign * c.vcpus * c.duty * c.burstUs;
      if (this.heldCache) {
        this.sums[LSERVE] += sign * c.vcpus * c.duty * c.block;
        this.sums[LCNT] += sign * c.vcpus;
      }
      return;
    }
    this.occ.apply(c.vcpus, c.duty, sign);
    if (c.ioWakesUs !== undefined) this.sums[MRATE] += sign * c.ioWakesUs;
    if (c.duty >= 1 && c.vcpus > 1) this.splitHogCount += sign * c.vcpus;
    if (this.core.siblingIo === true && c.siblingIo !== undefined) this.occ.applySibling(c.vcpus, c.duty, c.siblingIo, sign);
    const share = sign * busyShare(c.vcpus, c.duty);
    this.sums[GLOAD] += share;
    if (c.duty < 1) this.sums[SGLOAD] += share;
    this.cached = false;
    if (this.timeShare) this.busyLoad += sign * c.vcpus * Math.min(1, c.duty);
    if (c.duty >= 1) return;
    if (this.dutyFine !== null && this.dutyCoarse !== null) {
      const f = dutyLevel(c.duty);
      this.dutyFine[f] += sign * c.vcpus;
      this.dutyCoarse[Math.floor(f / DUTY_FINE_PER_COARSE)] += sign * c.vcpus;
    }
    this.applyBins(c, sign);
  }

  private applyBins(c: CpuPart, sign: number): void {
    const d = this.delta(c, sign, D0);
    this.sums[d.bin] += d.sp;
    this.sums[BINS + d.bin] += d.spb;
    this.sums[2 * BINS + d.bin] += d.spbr;
    this.sums[3 * BINS + d.bin] += d.cnt;
    this.sums[SPR] += d.spr;
    this.sums[SPRP] += d.sprp;
    this.sums[SPRL] += d.sprl;
    this.sums[SPNB] += d.spnb;
    this.sums[SPBW] += d.spbw;
    this.sums[SVMS] += d.vms;
  }

  /** delta is what `sign` x c adds to the sums (c sleepy), written into `out`. */
  private delta(c: CpuPart, sign: number, out: BinDelta): BinDelta {
    const w = sign * c.vcpus * c.duty;
    const sleepy = c.block === undefined;
    if (sleepy) sharesOf(this.core, c.burstUs);
    const block = sleepy ? SHARES[0] : c.block;
    // Mechanisms.cfsRunnerWeight: a runner of an n-vCPU VM weighs P(some vCPU runnable) / E[runnable]
    // of it (time-share.ts runnerWeight of the one VM), for build's wait cap.
    const weight = sleepy && c.vcpus > 1 && this.core.runnerWeights === true ? runnerWeight(busyShare(c.vcpus, c.duty), c.vcpus * c.duty) : 1;
    out.bin = binOf(c.burstUs);
    out.cnt = sign * c.vcpus;
    out.sp = w;
    out.spb = w * block;
    out.spbr = (w * block) / c.burstUs;
    out.spr = w / c.burstUs;
    out.sprp = this.core.pollPulls !== undefined && sleepy ? out.spr * pollSurvival(this.core.pollPulls.pollUs, c.duty, c.burstUs) : out.spr;
    out.sprl = sleepy ? w * (1 - block) * SHARES[1] : 0;
    out.spnb = w * (1 - block);
    out.spbw = w * block * weight ** TAIL_POWER;
    out.vms = sign;
    return out;
  }


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
  heavyComponents(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined, cache: ExclusionCache = SCRATCH_CACHE): void {
    this.fullWith(extra, exclude, cache);
    this.heavyAfterFull(out, extra, exclude, cache);
  }


  /** heavyFrom is heavyComponents(out, extra, undefined) after fullWithExtra(extra, full, near): the same values. */
  heavyFrom(out: Components, extra: CpuPart | undefined, full: FullState, near: FullState): void {
    FULL.pFull = full.pFull;
    FULL.meanN = full.meanN;
    NEAR.pFull = near.pFull;
    NEAR.meanN = near.meanN;
    this.heavyAfterFull(out, extra, undefined, SCRATCH_CACHE);
  }

  /** heavyAfterFull is heavyComponents once fullWith(extra, exclude, cache) wrote FULL and NEAR. */
  private heavyAfterFull(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined, cache: ExclusionCache): void {
    out.pNearFull = NEAR.pFull;
    const dx = extra && extra.duty < 1 ? this.delta(extra, 1, DX) : noDelta(DX);
    const de = exclude && exclude.duty < 1 ? this.delta(exclude, -1, DE) : noDelta(DE);
    const allHogs = this.occ.hogs + (extra && extra.duty >= 1 ? extra.vcpus : 0) - (exclude && exclude.duty >= 1 ? exclude.vcpus : 0);
    let sumP = allHogs + dx.sp + de.sp;
    let spb = dx.spb + de.spb;
    for (let k = 0; k < BINS; k++) {
      sumP += this.sums[k];
      spb += this.sums[BINS + k];
    }
    // Mechanisms.cfsHogsKeep: where the CPU-bound vCPUs can fill the host but their demand leaves
    // a core idle on average, the hogs keep theirs and the victim meets the rest (build). Past that
    // demand the balancer spreads the sleepers over the hogs' CPUs; below the count the split is
    // as real but only moved the correction's host size, under the simulator (a guard).
    const kept = this.core.hogsKeep === true && allHogs > 0 && sumP < this.cores && this.canFill(allHogs, dx, de) ? allHogs : 0;
    const hogs = allHogs - kept;
    sumP -= kept;
    out.floorSleepUs = 0;
    if (this.core.sleeperFloorUs !== undefined) this.floorInputs(out, allHogs, kept, dx, de);
    out.heavyBlock = sumP > 0 ? spb / sumP : 0;
    this.build(out, sumP, hogs, dx, de, kept);
    out.sleeperFloor = 1;
    if (out.floorSleepUs > 0) {
      // Mechanisms.cfsSleeperFloor: only runners back on the sleeper floor block. With the host's
      // io: the light part puts in a light extra VM's (refloor), as once it is on the host.
      out.floorBase();
      out.refloor(this.floorChance(out, this.sums[LSP], this.serveLoad(undefined)));
    }
    out.heldN = 0;
    if (this.heldCache) this.fillHeld(out, extra, exclude, cache, dx, de);
  }

  /**
   * floorInputs (CFS, Mechanisms.cfsSleeperFloor): writes into `out` what the chance that a sleepy
   * runner came back on the sleeper-credit floor, where a waker is blocked by it (cfs.ts
   * blockShare), is found from (floorChance), or floorSleepUs 0 where the term does not apply.
   * Only where the sleepy CPU-bound vCPUs are one VM's (with `dx`; none of a victim's own taken
   * out: `de` empty) and no hog shares their CPUs (all kept, none, or room for every CPU-bound
   * vCPU): a runner's group entity wakes where it left its CPU's min_vruntime, and only io work in
   * its sleep moves that (or brings the io waker's own lag, on the floor beside a runner, under
   * wakeup_gran). O(1) per what-if beyond the bins' sums build reads anyway.
   */
  private floorInputs(out: Components, allHogs: number, kept: number, dx: BinDelta, de: BinDelta): void {
    out.floorSleepUs = 0;
    if (de.cnt !== 0 || this.sums[SVMS] + dx.vms !== 1) return;
    let sp = dx.sp;
    let cnt = dx.cnt;
    for (let k = 0; k < BINS; k++) {
      sp += this.sums[k];
      cnt += this.sums[3 * BINS + k];
    }
    if (allHogs > kept && allHogs + cnt > this.cores) return;
    const spr = this.sums[SPR] + dx.spr;
    if (!(sp > 0) || !(spr > 0) || !(cnt > 0)) return;
    const duty = sp / cnt;
    out.floorSleepUs = ((sp / spr) * (1 - duty)) / duty;
    out.floorDemand = sp;
    out.floorIdle = this.cores - allHogs - sp;
  }

  /**
   * floorChance: the chance a sleepy runner of `c` (floorInputs; 1 where the term does not apply)
   * came back on the sleeper floor, the host's io at `lsp` (Σ light duty) and `serve` (its serving
   * load, serveLoad). In the runner's sleep (mean floorSleepUs, exponential) its CPU runs only io,
   * and the runner is back on the floor if that io moved the CPU's min_vruntime by the gap (credit
   * - wakeup_gran). The io gathers on the idle shared cores (select_idle_sibling): per such core
   * rho = lsp / idle, at most 1, so the chance is P(sleep x rho > gap) = e^(-gap / (sleep x rho)).
   *
   * 1 (as before) where the premise fails:
   * - At least as much io as the VM's demand: the io entities carry min_vruntime and the waker's
   *   lag is near 0, so a runner just placed blocks it for wakeup_gran (holdout-20 packed/10099/6:
   *   a 2-vCPU io VM at 0.44 of a vCPU each beside one sleeper at duty 0.5, kept hogs on the rest;
   *   78-82% of its wakes behind the sleeper blocked in the simulator, 10 s).
   * - The io's serving does not fit the cores the VM and the hogs leave: the hogs do not keep their
   *   CPUs and the io holds queue (10161/11 with victim-0 at 4,000 requests a second of 120 µs and
   *   cpu-1 at duty 0.8: both victims at 2.5-3.8 ms in the simulator, 0.4 ms drawn).
   */
  private floorChance(c: Components, lsp: number, serve: number): number {
    const gapUs = this.core.sleeperFloorUs;
    if (gapUs === undefined || !(c.floorSleepUs > 0) || !(lsp < c.floorDemand) || !(serve < c.floorIdle)) return 1;
    const rho = c.floorIdle > lsp ? lsp / c.floorIdle : 1;
    const x = c.floorSleepUs * rho;
    return Math.max(FLOOR_MIN, x > 0 ? expNeg(gapUs / x) : 0);
  }

  /**
   * serveLoad: the io-only vCPUs' serving load in cores (Σ duty x serving share; their whole Σ
   * duty where the core does not count light holds), `extra` (light or none) added: the io the
   * shared cores must find room for (halt-polls end as soon as anything else is queued).
   */
  private serveLoad(extra: CpuPart | undefined): number {
    const x = extra !== undefined && extra.block !== undefined ? extra.vcpus * extra.duty : 0;
    if (this.heldCache === null) return this.sums[LSP] + x;
    return this.sums[LSERVE] + x * (extra?.block ?? 0);
  }

  /** canFill: the CPU-bound vCPUs (`hogs`, and the sleepers with `dx` and `de`) are at least the cores (P(all held) > 0). */
  private canFill(hogs: number, dx: BinDelta, de: BinDelta): boolean {
    let n = hogs + dx.cnt + de.cnt;
    for (let k = 0; k < BINS; k++) n += this.sums[3 * BINS + k];
    return n >= this.cores;
  }

  /** fillHeld: the light holds' CPU-bound tails, P(N >= cores - j), into out.held (after build). */
  private fillHeld(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined, cache: ExclusionCache, dx: BinDelta, de: BinDelta): void {
    out.heavyWakes = this.sums[SPR] + dx.spr + de.spr;
    if (this.counts) this.heldCounts(out, extra, exclude, NaN);
    // credit1's knee alone reads the tails, and only at or below the count (holdKnee): past it by
    // more than a mixed victim's own vCPU no victim meets it, and the tails are not found (the
    // placer's what-ifs there cost what they did without the term).
    if (this.kneeOnly && out.heavyVcpus > this.cores + 1) {
      out.heldN = 0;
      return;
    }
    const n = Math.min(this.cores, HELD_MAX) + 1;
    out.heldN = n;
    heldPair(out, 0);
    out.heldDue = false;
    if (this.kneeOnly && exclude === undefined) {
      // Most victims' knees are shown within their SLOs without the tails (query.ts kneeSkips):
      // a query's components (and the host's, cached) find them when first read (heldNow).
      out.heldDue = true;
      this.dueExtra = extra;
      this.dueCached = false;
      return;
    }
    this.heldFrom(out, extra, exclude, cache);
  }

  /**
   * The extra VM the components left heldDue were asked with (the host unchanged since: a query's),
   * and whether they are the host's cached ones (no extra: heldNow writes the tails back to the cache).
   */
  private dueExtra: CpuPart | undefined = undefined;
  private dueCached = false;

  /** heldFrom: fillHeld's tails past the first pair, with `extra` added and `exclude` taken out. */
  private heldFrom(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined, cache: ExclusionCache): void {
    const j0 = this.heldZeroBelow(extra);
    for (let j = 2; j < out.heldN; j += 2) {
      if (j + 1 < j0) {
        heldZero(out, j);
        continue;
      }
      this.fullWith(extra, exclude, cache, this.cores - j);
      heldPair(out, j);
    }
    out.heldDue = false;
  }

  /** heldNow: out's held tails, found now if fillHeld left them due (the same bits as found then: fullWith reads no cache without an exclude). */
  private heldNow(out: Components): void {
    if (!out.heldDue) return;
    this.heldFrom(out, this.dueExtra, undefined, SCRATCH_CACHE);
    const h = this.heldCache;
    if (!this.dueCached || !this.cached || h === null || h[HELD_DUE] === 0) return;
    for (let j = 0; j < out.heldN; j++) h[j] = out.held[j];
    h[HELD_DUE] = 0;
  }

  /**
   * heldZeroBelow (credit1's knee only; 0 elsewhere): below this j, P(N >= cores - j) is 0, the
   * CPU-bound vCPUs (hogs, sleepers and a CPU-bound `extra`'s, an upper bound on N whatever is
   * taken out) being fewer than cores - j: the occupancy's tails past its support are exact zeros
   * (tails.ts tail0), so skipping those calls writes the same bits. Most of the placer's credit1
   * hosts at or below the count hold few CPU-bound vCPUs.
   */
  private heldZeroBelow(extra: CpuPart | undefined): number {
    if (!this.kneeOnly) return 0;
    let sleepy = 0;
    for (let k = 0; k < BINS; k++) sleepy += this.sums[3 * BINS + k];
    const most = this.occ.hogs + sleepy + (extra !== undefined && extra.block === undefined ? extra.vcpus : 0);
    return this.cores - most;
  }

  /**
   * heldCounts writes the CPU-bound vCPU counts CFS's light-full term reads (Components.heavyVcpus,
   * sleepyVcpus, sleepyDuty): the host's, `extra` added and `exclude` taken out (each CPU-bound or
   * none), and one more vCPU of duty `p` taken out (NaN: none; a mixed waker's own, which has no
   * CPU while it sleeps, as excludedHeld takes it out of the tails).
   */
  private heldCounts(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined, p: number): void {
    let sleepy = 0;
    let duty = 0;
    for (let k = 0; k < BINS; k++) {
      sleepy += this.sums[3 * BINS + k];
      duty += this.sums[k];
    }
    let hogs = this.occ.hogs;
    if (extra !== undefined && extra.block === undefined) {
      if (extra.duty >= 1) hogs += extra.vcpus;
      else {
        sleepy += extra.vcpus;
        duty += extra.vcpus * extra.duty;
      }
    }
    if (exclude !== undefined && exclude.block === undefined) {
      if (exclude.duty >= 1) hogs -= exclude.vcpus;
      else {
        sleepy -= exclude.vcpus;
        duty -= exclude.vcpus * exclude.duty;
      }
    }
    if (p >= 1) hogs -= 1;
    else if (p >= 0) {
      sleepy -= 1;
      duty -= p;
    }
    out.sleepyVcpus = sleepy;
    out.sleepyDuty = duty;
    out.heavyVcpus = sleepy + hogs;
  }

  /** runnerWeightWith: the runners' mean group weight (time-share.ts) with `extra` (CPU-bound or none) added; NaN without runners. */
  runnerWeightWith(extra: CpuPart | undefined): number {
    if (extra === undefined) return runnerWeight(this.sums[GLOAD], this.busyLoad);
    return runnerWeight(this.sums[GLOAD] + busyShare(extra.vcpus, extra.duty), this.busyLoad + extra.vcpus * Math.min(1, extra.duty));
  }

  /**
   * fairShare: the share of a CPU each CPU-bound vCPU gets when they all contend for the cores the
   * io-only vCPUs' load leaves (credit2's credit level falls at it: every vCPU that keeps up burns
   * CREDIT_INIT per reset), max-min fair: vCPUs that want less keep their duty (each bin's at its
   * mean duty), the others share the rest. `extra`: a CPU-bound VM added; `light`: an io-only one
   * added (its load off the cores). NaN when the CPU-bound demand fits in what is left. O(bins).
   */
  fairShare(extra: CpuPart | undefined, light: CpuPart | undefined): number {
    let left = this.cores - this.sums[LSP] - (light !== undefined ? light.vcpus * light.duty : 0);
    let count = this.occ.hogs;
    let demand = this.occ.hogs;
    const xd = extra !== undefined && extra.block === undefined ? Math.min(1, extra.duty) : 0;
    const xn = xd > 0 ? extra!.vcpus : 0;
    count += xn;
    demand += xn * xd;
    for (let k = 0; k < BINS; k++) {
      count += this.sums[3 * BINS + k];
      demand += this.sums[k];
    }
    if (!(left > 0) || !(count > 0) || demand <= left) return NaN;
    // Water-fill: take out the groups whose duty is under the even share, until none is.
    let f = left / count;
    for (let pass = 0; pass <= BINS + 1; pass++) {
      let l = left;
      let n = count;
      for (let k = 0; k < BINS; k++) {
        const c = this.sums[3 * BINS + k];
        if (c > 0 && this.sums[k] / c < f) {
          l -= this.sums[k];
          n -= c;
        }
      }
      if (xn > 0 && xd < f) {
        l -= xn * xd;
        n -= xn;
      }
      const next = n > 0 ? l / n : f;
      if (next === f) break;
      f = next;
    }
    return f;
  }

  /**
   * outburns (credit2, Mechanisms.credit2LowestCredit; SchedulerCore.lowestCreditRatio): whether a
   * sleepy CPU-bound VM of `vcpus` vCPUs at runnable share `duty` runs so much more than every other
   * CPU-bound vCPU of the host that it holds the least credit all through a reset period: no hog,
   * and no other vCPU (the extra VM's included) over `duty` x the ratio. `inMix`: the VM is one of
   * the host's (its own vCPUs are taken out of the count); false for a newcomer judging itself.
   * Shares are counted to a thousandth; O(1): at most 100 coarse and 10 fine levels read.
   */
  outburns(duty: number, vcpus: number, extra: CpuPart | undefined, inMix: boolean): boolean {
    const ratio = this.core.lowestCreditRatio;
    const fine = this.dutyFine;
    const coarse = this.dutyCoarse;
    if (ratio === undefined || fine === null || coarse === null || !(duty < 1) || this.occ.hogs > 0) return false;
    const thr = duty * ratio;
    if (extra !== undefined && extra.block === undefined && extra.duty > thr) return false;
    const own = inMix ? dutyLevel(duty) : -1;
    const top = dutyLevel(thr);
    const topCoarse = Math.floor(top / DUTY_FINE_PER_COARSE);
    for (let k = DUTY_COARSE - 1; k > topCoarse; k--) {
      const n = coarse[k] - (own >= 0 && Math.floor(own / DUTY_FINE_PER_COARSE) === k ? vcpus : 0);
      if (n > 0.5) return false;
    }
    for (let f = top + 1; f < (topCoarse + 1) * DUTY_FINE_PER_COARSE; f++) {
      if (fine[f] - (f === own ? vcpus : 0) > 0.5) return false;
    }
    return true;
  }

  /** lightWakesUs: the host's io-only vCPUs' wakes per µs (Σ duty / hold), for credit2's grant-end waits (query.ts). */
  lightWakesUs(): number {
    return this.sums[LRATE];
  }

  /** mixedWakesUs: the host's sleepy mixed VMs' request wakes per µs (CpuPart.ioWakesUs), for credit2's grant-end waits (query.ts). */
  mixedWakesUs(): number {
    return this.sums[MRATE];
  }

  /**
   * pollPullShare: the part of the sleepy CPU-bound vCPUs' blocks (Σ duty / burst, with `extra` if
   * it is CPU-bound and sleepy) after which the CPU goes idle and pulls, Σ duty / burst x
   * e^(-window / sleep) over that sum (SchedulerCore.pollPulls); 1 without blocks or the core's
   * window. O(1): the what-if's extra is one part.
   */
  pollPullShare(extra: CpuPart | undefined): number {
    const pp = this.core.pollPulls;
    if (pp === undefined) return 1;
    let spr = this.sums[SPR];
    let sprp = this.sums[SPRP];
    if (extra !== undefined && extra.block === undefined && extra.duty < 1) {
      const x = (extra.vcpus * extra.duty) / extra.burstUs;
      spr += x;
      sprp += x * pollSurvival(pp.pollUs, extra.duty, extra.burstUs);
    }
    return spr > 1e-15 ? Math.min(1, Math.max(0, sprp / spr)) : 1;
  }

  /** sleepyWakesUs: the host's sleepy CPU-bound vCPUs' wakes per µs (Σ duty / burst), for credit1's OVER waits (query.ts). */
  sleepyWakesUs(): number {
    return this.sums[SPR];
  }

  /** sleepySums writes the host's sleepy CPU-bound vCPUs' Σ duty and count into out[0], out[1], and its hogs into out[2]. */
  sleepySums(out: Float64Array): void {
    out[2] = this.occ.hogs;
    let sp = 0;
    let cnt = 0;
    for (let k = 0; k < BINS; k++) {
      sp += this.sums[k];
      cnt += this.sums[3 * BINS + k];
    }
    out[0] = sp;
    out[1] = cnt;
  }

  /**
   * parts: the parts applied (one per VM, and the driver's where there is one), each a group
   * entity of at most its VM's shares on a CPU, for EEVDF's keepsCpu (Mechanisms.eevdfNeverPulled).
   */
  parts(): number {
    return this.partCount;
  }

  /** hogVcpus: the host's never-sleeping CPU-bound vCPUs (duty 1), for EEVDF's keepsCpu (query.ts). */
  hogVcpus(): number {
    return this.occ.hogs;
  }

  /** groupLoad: the host's CPU-bound VMs' Σ busyShare (their mean runnable group shares, in VMs), for CFS's saturated waits. */
  groupLoad(): number {
    return this.sums[GLOAD];
  }

  /** sleeperGroupLoad: groupLoad's part from sleepy CPU-bound VMs (duty < 1), for EEVDF's light-entity waits. */
  sleeperGroupLoad(): number {
    return this.sums[SGLOAD];
  }

  /** lightLoad: the host's io-only vCPUs' Σ duty (their mean busy cores), for credit1's OVER waits. */
  lightLoad(): number {
    return this.sums[LSP];
  }

  /** lightComponent: the light part of `components`, after heavyComponents filled `out`. */
  lightComponent(out: Components, extra: CpuPart | undefined, exclude: CpuPart | undefined, kneeDue = false, ownRho = NaN): void {
    this.lightComponentLess(out, extra, exclude ? exclude.vcpus * exclude.duty : 0, exclude ? (exclude.vcpus * exclude.duty) / exclude.burstUs : 0, exclude ? exclude.vcpus : 0, kneeDue, ownRho);
  }

  /**
   * lightComponentLess is lightComponent with the excluded light part given by its Σ duty, Σ duty /
   * hold and vCPUs (victim rows). `ownRho`: an io victim's utilisation of one vCPU by its requests
   * (VictimTail.rho, for serveRelease); NaN for none (a mixed victim, whose vCPUs run its own
   * bursts: serveRelease holds as for a busy io victim).
   */
  lightComponentLess(out: Components, extra: CpuPart | undefined, exLsp: number, exLrate: number, exCnt = 0, kneeDue = false, ownRho = NaN): void {
    let lsp = this.sums[LSP];
    let lrate = this.sums[LRATE];
    out.kneeA = 0;
    out.fullHomeFull = 0;
    out.kneeDue = false;
    if (extra) {
      lsp += extra.vcpus * extra.duty;
      lrate += (extra.vcpus * extra.duty) / extra.burstUs;
    }
    out.lightWakesUs = Math.max(0, lrate - exLrate);
    // Mechanisms.cfsSleeperFloor: the light extra VM's io in the floor chance, as once it is on.
    if (out.floorSleepUs > 0) out.refloor(this.floorChance(out, lsp, this.serveLoad(extra)));
    if (this.core.lightWaiters === true) this.lightWaiters(out, othersBusy(lsp, this.sums[LCNT] + (extra ? extra.vcpus : 0)));
    if (out.heldN > 0 && this.core.lightHolds === true) {
      const serve = lsp > 0 ? (this.sums[LSERVE] + (extra ? extra.vcpus * extra.duty * (extra.block ?? 0) : 0)) / lsp : 0;
      this.buildLightHolds(out, lsp - exLsp, lrate - exLrate, serve, this.sums[LCNT] + (extra ? extra.vcpus : 0) - exCnt, ownRho);
      return;
    }
    this.buildLight(out, lsp - exLsp, lrate - exLrate);
    if (out.heldN > 0 && this.core.holdKnee === true) {
      // The excluded part is one VM's: its Σ duty x hold is exLsp x its hold, exLsp / exLrate.
      const lhold = this.sums[LHOLD] + (extra ? extra.vcpus * extra.duty * extra.burstUs : 0) - (exLrate > 0 ? (exLsp * exLsp) / exLrate : 0);
      this.holdKnee(out, lsp - exLsp, lrate - exLrate, this.sums[LCNT] + (extra ? extra.vcpus : 0) - exCnt, kneeDue, lhold);
    }
  }

  /**
   * holdKnee (credit1, Mechanisms.credit1Knee): the knee's waits of a BOOST waker (io, or a sleepy
   * mixed vCPU waking UNDER) on a host whose CPU-bound vCPUs are j >= 1 cores short of full.
   *
   * - No idle pCPU: the busy io vCPUs (`count` of them, Σ duty `lsp`, the waker's own out) hold
   *   the j cores the CPU-bound ones leave: lightHoldFull over the CPU-bound tails, every j, not
   *   only buildLight's one short. It rises smoothly with the CPU-bound demand and the io load as
   *   they approach the cores, and does not need the CPU-bound vCPUs to reach the count.
   * - Blocked: the waker queues on its home pCPU (__runq_tickle tickles an idle pCPU only if one
   *   exists, and preempts only a lower priority): its home runner took the core after it left,
   *   an io vCPU (always BOOST while it serves) or a CPU-bound one still boosted (its block
   *   share), by their shares of the wake-ups, as CFS's knee.
   * - Released when a core frees up and steals it: the slack's cores (what the CPU-bound demand
   *   and the io load leave) turn over once per io hold, an Erlang-C wait at slack / hold, or the
   *   runner's slice ends (kneeRate, CFS's knee's). With Mechanisms.credit1KneeQueue the release
   *   is the blocking states' instead (kneeFull, light-holds.ts kneeQueueRate): the mean slack is
   *   mostly the sleepers' idle time, which does not turn over at an io hold's pace.
   *
   * Measured in the simulator (docs/accuracy.md, "A smooth knee (session 18)"): holdout-15's
   * packed/10045/3 at 17 cores (16 CPU-bound vCPUs) its victims' waits are an exponential of
   * 0.27 ms mean on ~3% of wakes, 0.75 ms at 16 cores, 0.06 ms at 18: the slack's rate.
   */
  private holdKnee(out: Components, lsp: number, lrate: number, count: number, due: boolean, lhold: number): void {
    out.kneeA = 0;
    out.kneeHoldUs = 0;
    // Past the count the CPU-bound vCPUs fill the host by themselves: the core's full-host states
    // (fitted) are that regime, and a slack of 0 or less has no Erlang-C wait to speak of.
    if (!this.mechanisms.lightRunners || !(out.heavyVcpus <= this.cores) || !(lsp > 1e-12) || !(lrate > 0) || !(count >= 1)) return;
    const hogs = out.heavyVcpus - out.sleepyVcpus;
    const slack = this.cores - hogs - out.sleepyDuty - lsp;
    if (!(slack > 0)) return;
    // Every input of kneeA but the held tails' sum; the placer's row test (`due`, query.ts
    // kneeSkips) finds that sum only where a bound on it cannot show the floor within the SLO.
    out.kneeLsp = lsp;
    out.kneeCount = Math.round(count);
    out.kneeBlock = (lrate * this.core.lightBlock + out.heavyWakes * out.heavyBlock) / (lrate + out.heavyWakes);
    out.kneeRDue = kneeRate(slack, lsp / lrate, out.capUs);
    if (this.mechanisms.credit1KneeQueue) {
      // The blocking states' release (kneeFull, with the held tails); the least of it, one core
      // left (kneeQueueRate rises with it), is what the placer's row test may assume before.
      // The duty-weighted hold is at least the rate-weighted one (Cauchy-Schwarz): that floor
      // keeps a sum drifted by incremental adds and removes from going below it.
      out.kneeHoldUs = Math.max(lsp / lrate, lhold / lsp);
      out.kneeBaseR = out.heavyWakes + 1 / out.capUs;
      out.kneeRDue = kneeQueueRate(1, lsp, out.kneeHoldUs, out.kneeBaseR);
    }
    if (due) out.kneeDue = true;
    else this.kneeFull(out);
  }

  /** kneeFull finishes the knee holdKnee prepared on `out`: the held tails' sum (found now if left due), kneeA and kneeR. */
  kneeFull(out: Components): void {
    out.kneeDue = false;
    out.kneeA = 0;
    this.heldNow(out);
    const queue = out.kneeHoldUs > 0;
    const full = queue ? lightHoldFullShort(out.held, out.heldN, out.kneeLsp, out.kneeCount, KNEE_SHORT) : lightHoldFull(out.held, out.heldN, out.kneeLsp, out.kneeCount);
    if (!(full > 0)) return;
    out.kneeA = full * out.kneeBlock;
    out.kneeR = queue ? kneeQueueRate(Math.max(1, KNEE_SHORT[0] / full), out.kneeLsp, out.kneeHoldUs, out.kneeBaseR) : out.kneeRDue;
  }

  /**
   * kneeAbove: an upper bound on the kneeA kneeFull would write on `out` (holdKnee left due), from
   * the CPU-bound vCPUs' count alone: the held tails are 0 below cores - (the host's CPU-bound
   * vCPUs, a mixed victim's own back in: `own` 1), so at least that many busy io vCPUs are asked.
   */
  kneeAbove(out: Components, own: number): number {
    return lightHoldFullAbove(this.cores - out.heavyVcpus - own, out.heldN, out.kneeLsp, out.kneeCount) * out.kneeBlock;
  }

  /**
   * kneeAbsent: kneeFull on `out` (holdKnee left due) would find no term of lightHoldFull: its io
   * vCPUs are fewer than the cores below which the held tails are exact zeros (kneeAbove), or those
   * cores are past the tails asked. kneeA is then 0, as holdKnee leaves it.
   */
  kneeAbsent(out: Components, own: number): boolean {
    const js = Math.max(1, this.cores - out.heavyVcpus - own);
    return out.kneeCount < 1 || js >= out.heldN || js > out.kneeCount;
  }

  /**
   * countsOnly is heldWithExtra's (`p` NaN) or excludedHeld's (a mixed victim's own duty `p` out)
   * counts alone (heavyVcpus, sleepyVcpus, sleepyDuty), their tails left to them.
   */
  countsOnly(out: Components, extra: CpuPart | undefined, p = NaN): void {
    if (this.counts) this.heldCounts(out, extra, undefined, p);
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
    const cores = this.cores - out.keptCores;
    const homeBlock = this.core.lightBlock / cores + (1 - 1 / cores) * out.heavyBlock;
    const busyLight = 1 - Math.exp(-Math.max(0, lsp));
    out.lightA = exactlyOneShort * busyLight * homeBlock;
    out.lightR = lrate / lsp + out.nu;
    out.lightECap = expNeg(out.lightR * out.capUs);
  }

  /**
   * buildLightHolds is buildLight when light holds are counted (EEVDF, light-holds.ts): the host
   * full with any number of cores held by busy light vCPUs, the waker blocked when its home
   * runner is a light vCPU serving. A blocked waker is released as fast as under buildLight.
   */
  private buildLightHolds(out: Components, lsp: number, lrate: number, serve: number, count: number, ownRho: number): void {
    const holds = lsp > 1e-12 && count >= 1;
    if (!holds || !this.mechanisms.lightRunners) {
      // No other light vCPU: the sleepers' polls alone may still fill the last core (heavyHomeA).
      const a = this.mechanisms.lightRunners && this.core.lightFullHeavyHome === true ? this.heavyHomeA(out, 0, 0, 0) : 0;
      out.lightA = a;
      out.lightR = a > 0 ? 1 / (this.core.sleeperPollUs ?? 1) + out.nu * out.othersShare : 1;
      out.lightECap = a > 0 ? expNeg(out.lightR * out.capUs) : 0;
      return;
    }
    const full = lightHoldFull(out.held, out.heldN, lsp, Math.round(count));
    out.lightA = full * lightHomeBlock(lrate, out.heavyWakes, serve);
    if (this.core.lightFullHeavyHome === true) out.lightA += this.heavyHomeA(out, lsp, lrate, count);
    out.lightR = lrate / lsp + out.nu * out.othersShare;
    if (this.core.serveRelease === true) this.serveRelease(out, lsp, lrate, serve, ownRho);
    out.lightECap = expNeg(out.lightR * out.capUs);
    if (this.core.kneeSlack === true) this.knee(out, lsp, lrate, serve);
    // CFS (Mechanisms.cfsFullHome): below the count only, and not where the knee counted the event.
    const below = this.core.fullHomeBelowCount !== true || (!(out.kneeA > 0) && out.heavyVcpus < this.cores);
    if (this.core.fullHomePollUs !== undefined && below) this.fullHome(out, lsp, lrate, count, this.core.fullHomePollUs);
  }

  /**
   * serveRelease (EEVDF, Mechanisms.eevdfServeRelease; docs/accuracy.md, "Packed EEVDF: the light
   * holds' release from the rest of a serve (session 21)"): where the CPU-bound vCPUs leave at least
   * SERVE_RELEASE_FREE cores, a waker blocked behind a serving io vCPU is released by the rest of
   * that serve, not by the end of an exponential hold of serve + halt-poll window: at the serve's
   * end the server is not alone on its queue, so it does not halt-poll (kvm_vcpu_can_poll), it
   * blocks and the waker runs. The rest of a serve is half a serve on average (`serve`, the holds'
   * serving share, times their mean hold). Where the io holds crowd the cores left the waker also
   * meets the server's queued requests and other wakers queued ahead, a chain of serves: the
   * release is the serve's rest over (1 - rho), an M/G/1 residual busy period, rho the holds'
   * Σ duty (`lsp`, serves and polls: a polling CPU is not idle to a waker) over the
   * cores left (neither hogs' nor the sleepers' mean demand), at most SERVE_RELEASE_RHO. Never
   * slower than the holds' own turnover (lrate / lsp), the release without the term.
   *
   * Not for an io victim that serves under SERVE_RELEASE_OWN of a vCPU (`ownRho`) where the holds
   * load the cores left under SERVE_RELEASE_CROWD: its vCPU is idle almost all the time, its home
   * CPU is a CPU-bound runner's when it wakes to a full host, and that runner's hold, not a serve,
   * ends the wait (the release without the term).
   */
  private serveRelease(out: Components, lsp: number, lrate: number, serve: number, ownRho: number): void {
    if (!(this.cores - out.heavyVcpus >= (this.core.serveReleaseFree ?? SERVE_RELEASE_FREE)) || !(serve > 0)) return;
    const left = this.cores - (out.heavyVcpus - out.sleepyVcpus) - out.sleepyDuty;
    if (ownRho < SERVE_RELEASE_OWN && lsp / left < SERVE_RELEASE_CROWD) return;
    const rho = Math.min(SERVE_RELEASE_RHO, Math.max(0, lsp / left));
    const holdUs = lsp / lrate;
    const waitUs = Math.min(holdUs, (serve * holdUs) / 2 / (1 - rho));
    out.lightR = 1 / waitUs + out.nu * out.othersShare;
  }

  /**
   * fullHome (EEVDF, Mechanisms.eevdfFullHome; light-holds.ts fullHomeWaits): the waits of an io
   * waker that finds no idle CPU, the light holds (the other io vCPUs' serves and polls, Σ duty
   * `lsp` at `lrate` holds per µs over `count` vCPUs, and the CPU-bound sleepers' polls of up to
   * `pollUs`) filling the cores the CPU-bound runners leave, and is blocked behind a CPU-bound
   * home runner: into kneeA / kneeR (the floor's shape is CFS's knee's, cfs.ts kneeEpisodes).
   *
   * - Only where the CPU-bound vCPUs and the light holds together can fill the cores
   *   (heavyVcpus + lsp >= cores): fewer, and each CPU-bound vCPU keeps a CPU of its own (it wakes
   *   onto its previous CPU, idle), so none is on the io waker's home (CFS's heavyHomeBlock's
   *   step; on holdout-6's contended 9909/2, 15 CPU-bound vCPUs on 16 cores and 0.03 cores of io,
   *   the simulator's victims stay at their alone p99.9).
   * - A sleeper polls after each burst until its window ends or its next burst begins: a poll of
   *   E[min(sleep, pollUs)], the sleep exponential at the sleepers' mean.
   * - Blocked with chance full x the CPU-bound runners' share of the home CPU's wake-ups (their
   *   block share: a sleeper picked after the waker left is inside its protected slice).
   * - Released when a held core frees and it is the one of the queued threads that core picks (1 +
   *   their expected excess), or when its home runner's burst ends, or at the slice's end plus a
   *   tick (the cap). Each of the j light-held cores frees once per occupancy: a hold whose vCPU
   *   wakes again inside the poll window (an io vCPU's next request, at its mean rate; a sleeper's
   *   next burst) keeps the core, so the holds that free it are e^(-window x rate) of them. The
   *   simulator's picks per held core came every 237-309 µs on the traced hosts, where the holds
   *   alone would say 224-361 (docs/accuracy.md, "Packed EEVDF io victims below the count").
   */
  private fullHome(out: Components, lsp: number, lrate: number, count: number, pollUs: number): void {
    if (!(lrate > 0) || !(out.heavyWakes > 0) || !this.mechanisms.lightRunners) return;
    if (out.heavyVcpus + lsp < this.cores) return;
    const sleepUs = Math.max(0, out.sleepyVcpus - out.sleepyDuty) / out.heavyWakes;
    const polls = sleepUs > 0 && pollUs > 0 ? out.heavyWakes * sleepUs * (1 - Math.exp(-pollUs / sleepUs)) : 0;
    const w = fullHomeWaits(out.held, out.heldN, lsp + polls, Math.round(count + out.sleepyVcpus), FULL_HOME_HELD);
    if (!(w.full > 0)) return;
    // A hold frees its core only when its vCPU does not wake again inside the poll window.
    const ioFree = lrate * Math.exp((-pollUs * lrate) / Math.max(1, count));
    const sleeperFree = sleepUs > 0 ? out.heavyWakes * Math.exp(-pollUs / sleepUs) : out.heavyWakes;
    const hold = (lsp + polls) / (ioFree + sleeperFree);
    out.fullHomeFull = w.full;
    out.kneeA = w.full * ((out.heavyWakes * out.heavyBlock) / (lrate + out.heavyWakes));
    out.kneeR = w.held / hold / w.queued + out.heavyWakes / Math.max(1e-9, out.sleepyDuty) + 1 / out.capUs;
  }

  /**
   * knee (CFS, Mechanisms.cfsKneeSlack; light-holds.ts kneeNoIdle, kneeRate): with fewer CPU-bound
   * vCPUs than cores (pFull 0), the chance an io waker finds no idle CPU, the polls filling the
   * slack the CPU-bound demand and the serving leave, times the chance its home runner blocks it
   * (a serving light vCPU or a fresh CPU-bound one, by their shares of the wake-ups), and the
   * slack's release rate. `lsp`, `lrate`: the light Σ duty and Σ duty / hold, the waker's own
   * vCPU out; `serve` their serving share.
   */
  private knee(out: Components, lsp: number, lrate: number, serve: number): void {
    if (!(out.heavyVcpus < this.cores) || !(lrate > 0)) return;
    const hogs = out.heavyVcpus - out.sleepyVcpus;
    const serving = lsp * serve;
    const polls = lsp - serving + sleeperPollLoad(out.heavyWakes, this.core.sleeperPollUs ?? 0);
    const slack = this.cores - hogs - out.sleepyDuty - serving;
    // Below the knee the polls leave idle time on average, and a waker that meets no idle CPU
    // mostly finds a poller or a short serve on its home (the simulator: no wait to speak of).
    if (!(polls >= slack)) return;
    const noIdle = kneeNoIdle(slack, polls);
    if (!(noIdle > 0)) return;
    const block = (lrate * serve + out.heavyWakes * out.heavyBlock) / (lrate + out.heavyWakes);
    out.kneeA = noIdle * block;
    out.kneeR = kneeRate(slack, lsp / lrate, out.capUs);
  }

  /**
   * heavyHomeA (CFS, Mechanisms.cfsLightFullHome): the blocked wakes behind a CPU-bound home runner
   * while one light hold fills the host (light-holds.ts heavyHomeBlock). Only one: with j held
   * cores the waiter is pulled when the first of them goes idle, j times sooner, and at the p99.9
   * the one-hold state is the tail. The holds are the light vCPUs' and, with
   * Mechanisms.cfsSleeperPolls, the halt-polls of the CPU-bound vCPUs not running then.
   */
  private heavyHomeA(out: Components, lsp: number, lrate: number, count: number): number {
    const block = heavyHomeBlock(lrate, out.heavyWakes, out.heavyBlock, out.heavyVcpus, this.cores);
    if (!(block > 0)) return 0;
    const pollUs = this.core.sleeperPollUs ?? 0;
    const idle = out.sleepyVcpus - out.sleepyDuty;
    const share = pollUs > 0 && idle > 1e-9 ? sleeperPollLoad(out.heavyWakes, pollUs) / idle : 0;
    return lightHoldOne(out.held, out.heldN, lsp, Math.round(count), out.heavyVcpus - this.cores + 1, share) * block;
  }

  /**
   * lightWaiters (CFS, light-holds.ts lightWaiterShare): the other cores' releases in the blocked
   * waits discounted by the busy light vCPUs other than the victim's (`others`, their Σ duty), per
   * victim, on components a query may share between victims (so from the undiscounted rOthers,
   * whatever share a victim before left). meanWaitUs (a correction input) stays the CPU-bound
   * one, so the correction's host part is the same on the placer's cached path as when fitting.
   */
  private lightWaiters(out: Components, others: number): void {
    const f = lightWaiterShare(out.excess, others, STEAL_DISCOUNT);
    if (f === out.othersShare) return;
    let waitW = 0;
    for (let k = 0; k < BINS; k++) {
      if (!(out.a[k] > 0)) continue;
      const r = out.r[k] + out.rOthers[k] * (f - out.othersShare);
      out.r[k] = r;
      out.eCap[k] = expNeg(r * out.capUs);
      waitW += out.a[k] / r;
    }
    out.othersShare = f;
    out.sumAOverR = waitW;
  }

  /**
   * The CPU-bound components with nothing added, kept (in `sums`, after the sums) until the mix
   * changes: a what-if with an io-only VM (or none) reads them instead of recomputing, and the
   * caller (Query) keeps its two host parts of the correction beside them.
   */
  private cached = false;

  /** loadCached copies the no-extra components into `out` and their host parts into `parts`; false (nothing copied): the mix changed since storeCached. */
  loadCached(out: Components, parts: Float64Array): boolean {
    if (!this.cached) return false;
    out.load(this.sums, CACHED);
    out.heldDue = false;
    parts[0] = this.sums[CACHED_PARTS];
    parts[1] = this.sums[CACHED_PARTS + 1];
    const h = this.heldCache;
    out.heldN = 0;
    if (h) {
      out.heldN = h[HELD_MAX + 1];
      out.heavyWakes = h[HELD_MAX + 2];
      out.heavyVcpus = h[HELD_MAX + 3];
      out.sleepyVcpus = h[HELD_MAX + 4];
      out.sleepyDuty = h[HELD_MAX + 5];
      const due = h[HELD_DUE] !== 0;
      for (let j = 0; j < (due ? Math.min(2, out.heldN) : out.heldN); j++) out.held[j] = h[j];
      if (due) {
        out.heldDue = true;
        this.dueExtra = undefined;
        this.dueCached = true;
      }
    }
    return true;
  }

  /** storeCached keeps `c`, heavyComponents(c) with nothing added, and its host parts, until the mix changes. */
  storeCached(c: Components, parts: Float64Array): void {
    c.save(this.sums, CACHED);
    this.sums[CACHED_PARTS] = parts[0];
    this.sums[CACHED_PARTS + 1] = parts[1];
    const h = this.heldCache;
    if (h) {
      h[HELD_MAX + 1] = c.heldN;
      h[HELD_MAX + 2] = c.heavyWakes;
      h[HELD_MAX + 3] = c.heavyVcpus;
      h[HELD_MAX + 4] = c.sleepyVcpus;
      h[HELD_MAX + 5] = c.sleepyDuty;
      h[HELD_DUE] = c.heldDue ? 1 : 0;
      for (let j = 0; j < (c.heldDue ? Math.min(2, c.heldN) : c.heldN); j++) h[j] = c.held[j];
      if (c.heldDue) this.dueCached = true;
    }
    this.cached = true;
  }

  /** fullWith writes the occupancy with extra added and exclude taken out into FULL (at `cores`, default the host's) and NEAR (one core fewer). */
  /**
   * fullWith writes FULL and NEAR: `extra` added and `exclude` taken out. With nothing taken out
   * and `siblings` (a victim none of whose own vCPUs is out of the count), the full host's chance
   * counts each mixed VM of several vCPUs by its busy count (core.siblingIo).
   */
  private fullWith(extra: CpuPart | undefined, exclude: CpuPart | undefined, cache: ExclusionCache, cores = this.cores, siblings = true): void {
    const occ = this.occ;
    const xs = extra && extra.duty < 1 ? extra.vcpus : 0;
    const xd = extra && extra.duty < 1 ? extra.duty : 0;
    const xh = extra && extra.duty >= 1 ? extra.vcpus : 0;
    if (!this.mechanisms.poissonBinomial) {
      let sleepySum = 0;
      for (let k = 0; k < BINS; k++) sleepySum += this.sums[k];
      meanFull(occ, sleepySum, extra, exclude, cores - 1, NEAR);
      meanFull(occ, sleepySum, extra, exclude, cores, FULL);
      return;
    }
    if (!exclude) {
      occ.full(cores, xs, xd, xh, FULL, NEAR);
      // credit1's siblingIo: the full host only (the one-core-short chance feeds the light waits,
      // as in idleSibling), and with nothing excluded (a mixed victim's own VM is idleSibling's).
      const xio = xs > 0 && extra?.siblingIo !== undefined ? extra.siblingIo : 0;
      if (siblings && cores === this.cores && this.core.siblingIo === true && (occ.hasSiblings || xio > 0)) FULL.pFull = occ.atLeastSiblings(cores, xs, xd, xh, xio);
      return;
    }
    if (exclude.duty >= 1) return occ.full(cores, xs, xd, xh - exclude.vcpus, FULL, NEAR);
    occ.fullWithout(exclude.duty, cores, xs, xd, xh, FULL, cache, NEAR);
  }

  /**
   * localWaitersNu: the release rate `nu` with the blocking runners' part (Σ duty x block /
   * burst, times `reach` = inc x g as in nu) discounted by localRescueShare, the mean blocked wait
   * taken at `nu` (one step: the discount lengthens the wait, which is not fed back).
   */
  private localWaitersNu(nu: number, reach: number, spr: number, pFull: number, sumP: number, dx: BinDelta, de: BinDelta): number {
    let spbAll = 0;
    let sbr = 0;
    let waitW = 0;
    for (let k = 0; k < BINS; k++) {
      const spb = this.sums[BINS + k] + (dx.bin === k ? dx.spb : 0) + (de.bin === k ? de.spb : 0);
      if (!(spb > 1e-12)) continue;
      const spbr = this.sums[2 * BINS + k] + (dx.bin === k ? dx.spbr : 0) + (de.bin === k ? de.spbr : 0);
      spbAll += spb;
      sbr += spbr;
      waitW += spb / (spbr / spb + nu);
    }
    if (spbAll === 0) return nu;
    const share = localRescueShare(pFull, spr, waitW / spbAll, this.cores, spbAll / sumP);
    return nu - reach * sbr * (1 - share);
  }

  /**
   * weightedCapUs: the wait cap at the sleepy runners' tail weight (Mechanisms.cfsRunnerWeight;
   * SchedulerCore.waitCapUs), a whole VM's where none blocks. The tail weight is the power mean at
   * TAIL_POWER of the runners' weights over their blocks: the p99.9 is the longest waits', behind
   * the heaviest runners that hold a material share of the blocks, not the mean runner's
   * (holdout-18 contended/10072/7: every wait past 7.4 ms behind the one 1-vCPU sleeper, a fifth
   * of the sleepers' load; packed/10072/5: 45 of 48 past 6 ms behind the 2-vCPU VM at weight
   * 0.85, 2 behind the 5-vCPU one at 0.39).
   */
  private weightedCapUs(excess: number, kept: number, dx: BinDelta, de: BinDelta): number {
    let spb = dx.spb + de.spb;
    for (let k = 0; k < BINS; k++) spb += this.sums[BINS + k];
    const weight = spb > 1e-12 ? Math.min(1, Math.max(0, (this.sums[SPBW] + dx.spbw + de.spbw) / spb) ** (1 / TAIL_POWER)) : 1;
    return this.core.waitCapUs(excess, this.cores - kept, weight);
  }

  /**
   * build: the blocked waits from FULL (P(all held), E[N | all held]) and the sums. `kept`: CPUs
   * hogs keep to themselves (Mechanisms.cfsHogsKeep; 0 elsewhere), out of `hogs` and `sumP`: the
   * victim meets the other cores and their runners. P(all held) and the excess over the cores are
   * the same on that smaller host (the kept hogs are always runnable: N >= cores exactly when the
   * others fill the rest), its runners' shares, the cores the excess spreads over and the
   * correction's host features (Components.keptCores) are not.
   */
  private build(out: Components, sumP: number, hogs: number, dx: BinDelta, de: BinDelta, kept: number): void {
    const pFull = FULL.pFull;
    out.pFull = pFull;
    const excess = Math.max(0, FULL.meanN - this.cores);
    out.excess = excess;
    out.keptCores = kept;
    out.hogShare = sumP > 0 ? hogs / sumP : 0;
    const cap = this.core.runnerWeights === true ? this.weightedCapUs(excess, kept, dx, de) : this.core.waitCapUs(excess, this.cores - kept);
    out.capUs = cap;
    // The correction was fitted at whole weight: its cap feature keeps that cap (Components.capRatio).
    out.capRatio = this.core.runnerWeights === true ? this.core.waitCapUs(excess, this.cores - kept) / cap : 1;
    const scale = sumP > 0 ? pFull / sumP : 0;
    // Other runners release cores at their summed rate, spread over the runnable vCPUs.
    const spr = this.sums[SPR] + dx.spr + de.spr;
    // Runnable vCPUs are in the running set with probability meanN / sumP each (untilted).
    const inc = sumP > 0 ? (FULL.meanN - kept) / sumP : 0;
    const g = 1 / (1 + STEAL_DISCOUNT * excess);
    let nu = this.mechanisms.steals ? inc * spr * g + this.core.grantEndRate(excess) : 0;
    if (this.core.localWaiters && nu > 0) nu = this.localWaitersNu(nu, inc * g, spr, pFull, sumP, dx, de);
    out.nu = nu;
    let blocked = 0;
    let waitW = 0;
    for (let k = 0; k < BINS; k++) {
      const spb = this.sums[BINS + k] + (dx.bin === k ? dx.spb : 0) + (de.bin === k ? de.spb : 0);
      if (!(spb > 1e-12) || scale === 0) {
        out.a[k] = 0;
        out.r[k] = 1;
        out.eCap[k] = 0;
        out.rOthers[k] = 0;
        continue;
      }
      const spbr = this.sums[2 * BINS + k] + (dx.bin === k ? dx.spbr : 0) + (de.bin === k ? de.spbr : 0);
      const cnt = this.sums[3 * BINS + k] + (dx.bin === k ? dx.cnt : 0) + (de.bin === k ? de.cnt : 0);
      const sp = this.sums[k] + (dx.bin === k ? dx.sp : 0) + (de.bin === k ? de.sp : 0);
      const own = spbr / spb;
      // The runner ahead releases at its own rate; the others' rate excludes it.
      const self = cnt > 0 ? inc * (sp / cnt) * own * g : 0;
      const r = own + Math.max(0, nu - self);
      out.rOthers[k] = r - own;
      out.a[k] = scale * spb;
      out.r[k] = r;
      out.eCap[k] = expNeg(r * cap);
      blocked += out.a[k];
      waitW += out.a[k] / r;
    }
    out.othersShare = 1;
    out.blockGivenFull = pFull > 0 ? blocked / pFull : 0;
    out.meanWaitUs = blocked > 0 ? waitW / blocked : 0;
    out.sumA = blocked;
    out.sumAOverR = waitW;
    out.rlUs = this.core.rateLimitUs;
    out.rlA = scale * (this.sums[SPRL] + dx.sprl + de.sprl + hogs * this.sums[HOG_RL]);
    out.driftA = scale * this.core.driftShare * (this.sums[SPNB] + dx.spnb + de.spnb + hogs);
    out.driftR = nu + 1e-9;
    out.driftCapUs = this.core.driftCapUs;
    out.driftECap = out.driftA > 0 ? expNeg(out.driftR * out.driftCapUs) : 0;
  }
}

/**
 * pollSurvival: the chance a sleepy vCPU's sleep (exponential, mean burst x (1 - duty) / duty)
 * outlasts a halt-poll window of `pollUs`: only then does its CPU go idle (kvm-fair scheduler.ts
 * block polls while the vCPU is alone on its CPU) and pull a waiter from another (pick-put.ts
 * pullTo). A sleep inside the window resumes the vCPU on a CPU that never went idle.
 */
export function pollSurvival(pollUs: number, duty: number, burstUs: number): number {
  if (!(duty > 0) || !(duty < 1) || !(pollUs > 0)) return 1;
  return Math.exp((-pollUs * duty) / (burstUs * (1 - duty)));
}
