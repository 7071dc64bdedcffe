import { BINS } from "./cpu-part.js";
import { HELD_MAX } from "./light-holds.js";

/**
 * Components are the wait distributions a waking victim meets, as a mixture: with probability
 * a[k] (all cores held, the victim's core by a runner of burst bin k that it cannot preempt) it
 * waits an exponential of rate r[k] (that runner blocking, or another core freeing up) capped at
 * capUs; with probability rlA a uniform wait up to rlUs (a rate-limited runner); with probability
 * driftA (the victim itself without priority) an exponential of rate driftR capped at driftCapUs.
 */
export class Components {
  /** Doubles save writes. */
  static readonly SAVED = 5 * BINS + 28;

  readonly a = new Float64Array(BINS);
  readonly r = new Float64Array(BINS);
  /**
   * The part of r[k] that other cores' releases add, undiscounted (r[k] less the runner's own
   * release rate, at othersShare 1): CFS's light waiters (light-holds.ts lightWaiterShare) scale
   * it per victim, on the query's shared components, so r[k] is always own + othersShare x this.
   */
  readonly rOthers = new Float64Array(BINS);
  othersShare = 1;
  /** e^(-r cap) per bin, shared by every victim of the query. */
  readonly eCap = new Float64Array(BINS);
  capUs = 0;
  /**
   * The whole-weight cap over capUs (Mechanisms.cfsRunnerWeight; 1 elsewhere): the correction's cap
   * feature reads capUs x capRatio, the cap it was fitted on, so a light runners' cap shortens the
   * core's tail without also moving the correction (correction.ts features, hostFeatures).
   */
  capRatio = 1;
  /**
   * The chance a sleepy runner came back on the sleeper floor that the blocked bins (a, sumA,
   * sumAOverR, blockGivenFull, heavyBlock) were scaled by (Mechanisms.cfsSleeperFloor, host-mix.ts
   * floorChance; 1 elsewhere). A mixed victim's own components take it back out (unfloor): its
   * waking vCPU is the one sleepy VM's, no waker on the floor beside another VM's runner.
   */
  sleeperFloor = 1;
  /**
   * What the sleeper-floor chance is found from (host-mix.ts floorInputs): the one sleepy VM's
   * mean sleep, µs (0: the term does not apply to these components), its demand in cores and the
   * shared cores it leaves idle. The chance also reads the host's io load, so a light extra VM
   * moves it with the light part (host-mix.ts lightComponentLess, Components.refloor), as once it is on the host.
   */
  floorSleepUs = 0;
  floorDemand = 0;
  floorIdle = 0;
  /**
   * Where floorSleepUs > 0: the blocked bins and block shares at chance 1, which refloor scales
   * (from these, not from the last chance, so no victim's chance leaves a rounding in another's).
   */
  readonly floorA = new Float64Array(BINS);
  floorSumA = 0;
  floorSumAOverR = 0;
  floorBlockGivenFull = 0;
  floorHeavyBlock = 0;
  rlA = 0;
  rlUs = 0;
  driftA = 0;
  driftR = 0;
  driftCapUs = 0;
  driftECap = 0;
  pFull = 0;
  /** Mean runnable CPU-bound vCPUs over cores when all are held. */
  excess = 0;
  /**
   * CPUs that never-sleeping vCPUs keep to themselves (CFS, Mechanisms.cfsHogsKeep: host-mix.ts
   * build): the victim shares the host's other cores with the other vCPUs, and the waits and the
   * correction's host features are those of that smaller host. 0 elsewhere.
   */
  keptCores = 0;
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
  /**
   * The other io vCPUs' wakes per µs (the light sums' Σ duty / hold, the query's light extra VM in
   * and the victim's own light vCPU out), written with the light part (host-mix.ts
   * lightComponentLess): credit2's re-pick floor counts their schedule() calls (query.ts).
   */
  lightWakesUs = 0;
  /**
   * A mixed victim's vCPU preempted inside its own CPU burst (credit2: SchedulerCore
   * ownBurstPreempt): such episodes start at ownPreA per µs and last an exponential of rate
   * ownPreR capped at capUs; requests that arrive meanwhile see the rest of the wait. Written by
   * the core's hook and moved to the scratch components a query keeps them in (query.ts
   * `episodes`, read by tail.ts episodesTailAt): the what-if tail (waitTail) never reads them.
   */
  ownPreA = 0;
  ownPreR = 1;
  ownPreECap = 0;
  /**
   * A second kind of such episodes, with its own rate, start rate and e^(-rate cap) (credit1's
   * OVER waits with others queued ahead, SchedulerCore.overWait; 0 elsewhere): the tail is the
   * sum of both kinds', so short episodes do not dilute the long ones' tail.
   */
  ownLongA = 0;
  ownLongR = 1;
  ownLongECap = 0;
  /**
   * credit2's queued hog (SchedulerCore.queuedHog): the share of a never-sleeping mixed victim's
   * time its vCPU waits queued for the shortest of hogQCpus grants uniform up to hogQCapUs (0:
   * none). Moved to the scratch episodes as the own-burst ones are (query.ts splitEpisodes).
   */
  hogQShare = 0;
  hogQCpus = 0;
  hogQCapUs = 1;
  /**
   * Light holds (EEVDF, light-holds.ts): P(CPU-bound runnable >= cores - j) at [j] for j below
   * heldN (0: the core does not count light holds), and the CPU-bound vCPUs' wake rate, per µs.
   * Not in save: the host keeps them beside its cached components (host-mix.ts).
   */
  readonly held = new Float64Array(HELD_MAX + 1);
  heldN = 0;
  /**
   * held[2..] not found yet (credit1's knee alone reads them: host-mix.ts fillHeld leaves them to
   * the first holdKnee that reads them, from the host and extra VM they were asked with). Copied.
   */
  heldDue = false;
  heavyWakes = 0;
  /**
   * With light holds: the host's CPU-bound vCPUs (hogs and sleepers, the extra VM's counted, the
   * victim's own too), of them the sleepy ones and their Σ duty (CFS's light-full terms,
   * light-holds.ts).
   */
  heavyVcpus = 0;
  sleepyVcpus = 0;
  sleepyDuty = 0;
  /**
   * CFS's knee (SchedulerCore.kneeSlack, light-holds.ts kneeNoIdle, kneeRate): the chance an io
   * waker finds no idle CPU and is blocked by its home runner, and its release rate, per µs.
   * Written per victim with the light part (0: none); the floor cfs.ts kneeEpisodes reads. EEVDF's
   * full-home waits (SchedulerCore.fullHomePollUs, host-mix.ts fullHome) are written here too.
   */
  kneeA = 0;
  kneeR = 1;
  /**
   * CFS's full-home no-idle chance (host-mix.ts fullHome's `full`, Mechanisms.cfsFullHome): an io
   * waker finds the light holds and the sleepers' polls filling the cores the CPU-bound vCPUs
   * leave; kneeA is it times the home runner's chance to block the waker. Written per victim with
   * the light part (0: none); cfs.ts splitWakeEpisodes reads it (Mechanisms.cfsSplitWake).
   */
  fullHomeFull = 0;
  /**
   * credit1's knee left due (host-mix.ts holdKnee with `due`, the placer's row test): every input
   * of kneeA but the held tails' sum is found (its light Σ duty, vCPUs, block share and release
   * rate below), and kneeA stays 0 until HostMix.kneeFull finds it. Neither saved nor copied.
   */
  kneeDue = false;
  kneeLsp = 0;
  kneeCount = 0;
  kneeBlock = 0;
  kneeRDue = 1;
  /**
   * credit1's knee release from the blocking states (Mechanisms.credit1KneeQueue; 0: off): the io
   * vCPUs' duty-weighted hold, µs, and the release rate that needs no io hold to end (the
   * sleepers' burst ends and the slice), per µs; kneeFull reads them with the held tails.
   */
  kneeHoldUs = 0;
  kneeBaseR = 0;
  /**
   * credit2's grant-end wait as the shortest of the queue's remaining grants (SchedulerCore
   * grantWait): grantCpus grants each uniform over the cap, with grantRate the exponential rate
   * the wake-driven core gives them in r[k]. Written by the core's hook on a credit2 host's
   * components and read only by the floor query.ts takes (tail.ts grantTailAt): neither saved
   * nor copied, and the what-if tail (waitTail) never reads them.
   */
  grantA = 0;
  grantCpus = 0;
  grantRate = 0;

  /**
   * save writes what copyFrom copies into `out` at `o` (SAVED doubles), load reads it back: a
   * host's cached components as doubles in its own array, not an object whose doubles are heap
   * numbers of their own (a dozen cold cache lines on a cold host), copied into a warm object.
   */
  save(out: number[], o: number): void {
    for (let k = 0; k < BINS; k++) {
      out[o + k] = this.a[k];
      out[o + BINS + k] = this.r[k];
      out[o + 2 * BINS + k] = this.eCap[k];
      out[o + 3 * BINS + k] = this.rOthers[k];
    }
    let i = o + 4 * BINS;
    out[i++] = this.capUs;
    out[i++] = this.rlA;
    out[i++] = this.rlUs;
    out[i++] = this.driftA;
    out[i++] = this.driftR;
    out[i++] = this.driftCapUs;
    out[i++] = this.driftECap;
    out[i++] = this.pFull;
    out[i++] = this.excess;
    out[i++] = this.keptCores;
    out[i++] = this.blockGivenFull;
    out[i++] = this.meanWaitUs;
    out[i++] = this.hogShare;
    out[i++] = this.nu;
    out[i++] = this.pNearFull;
    out[i++] = this.heavyBlock;
    out[i++] = this.sumA;
    out[i++] = this.sumAOverR;
    out[i++] = this.othersShare;
    out[i++] = this.capRatio;
    out[i++] = this.sleeperFloor;
    out[i++] = this.floorSleepUs;
    out[i++] = this.floorDemand;
    out[i++] = this.floorIdle;
    if (!(this.floorSleepUs > 0)) return;
    out[i++] = this.floorSumA;
    out[i++] = this.floorSumAOverR;
    out[i++] = this.floorBlockGivenFull;
    out[i++] = this.floorHeavyBlock;
    for (let k = 0; k < BINS; k++) out[i + k] = this.floorA[k];
  }

  load(src: readonly number[], o: number): void {
    for (let k = 0; k < BINS; k++) {
      this.a[k] = src[o + k];
      this.r[k] = src[o + BINS + k];
      this.eCap[k] = src[o + 2 * BINS + k];
      this.rOthers[k] = src[o + 3 * BINS + k];
    }
    let i = o + 4 * BINS;
    this.capUs = src[i++];
    this.rlA = src[i++];
    this.rlUs = src[i++];
    this.driftA = src[i++];
    this.driftR = src[i++];
    this.driftCapUs = src[i++];
    this.driftECap = src[i++];
    this.pFull = src[i++];
    this.excess = src[i++];
    this.keptCores = src[i++];
    this.blockGivenFull = src[i++];
    this.meanWaitUs = src[i++];
    this.hogShare = src[i++];
    this.nu = src[i++];
    this.pNearFull = src[i++];
    this.heavyBlock = src[i++];
    this.sumA = src[i++];
    this.sumAOverR = src[i++];
    this.othersShare = src[i++];
    this.capRatio = src[i++];
    this.sleeperFloor = src[i++];
    this.floorSleepUs = src[i++];
    this.floorDemand = src[i++];
    this.floorIdle = src[i++];
    if (!(this.floorSleepUs > 0)) return;
    this.floorSumA = src[i++];
    this.floorSumAOverR = src[i++];
    this.floorBlockGivenFull = src[i++];
    this.floorHeavyBlock = src[i++];
    for (let k = 0; k < BINS; k++) this.floorA[k] = src[i + k];
  }

  /** copyFrom makes this a copy of `o` (no allocation). */
  copyFrom(o: Components): void {
    // One loop of stores, not four TypedArray.set calls: on BINS doubles each, set's builtin entry
    // was 60% of this copy's time (a mixed victim's own components copy the query's per test).
    const a = this.a;
    const r = this.r;
    const eCap = this.eCap;
    const rOthers = this.rOthers;
    for (let k = 0; k < BINS; k++) {
      a[k] = o.a[k];
      r[k] = o.r[k];
      eCap[k] = o.eCap[k];
      rOthers[k] = o.rOthers[k];
    }
    this.capUs = o.capUs;
    this.capRatio = o.capRatio;
    this.sleeperFloor = o.sleeperFloor;
    this.floorSleepUs = o.floorSleepUs;
    this.floorDemand = o.floorDemand;
    this.floorIdle = o.floorIdle;
    if (o.floorSleepUs > 0) {
      for (let k = 0; k < BINS; k++) this.floorA[k] = o.floorA[k];
      this.floorSumA = o.floorSumA;
      this.floorSumAOverR = o.floorSumAOverR;
      this.floorBlockGivenFull = o.floorBlockGivenFull;
      this.floorHeavyBlock = o.floorHeavyBlock;
    }
    this.rlA = o.rlA;
    this.rlUs = o.rlUs;
    this.driftA = o.driftA;
    this.driftR = o.driftR;
    this.driftCapUs = o.driftCapUs;
    this.driftECap = o.driftECap;
    this.pFull = o.pFull;
    this.excess = o.excess;
    this.keptCores = o.keptCores;
    this.blockGivenFull = o.blockGivenFull;
    this.meanWaitUs = o.meanWaitUs;
    this.hogShare = o.hogShare;
    this.nu = o.nu;
    this.pNearFull = o.pNearFull;
    this.heavyBlock = o.heavyBlock;
    this.sumA = o.sumA;
    this.sumAOverR = o.sumAOverR;
    this.othersShare = o.othersShare;
    this.heldN = o.heldN;
    this.heldDue = o.heldDue;
    for (let j = 0; j < (o.heldDue ? Math.min(2, o.heldN) : o.heldN); j++) this.held[j] = o.held[j];
    this.heavyWakes = o.heavyWakes;
    this.heavyVcpus = o.heavyVcpus;
    this.sleepyVcpus = o.sleepyVcpus;
    this.sleepyDuty = o.sleepyDuty;
    this.kneeA = o.kneeA;
    this.kneeR = o.kneeR;
    this.fullHomeFull = o.fullHomeFull;
  }

  /**
   * clearWaits: no wait at all, only the victim's alone tail (a never-sleeping vCPU that keeps its
   * CPU: EEVDF's SchedulerCore.keepsCpu, CFS's keepsItsCpu). pFull and the block statistics stay:
   * the bound's margin and the report read them.
   */
  clearWaits(): void {
    this.a.fill(0);
    this.sumA = 0;
    this.sumAOverR = 0;
    this.rlA = 0;
    this.driftA = 0;
    this.lightA = 0;
  }

  /**
   * floorBase keeps the blocked bins and block shares as they are now (chance 1) for refloor
   * (host-mix.ts build, where the sleeper floor applies: floorSleepUs > 0).
   */
  floorBase(): void {
    this.floorA.set(this.a);
    this.floorSumA = this.sumA;
    this.floorSumAOverR = this.sumAOverR;
    this.floorBlockGivenFull = this.blockGivenFull;
    this.floorHeavyBlock = this.heavyBlock;
    this.sleeperFloor = 1;
  }

  /**
   * refloor: the blocked bins and block shares at sleeper-floor chance `f` (Mechanisms.cfsSleeperFloor),
   * from those kept at chance 1 (floorBase); nothing where the floor does not apply.
   */
  refloor(f: number): void {
    if (!(this.floorSleepUs > 0) || f === this.sleeperFloor) return;
    for (let k = 0; k < this.a.length; k++) this.a[k] = this.floorA[k] * f;
    this.sumA = this.floorSumA * f;
    this.sumAOverR = this.floorSumAOverR * f;
    this.blockGivenFull = this.floorBlockGivenFull * f;
    this.heavyBlock = this.floorHeavyBlock * f;
    this.sleeperFloor = f;
  }

  /**
   * unfloor: the components as without Mechanisms.cfsSleeperFloor (a mixed victim's own: its
   * waking vCPU is the one sleepy VM's), and no floor for the light part to put back.
   */
  unfloor(): void {
    this.refloor(1);
    this.floorSleepUs = 0;
  }

  /** recap sets the wait cap to `capUs` and the bins' chance of reaching it to match. */
  recap(capUs: number): void {
    this.capUs = capUs;
    this.capRatio = 1;
    for (let k = 0; k < this.a.length; k++) this.eCap[k] = this.a[k] > 0 ? Math.exp(-this.r[k] * capUs) : 0;
  }

  /**
   * rescale: the same waits with a different chance that all cores are held (a mixed victim's
   * own vCPU taken out): every blocking component scales with pFull; the release rates and block
   * shares of the runners are kept (one vCPU fewer barely moves them).
   *
   * `queue`: the victim's vCPU, preempted inside its own CPU burst, waits behind the runnable
   * vCPUs, not only behind the one runner on its core: the cap grows to (1 + excess) caps. On
   * credit1 5 ms calibration and tuning hosts the simulated p99.9 of such victims follows
   * slice x (1 + excess) (excess 0.6-2.3: 8-14 ms) where one cap said about 4 ms; io-only victims
   * of the same hosts stay at one cap.
   */
  rescale(pFull: number, pNearFull: number, meanN: number, cores: number, queue: boolean): void {
    const f = this.pFull > 0 ? pFull / this.pFull : 0;
    for (let k = 0; k < this.a.length; k++) this.a[k] *= f;
    this.rlA *= f;
    this.driftA *= f;
    this.sumA *= f;
    this.sumAOverR *= f;
    this.pFull = pFull;
    this.pNearFull = pNearFull;
    this.excess = Math.max(0, meanN - cores);
    if (!queue || this.excess === 0) return;
    this.capUs *= 1 + this.excess;
    for (let k = 0; k < this.a.length; k++) this.eCap[k] = this.a[k] > 0 ? Math.exp(-this.r[k] * this.capUs) : 0;
  }
}
