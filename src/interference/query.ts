import { BINS, type CpuPart, type MutablePart } from "./core/cpu-part.js";
import { Components, idleSiblingFull, type HostMix } from "./core/host-mix.js";
import type { ExclusionCache } from "./core/occupancy.js";
import type { FullState } from "./core/tails.js";
import type { NoQueueLine, OverWait, RepickFloor, SchedulerCore } from "./core/scheduler-core.js";
import { heldShare, OVER_SHARE } from "./core/credit1.js";
import { kneeEpisodes } from "./core/cfs.js";
import { LIGHT_HOLD_FULL_MAX } from "./core/light-holds.js";
import { busyShare, drainRate, timeShareQuantileUs } from "./core/time-share.js";
import { ONE_WAIT_P_FULL, ownSplitFactor } from "./core/eevdf.js";
import { backlogQuantileUs } from "./core/credit2.js";
import { aloneTailAt, episodesQuantileUs, episodesTailAt, grantQuantileUs, grantTailAt, quantileUs, thinnedLambda, waitTail, waitTailBound } from "./core/tail.js";
import { corrected, hostFeatures, hostPart, loadFeature, N_FEATURES, splitCorrection, uncorrectedThreshold } from "./correction.js";
import { coreIndex, Pct, QUIET_P_FULL, WIDEN, type HostModel, type Prediction, type Victim } from "./model-types.js";
import { K_FAIL, K_GEN, K_HOST, K_LOAD, K_OMR, K_PCT, K_REASONS, keepBound, keepMixed, keepTail, keptTailBound, keptWaitTail, KP, ON_BOUND, ON_DUE, ON_SKIP, ON_TAIL, P_BASE_EST, P_EST_MAX, P_LAM, P_ON, restoreMixed } from "./kept-tails.js";
import { CERT_ABOVE, CERT_BELOW, Refusal } from "./light-certs.js";
import { R_LIGHT, R_OWN_DUTY, R_BASE, R_BASE_A, R_BASE_THETA, R_CORR, R_EX_LRATE, R_EX_LSP, R_LAMBDA, R_OUTSIDE, R_OWN_VCPUS, R_RHO, R_SERVICE, R_SLO, R_VCPUS, R_WAKES, ROW } from "./victim-rows.js";

const EPS = [0.01, 0.001] as const;
/**
 * The over-full floor's bound over its estimate: the wait is the hog's slice, a mechanism and not
 * an extrapolation, so it is not widened with the correction's outside reasons (x4.4-8.9 there,
 * which cost the 10,000-VM plan 38 hosts). On the over-full family (docs/accuracy.md, sixteenth
 * round) simulation / floor is at most 1.85 (the balancer's fresh hogs on top).
 */
const OVERFULL_BOUND = 2;
/**
 * IDLE_SIBLING_DUTY: the own duty below which a mixed victim's requests wake an idle sibling
 * (SchedulerCore.idleSibling); at it the vCPU is saturated (profile.ts caps a sleeper's runnable
 * share at 0.99) and its requests are served inside its bursts.
 */
const IDLE_SIBLING_DUTY = 0.99;
/** The core counts atLeast keeps per query: cores - AT_BELOW up to cores - AT_BELOW + AT_SPAN - 1 (credit1 asks cores - 5 to cores + 5). */
const AT_BELOW = 8;
const AT_SPAN = 16;

/** Which of a victim's own held tails credit1's knee left due (Query.resolveKnee finds them). */
const enum HeldDue {
  None = 0,
  /** A mixed victim's, its own vCPU out (excludedHeld). */
  Excluded = 1,
  /** A mixed newcomer's, judging itself: its other vCPUs added (heldWithExtra). */
  WithExtra = 2,
}

/**
 * Query answers one "what if" on one host for each of its latency-sensitive VMs in turn. The
 * CPU-bound components with `extra` added, and the host's part of each correction, are the same
 * for every io-only victim, so they are computed once (begin); a mixed victim, and a newcomer
 * judging itself, take their own waking vCPU out and get their own components.
 */
export class Query {
  private readonly comps = new Components();
  private readonly ownComps = new Components();
  /**
   * The episodes of a mixed victim's own preempted burst (SchedulerCore.ownBurstPreempt), alone:
   * the learned correction is fitted on the wake-driven core, whose dependence on the host
   * (P(all held), cores) is not theirs, so they are a floor under the corrected estimate, not a
   * part of what it corrects. Read only while `withEpisodes` (set per victim asked about).
   */
  private readonly episodes = new Components();
  private withEpisodes = false;
  /**
   * 0: the episodes are a floor under the estimate, bounded with it (credit1, credit2). Else the
   * over-full episodes (SchedulerCore.overfull) or CFS's saturated waits (OverWait.boundScale):
   * their bound is the floor x this, not widened.
   */
  private episodesScale = 0;
  /**
   * credit1's OVER bursts of a sleepy mixed victim (SchedulerCore.overBurst): a floor under the
   * corrected estimate, bounded with it, apart from `episodes` (credit1's knee may hold those).
   * Read only while `withOver` (set per victim asked about, in splitEpisodes).
   */
  private readonly overEp = new Components();
  private withOver = false;
  /**
   * credit2's grant-end shape (SchedulerCore.grantWait): the core's blocked waits with the
   * shortest remaining grant in place of the exponential, alone, as a floor under the corrected
   * estimate (the correction is fitted on the exponential core). grantWait: the host's core's
   * (set per query); withGrant: the components last asked for carry it.
   */
  private grantWait: SchedulerCore["grantWait"] = undefined;
  private withGrant = false;
  /**
   * EEVDF's time-shared busy io victims (SchedulerCore.timeShare, time-share.ts): a floor under
   * the corrected estimate, as the episodes are. withShare: the victim last asked about is io-only
   * on such a host; shareRate its backlog's drain rate, sharePFull P(all held), shareServiceUs.
   */
  private withShare = false;
  /** The host's core time-shares (read once per query: every io row of a what-if would ask). */
  private shareOn = false;
  /** The core's one-wait line (SchedulerCore.oneWaitUs), 0 without one: read once per query. */
  private oneWaitUs = 0;
  /** The P(all held) under which the one-wait line holds (SchedulerCore.oneWaitPFull): read with it. */
  private oneWaitPFull = ONE_WAIT_P_FULL;
  /** The core's re-pick wait (SchedulerCore.repickWaitUs), undefined without one: read once per query. */
  private repickWaitUs: ((lambdaUs: number) => number) | undefined = undefined;
  /** The core's no-queue line (SchedulerCore.noQueueLine), undefined without one: read once per query. */
  private noQueueLine: NoQueueLine | undefined = undefined;
  /** The core's re-pick floor (SchedulerCore.repickFloor), undefined without one: read once per query. */
  private repickFloor: RepickFloor | undefined = undefined;
  private shareRate = NaN;
  private sharePFull = 0;
  private shareServiceUs = 0;
  /**
   * credit2's busy io vCPU preempted in its backlog (SchedulerCore.busyBacklog, credit2.ts): a floor
   * under the corrected estimate, as the time share is. withBacklog: the victim last asked about is
   * io-only on such a host and meets it; backlogTerms its chance and decay, backlogServiceUs.
   */
  private busyBacklog: SchedulerCore["busyBacklog"] = undefined;
  private withBacklog = false;
  private readonly backlogTerms = new Float64Array(2);
  private backlogServiceUs = 0;
  /**
   * credit1's saturated one-vCPU victim's request backlog (OverWait.backlog): a floor under the
   * corrected estimate, as the episodes are. withOverBacklog: the victim last asked about meets it;
   * overBacklogTerms its chance and decay, overBacklogServiceUs its service.
   */
  private withOverBacklog = false;
  private readonly overBacklogTerms = new Float64Array(2);
  private overBacklogServiceUs = 0;
  /**
   * The host's fair share with the query's extra VM (HostMix.fairShare, a water-fill over the bins):
   * the same for every victim of the query, so found once per begin (NaN until then: fairShareDue).
   */
  private fairShareMemo = NaN;
  private fairShareDue = true;
  /**
   * CFS's pulls after the halt-poll window (SchedulerCore.pollPulls, Mechanisms.cfsPollPulls):
   * withPull: the victim last asked about is a 1-vCPU io victim it applies to, whose tail is read
   * on pullComps (its components with the other CPUs' pulls at the rate of cores going idle)
   * instead. pullShareMemo: HostMix.pollPullShare with the query's extra (found once per begin).
   */
  private pollPulls: SchedulerCore["pollPulls"] = undefined;
  private withPull = false;
  private readonly pullComps = new Components();
  private pullShareMemo = 1;
  private pullShareDue = true;
  private readonly rest: MutablePart = { vcpus: 0, duty: 0, burstUs: 1 };
  private readonly ownLight: MutablePart = { vcpus: 0, duty: 0, burstUs: 1 };
  private readonly hostParts = new Float64Array(2);
  private readonly sleepy = new Float64Array(3);
  private readonly h = new Float64Array(N_FEATURES);
  /** The query's own components' host features (writeHostParts), apart from a mixed victim's in `h`. */
  private readonly hc = new Float64Array(N_FEATURES);
  /** hostParts are not written yet (begin with a CPU-bound extra). */
  private partsDue = false;
  /**
   * The components' sleeper-floor chance the host parts were written at (Mechanisms.cfsSleeperFloor):
   * a light extra VM's io moves it with the light part (host-mix.ts lightComponentLess, Components.refloor), and the block share the
   * correction reads with it, so the host parts are written again when it differs (O(1)).
   */
  private partsFloor = 1;
  private readonly full: FullState = { pFull: 0, meanN: 0 };
  private readonly near: FullState = { pFull: 0, meanN: 0 };
  private hm!: HostModel;
  private mix!: HostMix;
  private extra: CpuPart | undefined;
  private lightExtra: CpuPart | undefined;

  private heavy = -1;
  /**
   * credit1's OVER waits ask P(N >= n) at a dozen core counts per saturated mixed victim
   * (atLeast): with the query's CPU-bound extra (overHeavy), the same for every victim of the
   * query, so kept per query at [n - cores + AT_BELOW] (NaN: not asked yet; atFresh: cleared for
   * this query). One function for the Query's life, not a closure per victim.
   */
  private overHeavy: CpuPart | undefined = undefined;
  private readonly atMemo = new Float64Array(AT_SPAN);
  private atFresh = false;
  private readonly atLeast = (n: number): number => {
    if (n <= 0) return 1;
    const i = n - this.hm.cores + AT_BELOW;
    if (i < 0 || i >= AT_SPAN) return this.mix.atLeastWith(this.overHeavy, n);
    const known = this.atMemo[i];
    if (known === known) return known;
    return (this.atMemo[i] = this.mix.atLeastWith(this.overHeavy, n));
  };
  /** clearAt empties atMemo: sixteen stores, not fill's builtin call (once per query that asks an OVER wait). */
  private clearAt(): void {
    const m = this.atMemo;
    for (let i = 0; i < AT_SPAN; i++) m[i] = NaN;
  }
  /** coreIndex of the host's core, resolved once per query (a lookup by name per victim was 2% of a what-if). */
  private coreAt = 0;
  /** The core coreAt was resolved for. */
  private coreOfAt: SchedulerCore | undefined = undefined;
  /** The driver domain's hop estimate added to every guest's request (setHop; 0 without one). */
  private readonly hop = new Float64Array(2);
  /**
   * Light certificates (light-certs.ts): how the last victim test that failed failed, and whether
   * some test of this query was not certifiable as a pass (a floor judged, or a tail within the
   * margin of eps). Both reset by begin.
   */
  refusal: Refusal = Refusal.None;
  certBad = false;

  /**
   * begin starts a query on a host with `extra` added (O(bins + extra's vCPUs)); `heavyVcpus`, the
   * host's CPU-bound vCPUs with extra's (-1: unknown), decides per victim whether the host is
   * beyond the calibrated overload.
   */
  begin(hm: HostModel, mix: HostMix, extra: CpuPart | undefined, heavyVcpus = -1): this {
    this.heavy = heavyVcpus;
    this.atFresh = false;
    this.refusal = Refusal.None;
    this.certBad = false;
    // A lookup by name (an indexOf) per query was a sixth of begin's time; the core object names it.
    if (hm.core !== this.coreOfAt) {
      this.coreAt = coreIndex(hm.core.name);
      this.coreOfAt = hm.core;
    }
    this.grantWait = hm.core.grantWait;
    this.shareOn = hm.core.timeShare === true;
    this.oneWaitUs = hm.core.oneWaitUs ?? 0;
    this.oneWaitPFull = hm.core.oneWaitPFull ?? ONE_WAIT_P_FULL;
    this.repickWaitUs = hm.core.repickWaitUs;
    this.noQueueLine = hm.core.noQueueLine;
    this.repickFloor = hm.core.repickFloor;
    this.busyBacklog = hm.core.busyBacklog;
    this.pollPulls = hm.core.pollPulls;
    this.withShare = false;
    this.withBacklog = false;
    this.withPull = false;
    this.fairShareDue = true;
    this.pullShareDue = true;
    this.hop[0] = 0;
    this.hop[1] = 0;
    const light = extra !== undefined && extra.block !== undefined;
    this.hm = hm;
    this.mix = mix;
    this.extra = extra;
    this.lightExtra = light ? extra : undefined;
    const cpuBound = extra !== undefined && !light;
    // Nothing CPU-bound added: the host's own components, cached until it changes.
    this.partsDue = false;
    this.compsDue = false;
    this.fullDue = false;
    if (!cpuBound && mix.loadCached(this.comps, this.hostParts)) {
      this.partsFloor = this.comps.sleeperFloor;
      return this;
    }
    // With a CPU-bound extra the components wait for the first victim that reads them (built()),
    // and the host parts for the first io-only victim: a mixed victim whose SLO leaves no room
    // (withinSloRow's noRoom) reads neither, and fails first in a fifth of such what-ifs.
    if (cpuBound) {
      this.compsDue = true;
      this.fullDue = true;
      this.partsDue = true;
      return this;
    }
    mix.heavyComponents(this.comps, undefined, undefined);
    this.writeHostParts();
    mix.storeCached(this.comps, this.hostParts);
    return this;
  }

  /** The query's components are not built yet (begin with a CPU-bound extra): built() builds them. */
  private compsDue = false;
  /**
   * While compsDue: P(all held) with the extra (and at one core fewer) is not found yet either
   * (fullDue), or found into preFull and preNear (queryPFull), and built() goes on from there.
   */
  private fullDue = false;
  private readonly preFull: FullState = { pFull: 0, meanN: 0 };
  private readonly preNear: FullState = { pFull: 0, meanN: 0 };

  /** built: the query's components, built now if begin left them due. */
  private built(): Components {
    if (this.compsDue) {
      if (this.fullDue) this.mix.heavyComponents(this.comps, this.extra, undefined);
      else {
        this.mix.heavyFrom(this.comps, this.extra, this.preFull, this.preNear);
        // queryPFull refused victims on preFull: it must be what the components hold (a term that
        // moved pFull after fullWith would make those refusals wrong; Object.is keeps -0 and NaN apart).
        if (!Object.is(this.comps.pFull, this.preFull.pFull)) throw new Error("Query: the components' pFull is not the one found before them");
      }
      this.compsDue = false;
      this.fullDue = false;
    }
    return this.comps;
  }

  /** queryPFull: the query's components' pFull (built() writes the same), without building them. */
  private queryPFull(): number {
    if (!this.compsDue) return this.comps.pFull;
    if (this.fullDue) {
      this.mix.fullWithExtra(this.extra, this.preFull, this.preNear);
      this.fullDue = false;
    }
    return this.preFull.pFull;
  }

  /** writeHostParts: the correction's host parts of the query's components (those light parts and grant ends leave alone). */
  private writeHostParts(): void {
    const hm = this.hm;
    const h = hostFeatures(this.comps, hm.cores, this.hc);
    this.hostParts[0] = hostPart(hm.fitted.p99.weights, h);
    this.hostParts[1] = hostPart(hm.fitted.p999.weights, h);
    this.partsFloor = this.comps.sleeperFloor;
    this.partsDue = false;
  }

  /** setHop adds a driver domain's hop estimate [p99, p99.9] to every prediction of this query. */
  setHop(p99Us: number, p999Us: number): void {
    this.hop[0] = p99Us;
    this.hop[1] = p999Us;
  }

  /** components: what victim v meets (`self`: v is the extra VM). */
  components(v: Victim, self: boolean): Components {
    const c = this.victimComponents(v, self);
    this.markGrant(c);
    this.withShare = false;
    if (this.shareOn && v.ownCpu === undefined && (!self || this.extra === undefined || this.extra.block !== undefined)) this.markShare(c, v.tail.lambdaUs, v.tail.serviceUs, v.tail.vcpus);
    this.markIoFloors(c, v.ownCpu === undefined, v.tail.lambdaUs, v.tail.serviceUs, v.tail.vcpus, v.tail.rho);
    return c;
  }

  /**
   * resetFloors: no own-burst, OVER or backlog episodes and no knee pending, before a victim's
   * components are built (each entry point that builds them starts here).
   */
  private resetFloors(): void {
    this.withEpisodes = false;
    this.withOver = false;
    this.withOverBacklog = false;
    this.kneeDue = false;
    this.kneeHeldDue = HeldDue.None;
  }

  /**
   * markIoFloors: the busy-backlog floor and CFS's slower pulls, both for io-only victims (`io`),
   * on components `c`; off for the others (predict and every feasibility path read them alike).
   */
  private markIoFloors(c: Components, io: boolean, lambdaUs: number, serviceUs: number, vcpus: number, rho: number): void {
    this.withBacklog = false;
    this.withPull = false;
    if (!io) return;
    if (this.busyBacklog !== undefined) this.markBacklog(c, lambdaUs, serviceUs, vcpus, rho);
    if (this.pollPulls !== undefined) this.markPull(c, vcpus, rho);
  }

  /**
   * markPull (Mechanisms.cfsPollPulls; docs/accuracy.md, "Packed CFS: a busy 1-vCPU io victim's
   * waits end at the pulls of cores that go idle (session 25)"): for an io-only victim of one vCPU
   * busy at SchedulerCore.pollPulls.minRho or more on a host held full minFull of the time or more,
   * pullComps are its components `c` with the other CPUs' part of each blocked wait's release
   * (rOthers x othersShare, and the light holds' nu x othersShare) at the share of the sleepers'
   * blocks after which a CPU goes idle: a sleeper that blocks alone on its CPU halt-polls, and only
   * a sleep past the window leaves the CPU idle to pull (kvm-fair scheduler.ts block, pick-put.ts
   * pullTo). The fitted correction stays `c`'s (its inputs, meanWaitUs among them, are unchanged).
   * O(bins), only for the victims it applies to.
   */
  private markPull(c: Components, vcpus: number, rho: number): void {
    const pp = this.pollPulls!;
    if (vcpus !== 1 || !(rho >= pp.minRho) || !(c.pFull >= pp.minFull)) return;
    if (this.pullShareDue) {
      this.pullShareMemo = this.mix.pollPullShare(this.heavyExtra());
      this.pullShareDue = false;
    }
    const q = this.pullShareMemo;
    if (!(q < 1)) return;
    const p = this.pullComps;
    p.copyFrom(c);
    p.lightA = c.lightA;
    p.lightR = c.lightR;
    p.lightECap = c.lightECap;
    p.lightWakesUs = c.lightWakesUs;
    const slower = (1 - q) * c.othersShare;
    let waitW = 0;
    for (let k = 0; k < BINS; k++) {
      if (!(p.a[k] > 0)) continue;
      const r = p.r[k] - p.rOthers[k] * slower;
      p.r[k] = r;
      p.eCap[k] = Math.exp(-r * p.capUs);
      waitW += p.a[k] / r;
    }
    p.sumAOverR = waitW;
    if (p.lightA > 0) {
      p.lightR = Math.max(1e-9, p.lightR - c.nu * slower);
      p.lightECap = Math.exp(-p.lightR * p.capUs);
    }
    p.nu = c.nu * q;
    this.withPull = true;
  }

  /**
   * markBacklog: for an io-only victim on a host whose core has the busy-backlog floor (callers
   * check both; withBacklog is false until this sets it), the floor's chance and decay on its
   * components `c`, with the query's extra VM on the host (its CPU-bound vCPUs share the cores, an
   * io-only one's load comes off them). O(bins); the decay's root only where the chance is over
   * the smallest eps.
   */
  private markBacklog(c: Components, lambdaUs: number, serviceUs: number, vcpus: number, rho: number): void {
    if (!(c.pFull > 0)) return;
    if (this.fairShareDue) {
      this.fairShareMemo = this.mix.fairShare(this.heavyExtra(), this.lightExtra);
      this.fairShareDue = false;
    }
    const share = this.fairShareMemo;
    if (!(share > 0)) return;
    this.busyBacklog!(c.pFull, share, lambdaUs / Math.max(1, vcpus), serviceUs, rho, EPS[Pct.P999], this.backlogTerms);
    this.backlogServiceUs = serviceUs;
    this.withBacklog = this.backlogTerms[0] > EPS[Pct.P999];
  }

  /** backlogUs: the busy-backlog floor's quantile of percentile pct (only asked withBacklog). */
  private backlogUs(pct: number): number {
    return backlogQuantileUs(this.backlogTerms[0], this.backlogTerms[1], this.backlogServiceUs, EPS[pct]);
  }

  /**
   * markOverBacklog: the request backlog's chance and decay for a saturated one-vCPU credit1
   * victim (after the OVER episodes' apply, whose waker episodes it reads), at the host's fair
   * share with the query's extra VM (HostMix.fairShare, found once per query). O(1) per victim:
   * the root's Newton steps only for such victims.
   */
  private markOverBacklog(hook: NonNullable<OverWait["backlog"]>, lambdaUs: number, serviceUs: number): void {
    if (this.fairShareDue) {
      this.fairShareMemo = this.mix.fairShare(this.heavyExtra(), this.lightExtra);
      this.fairShareDue = false;
    }
    const share = this.fairShareMemo;
    if (!(share > 0) || !(share < 1)) return;
    hook(lambdaUs, serviceUs, share, this.overBacklogTerms);
    this.overBacklogServiceUs = serviceUs;
    this.withOverBacklog = this.overBacklogTerms[0] > EPS[Pct.P999];
  }

  /** overBacklogUs: the request backlog's quantile of percentile pct (only asked withOverBacklog). */
  private overBacklogUs(pct: number): number {
    return backlogQuantileUs(this.overBacklogTerms[0], this.overBacklogTerms[1], this.overBacklogServiceUs, EPS[pct]);
  }

  /**
   * markShare: for an io-only victim on a host whose core time-shares busy io vCPUs (callers
   * check both; withShare is false until this sets it), the floor's terms on its components `c`
   * (pFull with the query's extra VM); the runners' weight counts a CPU-bound extra VM.
   */
  private markShare(c: Components, lambdaUs: number, serviceUs: number, vcpus: number): void {
    this.withShare = c.pFull > 0;
    if (!this.withShare) return;
    const x = this.extra;
    const w = this.mix.runnerWeightWith(x !== undefined && x.block === undefined ? x : undefined);
    this.shareRate = drainRate(w, serviceUs, lambdaUs / vcpus);
    this.sharePFull = c.pFull;
    this.shareServiceUs = serviceUs;
  }

  /** shareUs: the time-share floor's quantile of percentile pct (only asked withShare). */
  private shareUs(pct: number): number {
    return timeShareQuantileUs(this.sharePFull, this.shareRate, this.shareServiceUs, EPS[pct]);
  }

  private victimComponents(v: Victim, self: boolean): Components {
    this.resetFloors();
    if (self) return this.selfComponents(v.tail.lambdaUs, false, v.tail.rho);
    if (v.ownCpu) return this.mixedComponents(v.ownCpu.duty, v.exclusion, v.tail.burstWakesUs, v.tail.vcpus, v.tail.lambdaUs, v.tail.rho);
    const c = this.built();
    const own = v.ownLight ? this.ownLightOf(v) : undefined;
    this.mix.lightComponent(c, this.lightExtra, own, false, v.tail.rho);
    this.overfull(c, v.tail.vcpus, v.tail.lambdaUs, own ? own.duty : 0, v.tail.rho);
    this.knee(c, v.tail.vcpus, v.tail.lambdaUs, 1);
    return c;
  }

  /**
   * knee: credit1's knee waits (SchedulerCore.holdKnee, host-mix.ts holdKnee) of a victim on `c`,
   * into `episodes` as a floor under the corrected estimate, bounded with it (the correction is
   * fitted on the core without them); `wakeShare`: the share of its requests that wake a vCPU
   * (1 for an io-only victim).
   */
  private knee(c: Components, vcpus: number, lambdaUs: number, wakeShare: number): void {
    if (this.hm.core.holdKnee !== true) return;
    // At or below the count an io-only candidate of less light load may open a knee this one
    // does not (a slack of 0 or less here): no pass is certified there (light-certs.ts). A
    // refusal still is: the knee only raises the estimate over the core's monotone tail.
    if (c.heldN > 0 && c.heavyVcpus <= this.hm.cores) this.certBad = true;
    if (c.kneeDue) {
      if (!(wakeShare > 0) || this.withEpisodes) return;
      // No term of the held tails' sum is asked (fewer io vCPUs than the cores the CPU-bound ones
      // leave): kneeA is 0, no floor.
      if (this.mix.kneeAbsent(c, this.kneeHeldDue === HeldDue.Excluded ? 1 : 0)) return;
      this.kneeDue = true;
      this.kneeC = c;
      this.kneeVcpus = vcpus;
      this.kneeLambda = lambdaUs;
      this.kneeShare = wakeShare;
      this.kneeCap = c.capUs;
      this.kneeTop = c.kneeBlock * wakeShare * LIGHT_HOLD_FULL_MAX;
      this.kneeAbove = NaN;
      return;
    }
    if (!(c.kneeA > 0) || !(wakeShare > 0) || this.withEpisodes) return;
    const a = c.kneeA;
    const ep = this.episodes;
    c.kneeA = a * wakeShare;
    ep.ownPreA = 0;
    ep.hogQShare = 0;
    ep.capUs = c.capUs;
    this.withEpisodes = kneeEpisodes(ep, c, vcpus, lambdaUs);
    this.episodesScale = 0;
    c.kneeA = a;
  }

  /**
   * The knee left due by withinSloRow (the placer's row test): the victim's components (kneeC,
   * holdKnee left due on them, and with kneeHeldDue a mixed victim's own held tails not found:
   * excludedHeld's arguments kept), its knee's arguments, and an upper bound on its kneeA x wake
   * share. rowWithinSlo finds the floor (resolveKnee) only where that bound cannot show it within
   * the SLO (kneeSkips): where it can, the floor's test passes, and passing it changes nothing
   * else (the knee already marked the query's pass not certifiable): the same answer.
   */
  private kneeDue = false;
  private kneeC: Components = this.comps;
  private kneeVcpus = 0;
  private kneeLambda = 0;
  private kneeShare = 0;
  private kneeCap = 0;
  /** Bounds on kneeA x wake share: the held tails' sum at most 1 (kneeTop), and at most the chance of the busy io vCPUs the tails ask (kneeAbove, found when kneeTop is not enough; NaN before). */
  private kneeTop = 0;
  private kneeAbove = NaN;
  private kneeHeldDue = HeldDue.None;
  /** With HeldDue.WithExtra: the newcomer's other vCPUs (heldWithExtra's `extra`). */
  private kneeRest: CpuPart | undefined = undefined;
  private kneeDuty = 0;
  private kneeExclusion: ExclusionCache | undefined = undefined;

  /** resolveKnee: the knee left due, found as knee() finds it without (the same bits), into `episodes`. */
  private resolveKnee(): void {
    this.kneeDue = false;
    const c = this.kneeC;
    if (this.kneeHeldDue === HeldDue.WithExtra) {
      this.mix.heldWithExtra(this.kneeRest, c);
      this.kneeHeldDue = HeldDue.None;
    } else if (this.kneeHeldDue === HeldDue.Excluded) {
      this.mix.excludedHeld(this.extra, this.kneeDuty, this.kneeExclusion!, c);
      this.kneeHeldDue = HeldDue.None;
    }
    this.mix.kneeFull(c);
    this.knee(c, this.kneeVcpus, this.kneeLambda, this.kneeShare);
  }

  /**
   * kneeSkips: the knee's floor, with kneeA x wake share at its bound kneeAbove, keeps the tail at
   * `x` within eps[pct] (margins for rounding): the floor found would too (episodesTailAt rises
   * with the start chance), and its test passes.
   */
  private kneeSkips(r: readonly number[], o: number, x: number, pct: number, alone = aloneTailAt(r[o + R_BASE_A], r[o + R_BASE_THETA], x)): boolean {
    const y = x - r[o + R_SERVICE];
    const rho = r[o + R_RHO];
    if (!(y > 0) || !(rho >= 0 && rho <= 1)) return false;
    // What the floor's episodes may add to the victim's alone tail (episodesTailAt).
    const room = EPS[pct] * (1 - 1e-9) - alone;
    if (!(room >= 0)) return false;
    const cap = this.kneeCap;
    if (!(y < cap)) return true;
    const rate = this.kneeC.kneeRDue;
    // e^(-rate y) - e^(-rate cap) at most e^(-rate y).
    const f = ((Math.exp(-rate * y) / rate) * (1 - rho)) * (1 + 1e-9);
    if (!(f >= 0)) return false;
    if (this.kneeWithin(this.kneeTop, rate, f, room)) return true;
    if (Number.isNaN(this.kneeAbove)) this.kneeAbove = this.mix.kneeAbove(this.kneeC, this.kneeHeldDue === HeldDue.Excluded ? 1 : 0) * this.kneeShare;
    return this.kneeWithin(this.kneeAbove, rate, f, room);
  }

  /** kneeWithin: the knee's episodes of start chance at most `a` (release rate `rate`, `f` their survival's integral x (1 - rho)) add at most `room`. */
  private kneeWithin(a: number, rate: number, f: number, room: number): boolean {
    const vcpus = this.kneeVcpus;
    const lam = this.kneeLambda * (vcpus > 1 ? a ** (vcpus - 1) : 1);
    return a * (rate + lam) * f <= room;
  }

  /**
   * overfull: an io-only victim's episodes of waking too light to preempt (SchedulerCore.overfull),
   * into `episodes`, as a floor; CFS's are a multi-vCPU victim's only, the full-home waits
   * (SchedulerCore.fullHomePollUs: EEVDF's, and CFS's with the knee's) any io victim's.
   */
  private overfull(c: Components, vcpus: number, lambdaUs: number, u0: number, rho: number): void {
    const hook = this.hm.core.overfull;
    if (hook === undefined || (vcpus < 2 && this.hm.core.fullHomePollUs === undefined)) return;
    this.episodes.hogQShare = 0;
    this.withEpisodes = hook(this.episodes, c, vcpus, lambdaUs, u0, rho);
    this.episodesScale = OVERFULL_BOUND;
  }

  /** markGrant: where the host's core has the grant-end shape, it writes it into `c`, and the floor is taken. */
  private markGrant(c: Components): void {
    const grantWait = this.grantWait;
    this.withGrant = grantWait !== undefined;
    if (grantWait === undefined) return;
    const x = this.lightExtra;
    const wakes = this.mix.lightWakesUs() + (x ? (x.vcpus * x.duty) / x.burstUs : 0);
    // Mechanisms.credit2MixedWakes: a mixed VM's request wakes leave fresh windows as io-only ones
    // do, counted where CPU-bound vCPUs outnumber the cores (at or under them the no-queue line's
    // all-fresh test, chosen on the io-only wakes, reads this term).
    const mixed = this.hm.core.grantMixedWakes === true && this.cpuBoundVcpusWith() > this.hm.cores;
    grantWait(c, mixed ? wakes + this.mix.mixedWakesUs() + (this.extra?.ioWakesUs ?? 0) : wakes);
  }

  /**
   * selfComponents: what the extra VM meets, judging itself (its own waking vCPU out; `lambdaUs` its
   * requests per µs, `rho` its utilisation of one vCPU by them, VictimTail.rho).
   */
  private selfComponents(lambdaUs: number, kneeDue = false, rho = NaN): Components {
    this.resetFloors();
    const x = this.extra;
    kneeDue &&= this.kneeOnly();
    if (x && x.block === undefined) {
      const rest = this.restOf(x);
      // A mixed newcomer judging itself: as once it is on the host (below), the query's waits with
      // its own waking vCPU out of the chance that all are held.
      const c = this.ownComps;
      c.copyFrom(this.built());
      c.unfloor();
      this.mix.fullWithExtra(rest, this.full, this.near, false);
      // As ownFull once it is on: the host without it is the host now.
      if (this.idleSiblingDue(x.duty, x.vcpus)) this.full.pFull = idleSiblingFull(x.duty, x.vcpus, this.full.pFull, this.near.pFull, this.mix.atLeastWith(undefined, this.hm.cores - x.vcpus));
      c.rescale(this.full.pFull, this.near.pFull, this.full.meanN, this.hm.cores, this.hm.core.ownBurstQueue);
      this.splitOwn(c, x.duty, x.vcpus);
      if (c.heldN > 0 && kneeDue) {
        // credit1's knee alone reads the tails: found if its floor is (resolveKnee).
        this.mix.countsOnly(c, rest);
        this.kneeHeldDue = HeldDue.WithExtra;
        this.kneeRest = rest;
      } else if (c.heldN > 0) this.mix.heldWithExtra(rest, c);
      this.mix.lightComponent(c, undefined, undefined, kneeDue);
      this.splitEpisodes(c, x.duty, x.duty < 1 ? x.duty / x.burstUs : 0, x.vcpus, lambdaUs, rho, false);
      return c;
    }
    // An io-only newcomer judging itself: as once it is on the host, where it is a victim like any
    // other (withinSloRow): the whole VM in the light sums (CFS's light waiters count every busy
    // light vCPU but an average waker's), its own waking vCPU taken out as its row takes it out
    // (writeRow: the same products, so the same bits). Adding only the other vCPUs (`rest`) left
    // the light waiters one busy vCPU short: 23 of 45 k self-consistency what-ifs on kvm-cfs
    // hosts judged a newcomer to fit that then breached its own SLO once on.
    const c = this.built();
    if (x) this.mix.lightComponentLess(c, x, x.duty, x.duty / x.burstUs, 1, kneeDue, rho);
    else this.mix.lightComponent(c, undefined, undefined, kneeDue);
    if (x) this.overfull(c, x.vcpus, lambdaUs, x.duty, rho);
    if (x) this.knee(c, x.vcpus, lambdaUs, 1);
    return c;
  }

  /**
   * mixedComponents: a mixed victim's, the query's waits with its own vCPU (duty `duty`, waking
   * `ownWakesUs` per µs) out of the chance that all are held.
   */
  private mixedComponents(duty: number, exclusion: ExclusionCache, ownWakesUs: number, vcpus: number, lambdaUs: number, rho: number): Components {
    this.ownFull(duty, exclusion, vcpus);
    return this.mixedFromFull(duty, exclusion, ownWakesUs, vcpus, lambdaUs, rho);
  }

  /** idleSiblingDue: whether a VM of `vcpus` whose waking vCPU runs at `duty` wakes an idle sibling (SchedulerCore.idleSibling). */
  private idleSiblingDue(duty: number, vcpus: number): boolean {
    return this.hm.core.idleSibling === true && vcpus > 1 && duty < IDLE_SIBLING_DUTY;
  }

  /**
   * ownFull writes `full` and `near` for a mixed victim's waking vCPU (duty `duty`, its VM of
   * `vcpus`): excludedFull, and on credit1 (SchedulerCore.idleSibling) the full-host chance of a
   * request that wakes an idle sibling of a sleepy VM (host-mix.ts idleSibling).
   */
  private ownFull(duty: number, exclusion: ExclusionCache, vcpus: number): void {
    this.mix.excludedFull(this.extra, duty, exclusion, this.full, this.near);
    if (this.idleSiblingDue(duty, vcpus)) this.mix.idleSibling(this.extra, duty, vcpus, exclusion, this.full, this.near);
  }

  /**
   * ownCap: Mechanisms.cfsRunnerWeight's wait cap for a mixed victim's components `c` (copied from
   * the host's): the waking vCPU of a sleepy multi-vCPU VM is as light as the light runners it
   * meets, so a light runner's slice end does not hand it the CPU, and its waits keep the
   * whole-weight cap (holdout-15 packed/10043/6 vm-6, 6 vCPUs at duty 0.3: 14.5 ms simulated).
   */
  private ownCap(c: Components, duty: number, vcpus: number): void {
    const core = this.hm.core;
    if (core.runnerWeights === true && vcpus > 1 && duty < 1) c.recap(core.waitCapUs(c.excess, this.hm.cores - c.keptCores));
  }

  /**
   * splitOwn: Mechanisms.eevdfSplitWeight's own-burst queue cap for a sleepy mixed victim's
   * components `c` (after rescale; its vCPUs `vcpus`, each at runnable share `duty`): the cap times
   * eevdf.ts ownSplitFactor, from the host's never-sleeping vCPUs and its other sleepers' demand
   * (the query's CPU-bound extra VM's included, the victim's own out). The correction keeps reading
   * the whole-weight cap it was fitted on (Components.capRatio). O(1): the sums are the mix's.
   */
  private splitOwn(c: Components, duty: number, vcpus: number): void {
    if (this.hm.core.splitOwnWeight !== true || !(vcpus > 1) || !(duty < 1)) return;
    const hogs = this.hogVcpusWith();
    const left = this.hm.cores - hogs;
    // The cheap tests first: most mixed victims have cores left past their vCPUs.
    if (!(hogs >= 1) || left > vcpus) return;
    const f = ownSplitFactor(vcpus, this.hm.cores, hogs, Math.max(0, this.sleeperDemandWith() - vcpus * duty));
    if (!(f > 1)) return;
    const capUs = c.capUs;
    c.recap(capUs * f);
    c.capRatio = 1 / f;
  }

  /** mixedFromFull is mixedComponents after excludedFull wrote `full` and `near` (it reads neither components). */
  private mixedFromFull(duty: number, exclusion: ExclusionCache, ownWakesUs: number, vcpus: number, lambdaUs: number, rho: number, kneeDue = false): Components {
    const c = this.ownComps;
    c.copyFrom(this.built());
    c.unfloor();
    this.ownCap(c, duty, vcpus);
    c.rescale(this.full.pFull, this.near.pFull, this.full.meanN, this.hm.cores, this.hm.core.ownBurstQueue);
    this.splitOwn(c, duty, vcpus);
    if (c.heldN > 0 && kneeDue && this.kneeOnly()) {
      // credit1's knee alone reads the tails: found if the knee's floor is (resolveKnee).
      this.mix.countsOnly(c, this.extra, duty);
      this.kneeHeldDue = HeldDue.Excluded;
      this.kneeDuty = duty;
      this.kneeExclusion = exclusion;
    } else if (c.heldN > 0) this.mix.excludedHeld(this.extra, duty, exclusion, c);
    this.mix.lightComponent(c, this.lightExtra, undefined, kneeDue);
    this.splitEpisodes(c, duty, duty < 1 ? ownWakesUs : 0, vcpus, lambdaUs, rho);
    return c;
  }

  /**
   * splitEpisodes moves the core's own-burst (credit2) or OVER (credit1) episodes of a mixed
   * victim (if any) out of `c` into `episodes`; `ownWakesUs`: its own vCPU's part of the host's
   * sleepy wakes (0 for a hog); `inMix`: the victim is one of the host's VMs (false for a newcomer
   * judging itself, which the host's sums do not hold).
   */
  private splitEpisodes(c: Components, duty: number, ownWakesUs: number, vcpus: number, lambdaUs: number, rho: number, inMix = true): void {
    this.withEpisodes = false;
    this.withOver = false;
    this.withOverBacklog = false;
    this.episodesScale = 0;
    const core = this.hm.core;
    if (core.keepsCpu !== undefined && duty >= 1 && core.keepsCpu(this.groupLoadWith(), this.hogVcpusWith(), vcpus, this.sleeperLoadWith(), this.sleeperDemandWith(), this.mix.parts() + (this.extra !== undefined ? 1 : 0), core.keepsOverflow === true && vcpus > 1 ? this.mix.overflowPerSplitWith(this.heavyExtra()) : NaN)) {
      // EEVDF's never-sleeping victim on a CPU of its own: never a waker, never queued behind another (eevdf.ts).
      c.clearWaits();
      return;
    }
    // A hook with its own bound (CFS's saturated waits) writes its episodes' cap into c.capUs: the
    // episodes take it, the victim's components keep theirs.
    const capUs = c.capUs;
    if (core.ownBurstPreempt && duty >= 1) {
      const x = this.lightExtra;
      const wakes = this.mix.lightWakesUs() + (x ? (x.vcpus * x.duty) / x.burstUs : 0);
      const load = this.mix.lightLoad() + (x ? x.vcpus * x.duty : 0);
      core.ownBurstPreempt(c, duty, wakes, wakes > 0 ? load / wakes : 0, this.hogVcpusWith(), 0);
      if (core.queuedHog !== undefined) this.queuedHog(core.queuedHog, c, wakes);
    } else if (core.ownBurstPreempt) core.ownBurstPreempt(c, duty, 0, 0, 0, this.mix.outburns(duty, vcpus, inMix ? this.extra : undefined, inMix) ? vcpus : 0);
    else if (core.overWait && duty >= core.overWait.fromDuty) {
      this.overWait(core.overWait.apply, c, duty, ownWakesUs, vcpus, lambdaUs);
      // With siblings a request goes to one with none queued (sim/workloads/io.ts chooseVcpu): one vCPU's queue only.
      if (core.overWait.backlog !== undefined && vcpus === 1 && lambdaUs > 0 && rho > 0) this.markOverBacklog(core.overWait.backlog, lambdaUs, rho / lambdaUs);
    }
    else {
      // A sleepy mixed victim's request wakes a vCPU when it finds one asleep (a sibling without
      // work takes it: sim/workloads/io.ts chooseVcpu), and the waker meets the knee as an io one,
      // and the full-home waits (SchedulerCore.fullHomePollUs, EEVDF and CFS) the same way.
      if (duty < 1) this.knee(c, vcpus, lambdaUs, 1 - duty ** vcpus);
      if (duty < 1 && ownWakesUs > 0 && core.overBurst !== undefined) this.withOver = core.overBurst(this.overEp, c, duty, duty / ownWakesUs, vcpus, lambdaUs, this.cpuBoundVcpusWith());
      if (duty < 1 && !this.withOver && ownWakesUs > 0 && core.overWait?.overShare !== undefined) this.withOver = this.overSleepy(core.overWait, c, duty, ownWakesUs, vcpus, lambdaUs, rho);
      if (duty < 1 && core.fullHomePollUs !== undefined && c.kneeA > 0) {
        const a = c.kneeA;
        c.kneeA = a * (1 - duty ** vcpus);
        this.overfull(c, vcpus, lambdaUs, 0, NaN);
        c.kneeA = a;
      }
      return;
    }
    const epCapUs = c.capUs;
    c.capUs = capUs;
    if (!(c.ownPreA > 0) && !(c.ownLongA > 0) && !(c.hogQShare > 0)) return;
    const ep = this.episodes;
    this.withEpisodes = true;
    this.episodesScale = core.ownBurstPreempt ? 0 : (core.overWait?.boundScale ?? 0);
    ep.ownPreA = c.ownPreA;
    ep.ownPreR = c.ownPreR;
    ep.ownPreECap = c.ownPreECap;
    ep.ownLongA = c.ownLongA;
    ep.ownLongR = c.ownLongR;
    ep.ownLongECap = c.ownLongECap;
    ep.hogQShare = c.hogQShare;
    ep.hogQCpus = c.hogQCpus;
    ep.hogQCapUs = c.hogQCapUs;
    ep.capUs = epCapUs;
    c.ownPreA = 0;
    c.ownLongA = 0;
    c.hogQShare = 0;
  }

  /**
   * queuedHog: credit2's queued-hog waits of a never-sleeping mixed victim on `c` (SchedulerCore.queuedHog):
   * P(the host's CPU-bound vCPUs, the victim's and the query's CPU-bound extra VM's counted, are
   * exactly one more than the cores), and the other vCPUs' wakes per µs, `lightWakesUs` (io, the
   * query's light extra's included) and the CPU-bound sleepers'.
   */
  private queuedHog(hook: NonNullable<SchedulerCore["queuedHog"]>, c: Components, lightWakesUs: number): void {
    const x = this.extra;
    if (!this.atFresh) {
      this.clearAt();
      this.overHeavy = x !== undefined && x.block === undefined ? x : undefined;
      this.atFresh = true;
    }
    const n = this.hm.cores + 1;
    hook(c, this.atLeast(n) - this.atLeast(n + 1), lightWakesUs + this.sleepyWakesUs());
  }

  /**
   * overWait: credit1's OVER episodes of a mixed victim of duty `duty` (own sleepy wakes
   * `ownWakesUs`): the other sleepers' wakes and mean duty, the host's occupancy at fewer cores
   * (the victim's vCPU in) and its io vCPUs' load, the query's extra VM's included.
   */
  private overWait(hook: OverWait["apply"], c: Components, duty: number, ownWakesUs: number, vcpus: number, lambdaUs: number, ownOut = 0): void {
    const heavy = this.heavyExtra();
    const sums = this.sleepySumsWith(heavy);
    // Every vCPU's mean demand, the victim's included, before its own is taken out of the sleepers.
    const demand = sums[0] + sums[2];
    if (duty < 1) {
      sums[0] -= duty;
      sums[1] -= 1;
    }
    const meanDuty = sums[1] > 0.5 ? sums[0] / sums[1] : 0;
    const light = this.lightExtra;
    const lightLoad = this.mix.lightLoad() + (light ? light.vcpus * light.duty : 0);
    const lightRate = this.mix.lightWakesUs() + (light ? (light.vcpus * light.duty) / light.burstUs : 0);
    const wakes = this.sleepyWakesUs() - ownWakesUs;
    if (!this.atFresh) {
      this.clearAt();
      this.overHeavy = heavy;
      this.atFresh = true;
    }
    const groupLoad = this.groupLoadWith();
    hook(c, duty, wakes, meanDuty, this.atLeast, lightLoad, lightRate > 0 ? lightLoad / lightRate : 1, demand + lightLoad - ownOut, wakes > 0 ? Math.max(0, sums[0]) / wakes : Infinity, vcpus, lambdaUs, groupLoad, this.hogVcpusWith(), this.mix.sleeperGroupLoad() + (heavy && heavy.duty < 1 ? busyShare(heavy.vcpus, heavy.duty) : 0) - (duty < 1 ? busyShare(vcpus, duty) : 0));
  }

  /**
   * overSleepy (Mechanisms.credit1OverSleepy): a sleepy credit1 mixed victim (runnable share
   * `duty`, `rho` of it its requests') whose credit runs below 0 (OverWait.overShare) is not boosted
   * when it wakes, so at a wake with every core held (the io vCPUs among the holders: heldShare) it
   * waits for a core to free up that no UNDER or BOOST vCPU takes, as a blocked waker does (the
   * host's mean wait, c.meanWaitUs); and while it runs it is preempted and waits as credit1OverWait's
   * saturated victim does (its alone and queued episodes, pooled), for the time it runs in debt.
   * Its own other vCPUs are as OVER as it is, not ahead of it. Into overEp (the OVER-burst floor's
   * place, which is not asked beside it): true when it holds episodes.
   */
  private overSleepy(ow: OverWait, c: Components, duty: number, ownWakesUs: number, vcpus: number, lambdaUs: number, rho: number): boolean {
    const light = this.lightExtra;
    const heavy = this.heavyExtra();
    const sums = this.sleepySumsWith(heavy);
    // The other sleepers (the victim's own vCPUs out) and their mean duty; the victim's vCPUs, over
    // their share, stay on the active list as the never-sleeping ones do.
    const others = Math.max(0, sums[1] - vcpus);
    const othersDuty = others > 0 ? Math.max(0, sums[0] - vcpus * duty) / others : 0;
    const steady = sums[2] + vcpus;
    const burstUs = duty / ownWakesUs;
    // What it burns: a request served inside a burst stretches it (sim/guest.ts: the burst resumes
    // after it), and the sleep after a burst is drawn from the burst's duty alone (bursts.ts), so
    // the bursts take 1 / (1 / (1 - rho) + (1 - d) / d) of the time at burst duty d, plus the
    // requests' rho; the runnable share adds the two (profile.ts), which puts victims just under
    // their share over it (holdout-11's packed/10001/7 vm-0: 0.93 against a traced share of 0.93,
    // never OVER; burns 0.90).
    const io = rho >= 0 && rho < 1 ? rho : 0;
    const bursts = Math.max(1e-9, duty - io);
    const burns = Math.min(duty, 1 / (1 / (1 - io) + (1 - bursts) / bursts) + io);
    const lightLoad = this.mix.lightLoad() + (light ? light.vcpus * light.duty : 0);
    // The share of the time it wants a core that it waits UNDER: its wakes (its bursts' and its
    // requests' while idle) per µs it wants one, each blocked at every core held.
    const wakesOn = (ownWakesUs + (lambdaUs / vcpus) * (1 - duty)) / duty;
    const waitUnder = Math.min(1, wakesOn * c.pFull * c.blockGivenFull * c.meanWaitUs);
    // Without the OVER waits first (they only lower the shares): most sleepy victims stop here.
    if (!ow.overShare!(burns, burstUs, steady, others, othersDuty, lightLoad, waitUnder, 0)) return false;
    this.overWait(ow.apply, c, duty, ownWakesUs, vcpus, lambdaUs, (vcpus - 1) * duty);
    const waitOver = (c.ownPreA > 0 ? c.ownPreA / c.ownPreR : 0) + (c.ownLongA > 0 ? c.ownLongA / c.ownLongR : 0);
    const alone = Math.max(0, c.ownPreA);
    const queued = Math.max(0, c.ownLongA);
    const wAlone = alone > 0 ? 1 / c.ownPreR : 0;
    const wQueued = queued > 0 ? 1 / c.ownLongR : 0;
    c.ownPreA = 0;
    c.ownLongA = 0;
    if (!ow.overShare!(burns, burstUs, steady, others, othersDuty, lightLoad, waitUnder, waitOver)) return false;
    const run = duty * OVER_SHARE[0];
    const ep = this.overEp;
    ep.hogQShare = 0;
    ep.capUs = c.capUs;
    // Its wakes: a request that finds it asleep wakes it (sim/workloads/io.ts), as its bursts do.
    const mw = c.meanWaitUs;
    const per = vcpus > 1 ? Math.min(1, 1 / (lambdaUs * mw)) : 1;
    ep.ownPreA = mw > 0 ? OVER_SHARE[1] * (ownWakesUs + lambdaUs * (1 - duty)) * heldShare() * per : 0;
    ep.ownPreR = mw > 0 ? 1 / mw : 1;
    ep.ownPreECap = mw > 0 ? Math.exp(-c.capUs / mw) : 0;
    // Preempted while it runs in debt: credit1OverWait's episodes (apply applied per()), pooled.
    const a = run * (alone + queued);
    const w = a > 0 ? (run * (alone * wAlone + queued * wQueued)) / a : 0;
    ep.ownLongA = w > 0 ? a : 0;
    ep.ownLongR = w > 0 ? 1 / w : 1;
    ep.ownLongECap = w > 0 ? Math.exp(-c.capUs / w) : 0;
    return ep.ownPreA > 0 || ep.ownLongA > 0;
  }

  /**
   * noQueueDue: the no-queue line holds on `c` (its grant-end term written) for an io-only victim of
   * service `serviceUs`, thinned rate `lam`, own wakes `own` and utilisation `rho`: the host's
   * CPU-bound vCPUs, the query's extra VM's included, are no more than its cores, and the long
   * waits of every runner fresh at once, as the grant-end term prices them for the victim's
   * requests past the one wait (grantTailAt), stay under freshMax (SchedulerCore.noQueueLine).
   * O(1): HostMix keeps the counts, and the grant tail is one 8-point quadrature.
   */
  private noQueueDue(c: Components, serviceUs: number, lam: number, own: number, rho: number): boolean {
    const line = this.noQueueLine!;
    if (this.cpuBoundVcpusWith() > this.hm.cores) return false;
    return !(c.grantA > 0) || grantTailAt(c, serviceUs, lam, own, rho, 0, serviceUs + line.waitUs) < line.freshMax;
  }

  /** cpuBoundVcpusWith: the host's CPU-bound vCPUs (sleepers and hogs, mixed victims' included), the query's CPU-bound extra VM's included. */
  private cpuBoundVcpusWith(): number {
    const x = this.extra;
    const sums = this.sleepy;
    this.mix.sleepySums(sums);
    return sums[1] + sums[2] + (x !== undefined && x.block === undefined ? x.vcpus : 0);
  }

  /** groupLoadWith: the host's CPU-bound VMs' Σ busyShare, the query's CPU-bound extra VM's included. */
  private groupLoadWith(): number {
    const x = this.extra;
    return this.mix.groupLoad() + (x !== undefined && x.block === undefined ? busyShare(x.vcpus, x.duty) : 0);
  }

  /** sleeperLoadWith: the host's sleepy CPU-bound VMs' Σ busyShare, the query's sleepy CPU-bound extra VM's included. */
  private sleeperLoadWith(): number {
    const x = this.extra;
    return this.mix.sleeperGroupLoad() + (x !== undefined && x.block === undefined && x.duty < 1 ? busyShare(x.vcpus, x.duty) : 0);
  }

  /** sleeperDemandWith: the host's sleepy CPU-bound vCPUs' Σ duty (their mean runnable count), the query's sleepy CPU-bound extra VM's included. */
  private sleeperDemandWith(): number {
    return this.sleepySumsWith(this.heavyExtra())[0];
  }

  /** heavyExtra: the query's extra VM when it is CPU-bound (no light block), else undefined. */
  private heavyExtra(): CpuPart | undefined {
    const x = this.extra;
    return x !== undefined && x.block === undefined ? x : undefined;
  }

  /**
   * sleepySumsWith: the host's sleepy CPU-bound sums (HostMix.sleepySums: Σ vCPUs x duty, Σ vCPUs,
   * never-sleeping vCPUs) into the query's scratch array, the CPU-bound extra VM `heavy` counted.
   */
  private sleepySumsWith(heavy: CpuPart | undefined): Float64Array {
    const sums = this.sleepy;
    this.mix.sleepySums(sums);
    if (heavy && heavy.duty < 1) {
      sums[0] += heavy.vcpus * heavy.duty;
      sums[1] += heavy.vcpus;
    } else if (heavy) sums[2] += heavy.vcpus;
    return sums;
  }

  /** hogVcpusWith: the host's never-sleeping CPU-bound vCPUs, the query's extra VM's included. */
  private hogVcpusWith(): number {
    const x = this.extra;
    return this.mix.hogVcpus() + (x !== undefined && x.block === undefined && x.duty >= 1 ? x.vcpus : 0);
  }

  /** othersWakesUs: the other vCPUs' wakes per µs a victim on `c` meets (its light part's io vCPUs and the sleepers, the query's extra VM's included). */
  private othersWakesUs(c: Components): number {
    return c.lightWakesUs + this.sleepyWakesUs();
  }

  /** sleepyWakesUs: the host's sleepy CPU-bound vCPUs' wakes per µs, the query's extra VM's included. */
  private sleepyWakesUs(): number {
    const x = this.extra;
    const own = x !== undefined && x.block === undefined && x.duty < 1 ? (x.vcpus * x.duty) / x.burstUs : 0;
    return this.mix.sleepyWakesUs() + own;
  }

  /** episodesWithin: the own-burst episodes alone keep the tail at `x` within eps (only asked withEpisodes). */
  private episodesWithin(r: readonly number[], o: number, x: number, pct: number, estMax: number, aloneAtEstMax: number): boolean {
    return episodesTailAt(this.episodes, r[o + R_SERVICE], r[o + R_RHO], x === estMax ? aloneAtEstMax : aloneTailAt(r[o + R_BASE_A], r[o + R_BASE_THETA], x), x) <= EPS[pct];
  }

  /** overWithin: the OVER-burst episodes alone keep the tail at `x` within eps (only asked withOver). */
  private overWithin(r: readonly number[], o: number, x: number, pct: number, alone: number): boolean {
    return episodesTailAt(this.overEp, r[o + R_SERVICE], r[o + R_RHO], alone, x) <= EPS[pct];
  }

  /** grantWithin: the long grant-end waits alone keep the tail at `x` within eps (only asked withGrant). */
  private grantWithin(c: Components, r: readonly number[], o: number, x: number, pct: number, alone: number): boolean {
    const lam = thinnedLambda(c, r[o + R_LAMBDA], r[o + R_VCPUS]);
    return grantTailAt(c, r[o + R_SERVICE], lam, r[o + R_WAKES], r[o + R_RHO], alone, x) <= EPS[pct];
  }

  /** ownLightOf: the victim's own light vCPU under this host's core (one-entry cache: a victim lives on one host). */
  private ownLightOf(v: Victim): CpuPart {
    const cache = v.lightCache;
    if (cache.core !== this.hm.core) {
      this.mix.light(v.ownLight!, cache.part);
      cache.core = this.hm.core;
    }
    return cache.part;
  }

  /** restOf: the extra VM without its own waking vCPU (undefined when that was its only one). */
  private restOf(x: CpuPart): CpuPart | undefined {
    if (x.vcpus <= 1) return undefined;
    const r = this.rest;
    r.vcpus = x.vcpus - 1;
    r.duty = x.duty;
    r.burstUs = x.burstUs;
    r.block = x.block;
    return r;
  }

  /**
   * mixing: the victim's load feature on `c`, and (for its own components) the host features
   * into `h`: the same for both percentiles, so computed once per victim (4 logs of a what-if).
   */
  private mixing(c: Components, lambdaUs: number): number {
    if (c !== this.comps) hostFeatures(c, this.hm.cores, this.h);
    return loadFeature(c, lambdaUs);
  }

  /** logCorr: the correction of percentile pct on `c` for a victim whose own part is `victimCorr`, after mixing gave `load`. */
  private logCorr(c: Components, pct: number, victimCorr: number, load: number): number {
    const hm = this.hm;
    const w = pct === Pct.P999 ? hm.fitted.p999.weights : hm.fitted.p99.weights;
    if (c === this.comps && (this.partsDue || c.sleeperFloor !== this.partsFloor)) this.writeHostParts();
    const host = c === this.comps ? this.hostParts[pct] : hostPart(w, this.h);
    return splitCorrection(w, host, victimCorr, load);
  }

  /**
   * oneWaitThreshold: the core-quantile threshold of estimate `estMax` under the one-wait line,
   * from the corrected one `x` (uncorrectedThreshold). min(f(q), max(q, A)) <= T holds where
   * f(q) <= T (q <= x) or, if T >= A, where q <= T: so the threshold is max(x, T) when T >= A.
   */
  private oneWaitThreshold(c: Components, r: readonly number[], o: number, pct: number, estMax: number, x: number): number {
    if (pct !== Pct.P999 || r[o + R_LIGHT] === 0 || c.pFull >= this.oneWaitPFull) return x;
    return estMax >= r[o + R_BASE + pct] + this.oneWaitUs && estMax > x ? estMax : x;
  }

  /** bound: the estimate's conformal bound, widened by 2 per outside-range reason. */
  private bound(c: Components, pct: number, reasons: number, est: number): number {
    const off = this.hm.offsets[pct];
    return ((est + off) * this.hm.margins[2 * pct + (c.pFull < QUIET_P_FULL ? 0 : 1)] - off) * WIDEN[reasons];
  }

  /** estimateFor: the largest estimate whose bound stays within `limit` (inverse of bound). */
  private estimateFor(pFull: number, pct: number, reasons: number, limit: number): number {
    const off = this.hm.offsets[pct];
    return (limit / WIDEN[reasons] + off) / this.hm.margins[2 * pct + (pFull < QUIET_P_FULL ? 0 : 1)] - off;
  }

  /** reasons: the outside-range reasons that widen v's bound (at most 4 count). */
  private reasons(v: Victim, widen: number): number {
    return this.reasonsOf(widen, v.outside.length, v.ownLight ? v.tail.vcpus : 0);
  }

  /** reasonsOf: reasons() from the victim's outside-reason count and own light vCPUs. */
  private reasonsOf(widen: number, outside: number, own: number): number {
    const over = this.heavy >= 0 && this.heavy + own - this.hm.cores > this.hm.maxOverCores ? 1 : 0;
    return Math.min(4, widen + outside + over);
  }

  /**
   * predict writes v's estimate and bound; `widen` counts the host's and composition's outside
   * reasons. `pcts` (bits: 1 p99, 2 p99.9) says which percentiles to solve: each is a root finding
   * of the tail, so a caller that reads one asks for one; the other's figures are NaN.
   */
  predict(v: Victim, widen: number, out: Prediction, self = false, pcts = 3): Prediction {
    const c = this.components(v, self);
    const reasons = this.reasons(v, widen);
    const load = pcts !== 0 ? this.mixing(c, v.tail.lambdaUs) : NaN;
    for (let pct = 0; pct < 2; pct++) {
      if ((pcts & (1 << pct)) === 0) {
        out.estimateUs[pct] = NaN;
        out.boundUs[pct] = NaN;
        continue;
      }
      const alone = pct === Pct.P999 ? v.tail.base999Us : v.tail.base99Us;
      // Mechanisms.cfsPollPulls: the tail on the slower pulls (markPull), corrected as the core's.
      const coreUs = quantileUs(this.withPull ? this.pullComps : c, v.tail, EPS[pct]);
      let est = corrected(coreUs, alone, this.logCorr(c, pct, v.corr[this.coreAt + pct], load));
      // The one-wait line (SchedulerCore.oneWaitUs): the correction lifts an io-only victim up to alone + line, not past.
      if (this.oneWaitUs > 0 && pct === Pct.P999 && v.ownCpu === undefined && c.pFull < this.oneWaitPFull) est = Math.min(est, Math.max(coreUs, alone + this.oneWaitUs));
      // The re-pick line (SchedulerCore.repickWaitUs): an io-only victim's waits end at the timers.
      if (this.repickWaitUs !== undefined && pct === Pct.P999 && v.ownCpu === undefined) est = Math.min(est, repickLineUs(this.repickWaitUs, v.tail.serviceUs, v.tail.lambdaUs, v.tail.vcpus, alone));
      // The no-queue line (SchedulerCore.noQueueLine): with no CPU-bound vCPU queued, one MIN_TIMER wait at most.
      if (this.noQueueLine !== undefined && pct === Pct.P999 && v.ownCpu === undefined && this.noQueueDue(c, v.tail.serviceUs, thinnedLambda(c, v.tail.lambdaUs, v.tail.vcpus), v.tail.burstWakesUs, v.tail.rho)) est = Math.min(est, Math.max(alone, v.tail.serviceUs + this.noQueueLine.waitUs));
      // The re-pick floor (SchedulerCore.repickFloor): the waits that last MIN_TIMER, under the line.
      if (this.repickFloor !== undefined && pct === Pct.P999 && v.ownCpu === undefined) {
        const w = this.repickFloor.waitUs(c.pFull * c.blockGivenFull, this.othersWakesUs(c), EPS[pct]);
        if (w > 0) est = Math.max(est, v.tail.serviceUs + w);
      }
      // A floor with its own bound (the over-full episodes) is not widened with the rest.
      let floor = 0;
      if (this.withEpisodes && this.episodesScale > 0) floor = episodesQuantileUs(this.episodes, v.tail, EPS[pct]);
      else if (this.withEpisodes) est = Math.max(est, episodesQuantileUs(this.episodes, v.tail, EPS[pct]));
      if (this.withOver) est = Math.max(est, episodesQuantileUs(this.overEp, v.tail, EPS[pct]));
      if (this.withGrant) est = Math.max(est, grantQuantileUs(c, v.tail, thinnedLambda(c, v.tail.lambdaUs, v.tail.vcpus), EPS[pct]));
      if (this.withShare) est = Math.max(est, this.shareUs(pct));
      if (this.withBacklog) est = Math.max(est, this.backlogUs(pct));
      if (this.withOverBacklog) est = Math.max(est, this.overBacklogUs(pct));
      est += this.hop[pct];
      out.estimateUs[pct] = Math.max(est, floor + this.hop[pct]);
      out.boundUs[pct] = Math.max(this.bound(c, pct, reasons, est), floor > 0 ? this.episodesScale * floor + this.hop[pct] : 0);
    }
    out.pFull = c.pFull;
    out.blockGivenFull = c.blockGivenFull;
    out.meanWaitUs = c.meanWaitUs;
    out.widened = reasons;
    return out;
  }

  /**
   * withinSlo: v's bound stays within its SLOs (its estimate, for the SLOs in v.estimateSlos). One
   * tail evaluation per SLO: the bound is monotone in the core's quantile, so the SLO maps to a
   * threshold on the core's own tail (no root finding on the placer's hot path). `skip`: SLOs not
   * checked (bits: 1 p99, 2 p99.9).
   */
  withinSlo(v: Victim, widen: number, self = false, skip = 0): boolean {
    const c = this.components(v, self);
    return this.rowWithinSlo(c, v.row, 0, this.reasons(v, widen), skip, v.estimateSlos, ROW + this.coreAt);
  }

  /**
   * withinSloRow is withinSlo for a victim of the host, read from its row at `o` (written by
   * writeRow under this host's core): the same answer, from one array instead of its objects. A
   * mixed victim (R_LIGHT 0) brings its exclusion table (`exclusion`; unread for an io-only one).
   * `byEstimate`: the SLOs judged by the estimate (bits as `skip`).
   */
  withinSloRow(rows: readonly number[], o: number, widen: number, skip: number, byEstimate: number, exclusion?: ExclusionCache): boolean {
    let c: Components;
    this.resetFloors();
    const reasons = this.reasonsOf(widen, rows[o + R_OUTSIDE], rows[o + R_OWN_VCPUS]);
    if (rows[o + R_LIGHT] === 0 && exclusion) {
      // The components' pFull is excludedFull's (rescale sets it, nothing after writes it), and it
      // is all the first test of rowWithinSlo reads of them: a mixed victim whose SLO leaves no
      // room past its service time fails before its own components and OVER wait are built
      // (a tenth of the replay's mixed victims).
      const duty = rows[o + R_OWN_DUTY];
      this.ownFull(duty, exclusion, rows[o + R_VCPUS]);
      if (this.noRoom(rows, o, this.full.pFull, reasons, skip, byEstimate)) return this.refuse(Refusal.Independent);
      c = this.mixedFromFull(duty, exclusion, rows[o + R_WAKES], rows[o + R_VCPUS], rows[o + R_LAMBDA], rows[o + R_RHO], true);
    } else {
      // An io-only victim meets the query's components, whose pFull is the first thing its test
      // reads: with a CPU-bound extra they are not built yet, and a victim whose SLO leaves no room
      // fails before they are (98 k of the replay's first asks of a CPU shape).
      if (this.compsDue && this.noRoom(rows, o, this.queryPFull(), reasons, skip, byEstimate)) return this.refuse(Refusal.Independent);
      c = this.built();
      this.mix.lightComponentLess(c, this.lightExtra, rows[o + R_EX_LSP], rows[o + R_EX_LRATE], rows[o + R_LIGHT], true, rows[o + R_RHO]);
      this.overfull(c, rows[o + R_VCPUS], rows[o + R_LAMBDA], rows[o + R_EX_LSP], rows[o + R_RHO]);
      this.knee(c, rows[o + R_VCPUS], rows[o + R_LAMBDA], 1);
    }
    this.markGrant(c);
    this.withShare = false;
    if (this.shareOn && rows[o + R_LIGHT] !== 0) this.markShare(c, rows[o + R_LAMBDA], rows[o + R_SERVICE], rows[o + R_VCPUS]);
    this.markIoFloors(c, rows[o + R_LIGHT] !== 0, rows[o + R_LAMBDA], rows[o + R_SERVICE], rows[o + R_VCPUS], rows[o + R_RHO]);
    return this.rowWithinSlo(c, rows, o, reasons, skip, byEstimate, o + R_CORR);
  }

  /**
   * keeps: this query's victims of the host can be judged from what is kept of them per host
   * (withinSloKept): its extra VM is io-only or none, so the CPU-bound components are the host's
   * own, and the host's core does not count light holds (their tails would need the held chances
   * kept too; CFS's light waiters, which come with them, move the bins with the light part). The
   * caller also leaves out hosts with a driver domain (its hop moves every SLO's room).
   */
  keeps(): boolean {
    // keepsCpu clears a victim's bins in splitEpisodes, which a slot's ownBuild does not: its core
    // is kept out (EEVDF's light holds keep it out already).
    return (this.extra === undefined || this.extra.block !== undefined) && (this.comps.heldN === 0 || this.kneeOnly()) && this.hm.core.lightWaiters !== true && this.hm.core.keepsCpu === undefined;
  }

  /**
   * kneeOnly: the query's held tails are credit1's knee's alone (no light holds): what is kept of a
   * mixed victim is what its tests read but the knee, which withinSloKept finds as mixedFromFull
   * does (the tails left due, from the victim's exclusion table: resolveKnee).
   */
  private kneeOnly(): boolean {
    const core = this.hm.core;
    return core.holdKnee === true && core.lightHolds !== true;
  }

  /**
   * withinSloKept is withinSloRow (same arguments) for a mixed victim on a query that keeps(), with
   * what no io-only extra VM changes read from, or first written to, the victim's slot at `ko` of
   * `kept` (kept-tails.ts), valid while it holds the host's generation `gen` and the reasons asked
   * for: its own components before their light part (kept as the scalars their light part,
   * episodes and grant ends read), and each percentile's threshold and tail terms, found when first
   * read (the tail's only when the bound fails), as rowWithinSlo would find them. An io-only
   * victim's components are the query's own, and what it would keep is cheaper to find than to
   * read from a slot (measured: no gain).
   */
  withinSloKept(rows: readonly number[], o: number, widen: number, skip: number, byEstimate: number, exclusion: ExclusionCache, kept: number[], ko: number, gen: number): boolean {
    this.resetFloors();
    const reasons = this.reasonsOf(widen, rows[o + R_OUTSIDE], rows[o + R_OWN_VCPUS]);
    const fresh = kept[ko + K_GEN] === gen && kept[ko + K_REASONS] === reasons;
    if (fresh && kept[ko + K_FAIL] !== 0) return this.refuse(Refusal.Independent);
    const duty = rows[o + R_OWN_DUTY];
    const c = this.ownComps;
    this.ownDuty = duty;
    this.ownVcpus = rows[o + R_VCPUS];
    this.ownExclusion = exclusion;
    if (fresh) {
      restoreMixed(c, kept, ko);
      this.ownStale = true;
    } else {
      this.keepSlot(rows, o, reasons, skip, kept, ko, gen);
      this.ownBuild();
      keepMixed(c, kept, ko);
    }
    const knee = this.comps.heldN > 0 && this.kneeOnly();
    if (knee) {
      // What credit1's knee reads of the victim's own components (mixedFromFull), its held tails
      // left due (resolveKnee), whichever components `c` holds now.
      c.heldN = this.comps.heldN;
      c.heavyWakes = this.comps.heavyWakes;
      this.mix.countsOnly(c, this.extra, duty);
      this.kneeHeldDue = HeldDue.Excluded;
      this.kneeDuty = duty;
      this.kneeExclusion = exclusion;
    }
    this.mix.lightComponent(c, this.lightExtra, undefined, knee);
    this.splitEpisodes(c, duty, duty < 1 ? rows[o + R_WAKES] : 0, rows[o + R_VCPUS], rows[o + R_LAMBDA], rows[o + R_RHO]);
    this.markGrant(c);
    // A mixed victim: no time-share or busy-backlog floor (its requests are served inside its own bursts).
    this.withShare = false;
    this.withBacklog = false;
    this.withPull = false;
    return this.keptWithin(c, rows, o, byEstimate, kept, ko);
  }

  /** The mixed victim withinSloKept judges: its own vCPU's duty and exclusion table, and whether ownComps' bins are another's. */
  private ownDuty = 0;
  private ownVcpus = 1;
  private ownExclusion: ExclusionCache | undefined = undefined;
  private ownStale = false;

  /** ownBuild: the mixed victim's own components before their light part (mixedFromFull's first steps), in ownComps. */
  private ownBuild(): void {
    const c = this.ownComps;
    this.ownFull(this.ownDuty, this.ownExclusion!, this.ownVcpus);
    c.copyFrom(this.built());
    c.unfloor();
    this.ownCap(c, this.ownDuty, this.ownVcpus);
    c.rescale(this.full.pFull, this.near.pFull, this.full.meanN, this.hm.cores, this.hm.core.ownBurstQueue);
    this.ownStale = false;
  }

  /** keepSlot starts the victim's slot for generation `gen`: nothing found yet of the percentiles checked. */
  private keepSlot(r: readonly number[], o: number, reasons: number, skip: number, k: number[], ko: number, gen: number): void {
    k[ko + K_GEN] = gen;
    k[ko + K_REASONS] = reasons;
    k[ko + K_FAIL] = 0;
    k[ko + K_OMR] = 1 - r[o + R_RHO];
    k[ko + K_LOAD] = NaN;
    for (let pct = 0; pct < 2; pct++) k[ko + K_PCT + pct * KP + P_ON] = r[o + R_SLO + pct] === Infinity || (skip & (1 << pct)) !== 0 ? ON_SKIP : ON_DUE;
  }

  /**
   * keepPct finds percentile pct's threshold and bound terms on `c` (the victim's own components,
   * built) into its block, as rowWithinSlo's steps up to the bound; false: the
   * SLO leaves no room past the service time (the victim fails whatever the light part).
   */
  private keepPct(c: Components, r: readonly number[], o: number, pct: number, byEstimate: number, k: number[], ko: number): boolean {
    const serviceUs = r[o + R_SERVICE];
    const estMax = this.estMax(c.pFull, pct, k[ko + K_REASONS], r[o + R_SLO + pct], byEstimate);
    if (estMax < serviceUs) return false;
    let load = k[ko + K_LOAD];
    if (Number.isNaN(load)) {
      load = k[ko + K_LOAD] = this.mixing(c, r[o + R_LAMBDA]);
      k[ko + K_HOST] = hostPart(this.hm.fitted.p99.weights, this.h);
      k[ko + K_HOST + 1] = hostPart(this.hm.fitted.p999.weights, this.h);
    }
    const w = pct === Pct.P999 ? this.hm.fitted.p999.weights : this.hm.fitted.p99.weights;
    const host = k[ko + K_HOST + pct];
    let x = uncorrectedThreshold(estMax, r[o + R_BASE + pct], splitCorrection(w, host, r[o + R_CORR + pct], load));
    if (this.oneWaitUs > 0) x = this.oneWaitThreshold(c, r, o, pct, estMax, x);
    const y = x - serviceUs;
    if (y <= 0) return false;
    const p = ko + K_PCT + pct * KP;
    k[p + P_EST_MAX] = estMax;
    keepBound(c, y, thinnedLambda(c, r[o + R_LAMBDA], r[o + R_VCPUS]), r[o + R_WAKES], aloneTailAt(r[o + R_BASE_A], r[o + R_BASE_THETA], x), k, p);
    k[p + P_ON] = ON_BOUND;
    return true;
  }

  /** keptWithin is rowWithinSlo on `c`, ownComps (its light part, episodes and grant ends written this query), from the victim's slot, filling it as it reads. */
  private keptWithin(c: Components, r: readonly number[], o: number, byEstimate: number, k: number[], ko: number): boolean {
    const omr = k[ko + K_OMR];
    if (this.withEpisodes || this.withGrant || this.withOver || this.withOverBacklog) this.certBad = true;
    for (let pct = 0; pct < 2; pct++) {
      const p = ko + K_PCT + pct * KP;
      const on = k[p + P_ON];
      if (on === ON_SKIP) continue;
      if (on === ON_DUE) {
        if (this.ownStale) this.ownBuild();
        if (!this.keepPct(c, r, o, pct, byEstimate, k, ko)) {
          k[ko + K_FAIL] = 1;
          return this.refuse(Refusal.Independent);
        }
      }
      const estMax = k[p + P_EST_MAX];
      if (this.kneeDue) {
        let alone = k[p + P_BASE_EST];
        if (Number.isNaN(alone)) alone = k[p + P_BASE_EST] = aloneTailAt(r[o + R_BASE_A], r[o + R_BASE_THETA], estMax);
        if (!this.kneeSkips(r, o, estMax, pct, alone)) this.resolveKnee();
      }
      if (this.withEpisodes || this.withGrant || this.withOver) {
        let alone = k[p + P_BASE_EST];
        if (Number.isNaN(alone)) alone = k[p + P_BASE_EST] = aloneTailAt(r[o + R_BASE_A], r[o + R_BASE_THETA], estMax);
        if (this.withEpisodes && !(episodesTailAt(this.episodes, r[o + R_SERVICE], r[o + R_RHO], alone, estMax) <= EPS[pct])) return this.refuse(Refusal.None);
        if (this.withOver && !(episodesTailAt(this.overEp, r[o + R_SERVICE], r[o + R_RHO], alone, estMax) <= EPS[pct])) return this.refuse(Refusal.None);
        if (this.withGrant && !(grantTailAt(c, r[o + R_SERVICE], k[p + P_LAM], r[o + R_WAKES], r[o + R_RHO], alone, estMax) <= EPS[pct])) return this.refuse(Refusal.None);
      }
      if (this.withOverBacklog && this.overBacklogUs(pct) > estMax) return this.refuse(Refusal.None);
      const bound = keptTailBound(c, k, p, omr);
      if (bound <= EPS[pct]) {
        if (bound > EPS[pct] * CERT_BELOW) this.certBad = true;
        continue;
      }
      if (k[p + P_ON] !== ON_TAIL) {
        if (this.ownStale) this.ownBuild();
        keepTail(c, r[o + R_WAKES], k, p);
        k[p + P_ON] = ON_TAIL;
      }
      const tail = keptWaitTail(c, k, p, omr);
      if (tail > EPS[pct]) return this.refuse(tail > EPS[pct] * CERT_ABOVE ? Refusal.Monotone : Refusal.None);
      if (tail > EPS[pct] * CERT_BELOW) this.certBad = true;
    }
    return true;
  }

  /**
   * noRoom: some SLO checked leaves an estimate below the victim's service time on components of
   * chance `pFull` that all cores are held, so rowWithinSlo on them answers false (at that test, or
   * at an earlier one of another SLO: false either way).
   */
  private noRoom(r: readonly number[], o: number, pFull: number, reasons: number, skip: number, byEstimate: number): boolean {
    for (let pct = 0; pct < 2; pct++) {
      const slo = r[o + R_SLO + pct];
      if (slo === Infinity || (skip & (1 << pct)) !== 0) continue;
      if (this.estMax(pFull, pct, reasons, slo, byEstimate) < r[o + R_SERVICE]) return true;
    }
    return false;
  }

  /** floorMax: the largest over-full floor (episodesScale) of percentile pct within `slo`: its bound is the floor x the scale, unwidened. */
  private floorMax(pct: number, slo: number, byEstimate: number): number {
    return ((byEstimate & (1 << pct)) !== 0 ? slo - this.hop[pct] : (slo - this.hop[pct]) / this.episodesScale);
  }

  /** estMax: the largest estimate of percentile pct within `slo` (its bound's, unless judged by the estimate), the hop taken off. */
  private estMax(pFull: number, pct: number, reasons: number, slo: number, byEstimate: number): number {
    return ((byEstimate & (1 << pct)) !== 0 ? slo : this.estimateFor(pFull, pct, reasons, slo)) - this.hop[pct];
  }

  /**
   * withinSloSelfRow is withinSlo for the extra VM judging itself (self), its terms read from a
   * row laid out as its Victim.row at `o` (a candidate table's): the same answer.
   */
  withinSloSelfRow(rows: readonly number[], o: number, widen: number, skip: number, byEstimate: number): boolean {
    const c = this.selfComponents(rows[o + R_LAMBDA], true, rows[o + R_RHO]);
    this.markGrant(c);
    const x = this.extra;
    this.withShare = false;
    if (this.shareOn && (x === undefined || x.block !== undefined)) this.markShare(c, rows[o + R_LAMBDA], rows[o + R_SERVICE], rows[o + R_VCPUS]);
    this.markIoFloors(c, rows[o + R_LIGHT] !== 0, rows[o + R_LAMBDA], rows[o + R_SERVICE], rows[o + R_VCPUS], rows[o + R_RHO]);
    return this.rowWithinSlo(c, rows, o, this.reasonsOf(widen, rows[o + R_OUTSIDE], rows[o + R_OWN_VCPUS]), skip, byEstimate, o + ROW + this.coreAt);
  }

  /** rowWithinSlo: withinSlo on the victim's components `c`, its terms read from its row at `o` (its correction's part at `corrAt`). */
  private rowWithinSlo(c: Components, r: readonly number[], o: number, reasons: number, skip: number, byEstimate: number, corrAt: number): boolean {
    let load = NaN;
    const serviceUs = r[o + R_SERVICE];
    // Mechanisms.cfsPollPulls: the pulls' share moves with the extra VM's sleeps, either way: no certificate.
    if (this.withEpisodes || this.withGrant || this.withShare || this.withOver || this.withBacklog || this.withPull || this.withOverBacklog) this.certBad = true;
    for (let pct = 0; pct < 2; pct++) {
      const slo = r[o + R_SLO + pct];
      if (slo === Infinity || (skip & (1 << pct)) !== 0) continue;
      // bound(est) <= slo  <=>  est <= estMax  <=>  core quantile <= threshold  <=>  tail(threshold) <= eps.
      const estMax = this.estMax(c.pFull, pct, reasons, slo, byEstimate);
      if (estMax < serviceUs) return this.refuse(Refusal.Independent);
      // The victim's alone tail at estMax, found once for the floors' tests that read it (an
      // exponential each; the same arguments, so the same bits).
      let alone = NaN;
      if (this.kneeDue || this.withEpisodes || this.withOver || this.withGrant) alone = aloneTailAt(r[o + R_BASE_A], r[o + R_BASE_THETA], estMax);
      if (this.kneeDue && !this.kneeSkips(r, o, estMax, pct, alone)) this.resolveKnee();
      if (this.withEpisodes && !this.episodesWithin(r, o, this.episodesScale > 0 ? this.floorMax(pct, slo, byEstimate) : estMax, pct, estMax, alone)) return this.refuse(Refusal.None);
      if (this.withOver && !this.overWithin(r, o, estMax, pct, alone)) return this.refuse(Refusal.None);
      if (this.withGrant && !this.grantWithin(c, r, o, estMax, pct, alone)) return this.refuse(Refusal.None);
      if (this.withShare && this.shareUs(pct) > estMax) return this.refuse(Refusal.None);
      if (this.withBacklog && this.backlogUs(pct) > estMax) return this.refuse(Refusal.None);
      if (this.withOverBacklog && this.overBacklogUs(pct) > estMax) return this.refuse(Refusal.None);
      // The re-pick floor (SchedulerCore.repickFloor): predict's max(estimate, service + wait), the
      // wait where its tail is eps, so over estMax exactly where the tail at estMax is over eps.
      if (this.repickFloor !== undefined && pct === Pct.P999 && r[o + R_LIGHT] !== 0 && this.repickFloor.tail(c.pFull * c.blockGivenFull, this.othersWakesUs(c), estMax - serviceUs) > EPS[pct]) return this.refuse(Refusal.None);
      // The re-pick line (SchedulerCore.repickWaitUs): predict's min(corrected, line), the floors
      // above taken after it. The line is the victim's own, whatever the host's load: a pass by it
      // holds for any candidate, so it certifies as the tail's passes do.
      if (this.repickWaitUs !== undefined && pct === Pct.P999 && r[o + R_LIGHT] !== 0 && repickLineUs(this.repickWaitUs, serviceUs, r[o + R_LAMBDA], r[o + R_VCPUS], r[o + R_BASE + pct]) <= estMax) continue;
      // The no-queue line (SchedulerCore.noQueueLine): predict's min(corrected, line), as the re-pick
      // line's; it holds only on this host (its CPU-bound count and grant-end chance), and credit2's
      // core, with its grant ends, certifies nothing anyway (light-certs.ts certifiable).
      if (this.noQueueLine !== undefined && pct === Pct.P999 && r[o + R_LIGHT] !== 0 && this.noQueueDue(c, serviceUs, thinnedLambda(c, r[o + R_LAMBDA], r[o + R_VCPUS]), r[o + R_WAKES], r[o + R_RHO]) && Math.max(r[o + R_BASE + pct], serviceUs + this.noQueueLine.waitUs) <= estMax) continue;
      if (Number.isNaN(load)) load = this.mixing(c, r[o + R_LAMBDA]);
      let x = uncorrectedThreshold(estMax, r[o + R_BASE + pct], this.logCorr(c, pct, r[corrAt + pct], load));
      // The one-wait line (SchedulerCore.oneWaitUs): predict's min(corrected, max(core, alone + line)).
      if (this.oneWaitUs > 0) x = this.oneWaitThreshold(c, r, o, pct, estMax, x);
      const y = x - serviceUs;
      // At or below the service time the tail is 1 (tailAt): over any eps.
      if (y <= 0) return this.refuse(Refusal.Independent);
      // The victim's alone tail at x is the first term of both: evaluated once.
      const base = aloneTailAt(r[o + R_BASE_A], r[o + R_BASE_THETA], x);
      const lam = thinnedLambda(c, r[o + R_LAMBDA], r[o + R_VCPUS]);
      // Mechanisms.cfsPollPulls: predict's tail on the slower pulls (markPull; its thinning is c's).
      const ct = this.withPull ? this.pullComps : c;
      const bound = waitTailBound(ct, y, lam, r[o + R_WAKES], r[o + R_RHO], base);
      if (bound <= EPS[pct]) {
        if (bound > EPS[pct] * CERT_BELOW) this.certBad = true;
        continue;
      }
      const tail = waitTail(ct, y, lam, r[o + R_WAKES], r[o + R_RHO], base);
      if (tail > EPS[pct]) return this.refuse(tail > EPS[pct] * CERT_ABOVE ? Refusal.Monotone : Refusal.None);
      if (tail > EPS[pct] * CERT_BELOW) this.certBad = true;
    }
    return true;
  }

  /** refuse: a victim's test fails, `kind` saying what certifies it (light-certs.ts). */
  private refuse(kind: Refusal): false {
    this.refusal = kind;
    return false;
  }
}

/**
 * repickLineUs: an io-only victim's p99.9 where its waits end at the re-pick timers
 * (SchedulerCore.repickWaitUs): its service plus the wait of a vCPU waking at its share of the
 * VM's requests, or its alone p99.9 if that is more (its own queue sets the tail).
 */
function repickLineUs(wait: (lambdaUs: number) => number, serviceUs: number, lambdaUs: number, vcpus: number, aloneUs: number): number {
  return Math.max(aloneUs, serviceUs + wait(lambdaUs / Math.max(1, vcpus)));
}
