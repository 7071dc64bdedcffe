import type { SchedulerParams } from "../../model/scheduler.js";
import type { Components } from "./components.js";
import type { LightPart, MutablePart } from "./cpu-part.js";
import { cfsCore } from "./cfs.js";
import { credit1Core } from "./credit1.js";
import { credit2Core } from "./credit2.js";
import { eevdfCore } from "./eevdf.js";

/** CORE_NAMES: one mechanistic core per scheduler; the model file keys its fitted data by them. */
export const CORE_NAMES = ["credit1", "cfs", "credit2", "eevdf"] as const;
export type CoreName = (typeof CORE_NAMES)[number];

/**
 * SchedulerCore is one scheduler's rules reduced to what a waking latency-sensitive vCPU meets
 * when every core is held by a CPU-bound vCPU (the host-level chance of that is the Poisson-
 * binomial in occupancy.ts, common to all schedulers). It answers per runner: for how much of its
 * run time it cannot be preempted by the waker, how long the waker may then wait, and the small
 * waits a rate limit adds. One instance per host (scheduler parameters and core count fixed).
 *
 * Each scheduler has its own core (credit1.ts, cfs.ts, credit2.ts, eevdf.ts) and its own fitted
 * data: no scheduler is scored with another's model.
 */
/** SchedulerCore.noQueueLine: credit2's one-wait line where no CPU-bound vCPU is queued. */
export interface NoQueueLine {
  /** The one wait, µs (MIN_TIMER). */
  readonly waitUs: number;
  /** The grant-end tail past the one wait (tail.ts grantTailAt) under which the line holds. */
  readonly freshMax: number;
}

export interface SchedulerCore {
  readonly name: CoreName;
  /** Share of a CPU-bound vCPU's run time during which a waking victim cannot take its core. */
  blockShare(burstUs: number): number;
  /** Share of run time inside a fresh rate-limit window (the waker waits out the rest of it). */
  rateLimitShare(burstUs: number, hog: boolean): number;
  /** The rate limit, µs (0 when the scheduler has none). */
  readonly rateLimitUs: number;
  /**
   * Reschedules per µs that grant ends add to the release rate of a blocked waker, every core
   * held (0 where they free nobody), given `excess` mean runnable CPU-bound vCPUs over cores.
   */
  grantEndRate(excess: number): number;
  /**
   * The longest a blocked waker waits behind one runner, given the mean excess of runnable over
   * cores; `shared`: the cores the excess spreads over, where never-sleeping vCPUs keep some to
   * themselves (hogsKeep; the host's cores if absent).
   */
  waitCapUs(excess: number, shared?: number, weight?: number): number;
  /**
   * A sleepy CPU-bound VM's runner weighs its VM's shares over its runnable vCPUs (CFS,
   * Mechanisms.cfsRunnerWeight): the host's blocked waits take waitCapUs at the runners' power
   * mean weight over their blocks (host-mix.ts delta, weightedCapUs), a mixed victim of a sleepy
   * multi-vCPU VM the whole weight's (query.ts ownCap). Absent: every runner weighs a whole VM.
   */
  readonly runnerWeights?: boolean;
  /**
   * Never-sleeping vCPUs (duty 1) keep a CPU each where the CPU-bound demand leaves a core idle on
   * average, and everyone else shares the rest: a victim's waits and the correction's host
   * features are the smaller host's (CFS, Mechanisms.cfsHogsKeep; host-mix.ts heavyAfterFull,
   * build). Absent: every runner shares every core.
   */
  readonly hogsKeep?: boolean;
  /**
   * CFS (Mechanisms.cfsSleeperFloor): how far, µs of vruntime, a sleepy runner's CPU's
   * min_vruntime must move past it while it sleeps for it to come back on the sleeper-credit floor
   * (the credit less wakeup_gran), where an io waker sits: host-mix.ts floorInputs, floorChance.
   * Absent: every sleepy runner comes back on the floor (blockShare as it is).
   */
  readonly sleeperFloorUs?: number;
  /** Chance a light vCPU wakes without priority (credit1's exact-accounting drift to OVER), and its wait cap. */
  readonly driftShare: number;
  readonly driftCapUs: number;
  /** lightPart: how an io-only vCPU occupies a core under this scheduler (written into `out`). */
  lightPart(l: LightPart, out: MutablePart): MutablePart;
  /**
   * A mixed victim's vCPU preempted inside its own CPU burst queues behind the runnable vCPUs, so
   * its blocked waits last up to (1 + excess) wait caps (credit1, CFS, EEVDF); false where the
   * run queue is ordered so that it does not (credit2: it keeps more credit than the runners).
   */
  readonly ownBurstQueue: boolean;
  /**
   * A core that frees up runs a waiter queued on it before it looks at other cores' queues
   * (credit1: it steals only when its own head is OVER or it has none), so other sleepers that
   * wake behind unpreemptable runners take those runners' releases first (host-mix.ts).
   */
  readonly localWaiters: boolean;
  /**
   * ownBurstPreempt writes into a mixed victim's own components (after rescale: the others' P(all
   * held), release rate and hog share) the episodes in which a waker takes its vCPU's core inside
   * its own CPU burst (duty `duty`) and leaves it queued (credit2; absent elsewhere). For a victim
   * that never sleeps (duty 1) the query also gives the host's io-only vCPUs' wakes per µs and
   * mean hold, µs, and its never-sleeping CPU-bound vCPUs (the victim's included); 0 otherwise.
   * `lowest` (absent: 0): the victim's vCPUs when it outburns every other CPU-bound vCPU of the host
   * (HostMix.outburns; Mechanisms.credit2LowestCredit), else 0.
   */
  /**
   * lowestCreditRatio (credit2, Mechanisms.credit2LowestCredit, one run queue): a sleepy mixed
   * victim holds the least credit of its queue when every other CPU-bound vCPU's runnable share is
   * at most this fraction of its own (HostMix.outburns). Absent: never asked.
   */
  readonly lowestCreditRatio?: number;
  readonly ownBurstPreempt?: (c: Components, duty: number, lightWakesUs: number, lightHoldUs: number, hogVcpus: number, lowest?: number) => void;
  /**
   * queuedHog: a never-sleeping mixed victim on a single run queue whose CPU-bound vCPUs are one
   * more than its CPUs (chance `pOneWaiter`, the victim's vCPUs counted) waits queued for the
   * shortest of the runners' grants, armed with nobody else queued (credit2, Mechanisms.credit2QueuedHog;
   * credit2.ts queuedHogEpisodes): written into c.hogQ*, `wakesUs` the host's other vCPUs' wakes
   * per µs, which re-arm grants short. Absent: none.
   */
  readonly queuedHog?: (c: Components, pOneWaiter: number, wakesUs: number) => void;
  /** overWait: a mixed victim's OVER waits (credit1; absent elsewhere). */
  readonly overWait?: OverWait;
  /**
   * grantWait writes into a victim's components the grant-end shape of its blocked waits
   * (Components.grantCpus, grantRate: credit2, whose waker waits for the shortest remaining
   * grant; absent elsewhere).
   */
  readonly grantWait?: (c: Components, lightWakesUs: number) => void;
  /** grantMixedWakes: grantWait's wakes count the mixed VMs' request wakes too (HostMix.mixedWakesUs; Mechanisms.credit2MixedWakes). */
  readonly grantMixedWakes?: true;
  /** 1 when a light vCPU on the waker's own core blocks it (credit1: BOOST), 0 when not (a KVM poller). */
  readonly lightBlock: number;
  /**
   * Light vCPUs' serving and halt-polling time holds cores that the CPU-bound occupancy does not
   * count, and a serving one blocks a waker on its core (EEVDF: light-holds.ts); a light part's
   * `block` is then the serving share of its hold. Absent: the one-core-short light runner only.
   */
  readonly lightHolds?: boolean;
  /**
   * With light holds: busy light vCPUs other than the victim's count as waiters in the steal
   * discount of its blocked waits (CFS: light-holds.ts lightWaiterShare). Absent: CPU-bound only.
   */
  readonly lightWaiters?: boolean;
  /**
   * With light holds: when light vCPUs hold the cores the CPU-bound ones leave, a CPU-bound home
   * runner blocks the waker with its block share once the CPU-bound vCPUs are as many as the cores
   * (CFS, Mechanisms.cfsLightFullHome; light-holds.ts heavyHomeBlock). Absent: only a serving light
   * home runner blocks.
   */
  readonly lightFullHeavyHome?: boolean;
  /**
   * With light holds: the CPU-bound sleepers' post-burst halt-poll window, µs, counted as light
   * holds that serve nothing (CFS, Mechanisms.cfsSleeperPolls; light-holds.ts sleeperPollLoad).
   * Absent: only io-only vCPUs hold cores.
   */
  readonly sleeperPollUs?: number;
  /**
   * With light holds: an io waker on a host whose CPU-bound vCPUs are fewer than the cores, but
   * whose idle slack the halt-poll windows fill, finds no idle CPU and waits for a held core to go
   * idle, at the slack's rate (CFS, Mechanisms.cfsKneeSlack; light-holds.ts kneeNoIdle, kneeRate):
   * Components.kneeA / kneeR, a floor under the estimate (cfs.ts kneeEpisodes). Absent: none.
   */
  readonly kneeSlack?: boolean;
  /**
   * An io or sleepy mixed waker on a host whose CPU-bound vCPUs are at or below the cores finds
   * no idle core once busy io vCPUs fill the ones the CPU-bound leave, and waits behind a BOOST
   * home runner until a core frees up, at the slack's rate (credit1, Mechanisms.credit1Knee;
   * host-mix.ts holdKnee): Components.kneeA / kneeR, a floor under the estimate (query.ts knee).
   * The core's light part is left as it is (buildLight): only the tails are counted. Absent: none.
   */
  readonly holdKnee?: boolean;
  /**
   * A request of a sleepy mixed VM of several vCPUs goes to one without work and wakes it, so the
   * busy siblings it meets are the VM's whole busy count, not the other vCPUs' independent of the
   * waker (credit1, Mechanisms.credit1IdleSibling; host-mix.ts idleSibling). Absent: the waker's
   * vCPU alone taken out of the occupancy.
   */
  readonly idleSibling?: boolean;
  /**
   * credit1's OVER bursts of a sleepy mixed victim (Mechanisms.credit1OverBurst, credit1.ts
   * overBurstOf): writes its episodes into `ep` (ownPre*, its own capUs) from the victim's own
   * components `c` (pFull with its vCPU out, meanWaitUs), its duty and mean burst, the host's
   * CPU-bound vCPUs (the victim's in: they share the credit), and returns whether there are any.
   * Query takes them as a floor under the corrected estimate. Absent: none.
   */
  readonly overBurst?: (ep: Components, c: Components, duty: number, burstUs: number, vcpus: number, lambdaUs: number, cpuVcpus: number) => boolean;
  /**
   * A sleepy mixed neighbour of several vCPUs puts its requests on the vCPUs its bursts leave
   * idle, so the full-host chance counts its busy vCPUs as bursts plus requests on idle siblings,
   * not independent vCPUs of its runnable share (credit1 and credit2, Mechanisms.credit1SiblingIo
   * and credit2SiblingIo; HostMix fullWith, occupancy.ts siblingPmf). Absent: independent vCPUs.
   */
  readonly siblingIo?: boolean;
  /**
   * A busy io-only victim's vCPU time-shares its CPU with a runner by kvm-fair group weight while
   * every core is held, and its requests drain at that share (EEVDF: time-share.ts, a floor under
   * the estimate). Absent: only the wake-driven waits.
   */
  readonly timeShare?: boolean;
  /**
   * oneWaitUs: an io-only victim's p99.9 on a host whose P(all held) is under ONE_WAIT_P_FULL is at
   * most its alone p99.9 plus one wait of this length, or the core's own quantile if that says
   * more: the learned correction may lift the estimate up to there, not past it (EEVDF, 16 cores
   * and up, Mechanisms.eevdfOneWait; eevdf.ts). Absent: the corrected estimate as it is.
   */
  readonly oneWaitUs?: number;
  /**
   * oneWaitPFull: the P(all held) under which oneWaitUs holds (Infinity: on every host; EEVDF,
   * Mechanisms.eevdfOneWaitFull). Absent: ONE_WAIT_P_FULL (eevdf.ts).
   */
  readonly oneWaitPFull?: number;
  /**
   * repickWaitUs: the longest wait, µs, that sets an io-only victim's p99.9 on a host whose run
   * queue re-picks at its timers (credit2 on queues of more than REPICK_MIN_CPUS CPUs,
   * Mechanisms.credit2RepickCap; credit2.ts repickWaitUs), for a vCPU waking `lambdaUs` times per
   * µs: its p99.9 is at most the larger of its alone p99.9 and its service plus that wait, the
   * corrected estimate brought down to there, not raised (query.ts predict). Absent: none.
   */
  readonly repickWaitUs?: (lambdaUs: number) => number;
  /**
   * noQueueLine: on a host of one credit2 run queue whose CPU-bound vCPUs (the query's extra VM's
   * included) are no more than its CPUs, the longest wait that sets an io-only victim's p99.9
   * (`waitUs`, MIN_TIMER; Mechanisms.credit2NoQueueLine, credit2.ts noQueueLineOf) where the long
   * waits of every runner inside a fresh rate-limit window at once (the grant-end term's tail past
   * the one wait, tail.ts grantTailAt) are under `freshMax`: its p99.9 is then at most the larger of its alone p99.9
   * and its service plus that wait, the corrected estimate brought down to there, not raised
   * (query.ts predict); the grant-end floor still applies after it. Absent: none.
   */
  readonly noQueueLine?: NoQueueLine;
  /**
   * repickFloor: the waits of an io-only victim on a run queue that re-picks at its timers (credit2
   * on queues of more than REPICK_MIN_CPUS CPUs, Mechanisms.credit2RepickFloor; credit2.ts
   * repickFloorOf) that end at a re-pick, a share of them only at MIN_TIMER. `tail`: P(wait > y)
   * from the core's share of blocked wakes `pBlocked` (pFull x blockGivenFull) and the other vCPUs'
   * wakes per µs `wakesUs` (each wake and each block is a schedule() that may pick the waiter);
   * `waitUs`: the wait where that tail is `eps` (0 where it stays under, at most MIN_TIMER). query.ts
   * predict takes service + waitUs as a floor under the estimate. Absent: none.
   */
  readonly repickFloor?: RepickFloor;
  /**
   * busyBacklog: an io-only vCPU busy `rho` (its requests' utilisation, `lambdaUs` per µs on it,
   * service `serviceUs`) on a run queue whose CPUs are all held (chance `pFull`) and whose CPU-bound
   * vCPUs get `share` of a CPU each (HostMix.fairShare; NaN: the queue is not full on average)
   * loses its credit lead while it serves and is preempted in its backlog (credit2,
   * Mechanisms.credit2BusyBacklog; credit2.ts busyBacklogOf): writes into `out` the chance its
   * requests meet that (out[0]) and, where that is over `minChance`, the backlog's tail decay per
   * µs (out[1]; 0: it does not drain, or not asked), for backlogQuantileUs. A floor under the
   * corrected estimate. Absent: none.
   */
  readonly busyBacklog?: (pFull: number, share: number, lambdaUs: number, serviceUs: number, rho: number, minChance: number, out: Float64Array) => void;
  /**
   * fullHomePollUs: an io waker (or a sleepy mixed victim's waking vCPU) on a host whose light
   * holds (io vCPUs serving or halt-polling, and the CPU-bound sleepers' own halt-polls of up to
   * this many µs) fill the cores the CPU-bound runners leave finds no idle CPU, is queued behind a
   * fresh CPU-bound runner on its home CPU and waits until a held core frees and picks it among the queued threads (EEVDF,
   * Mechanisms.eevdfFullHome; host-mix.ts fullHome, light-holds.ts fullHomeWaits): kneeA /
   * kneeR, a floor under the estimate through `overfull` (eevdf.ts fullHomeEpisodes). Absent: none.
   */
  readonly fullHomePollUs?: number;
  /**
   * fullHomeBelowCount: with fullHomePollUs, the full-home waits only on hosts whose CPU-bound
   * vCPUs are fewer than the cores (where those vCPUs hold every core by themselves the core's
   * fitted full-host states count the waits behind a CPU-bound home runner), and only where the
   * knee (kneeSlack) found none: the knee is the same no-idle event counted on its own terms (CFS,
   * Mechanisms.cfsFullHome; host-mix.ts buildLightHolds). Absent: wherever the holds fill the cores.
   */
  readonly fullHomeBelowCount?: boolean;
  /**
   * serveRelease: a waker blocked behind a serving io vCPU is released by the rest of that serve
   * (and the chain of serves queued ahead where the io holds crowd the cores left), not by the end
   * of a hold of serve + halt-poll window (EEVDF, Mechanisms.eevdfServeRelease; host-mix.ts
   * serveRelease). Absent: the holds' turnover.
   */
  readonly serveRelease?: boolean;
  /**
   * serveReleaseFree: the fewest cores the CPU-bound vCPUs (by count) must leave for serveRelease
   * (CFS, Mechanisms.cfsServeRelease). Absent: host-mix.ts SERVE_RELEASE_FREE (2, EEVDF's).
   */
  readonly serveReleaseFree?: number;
  /**
   * pollPulls: a blocked waker's release by other CPUs' pulls is at the rate of the cores that go
   * idle, not of the runners that block: a KVM vCPU alone on its CPU halt-polls when it blocks, so
   * its CPU pulls nothing unless it sleeps past the window (CFS, Mechanisms.cfsPollPulls; query.ts
   * markPull, host-mix.ts pollPullShare). `pollUs` the window; only for a 1-vCPU io victim at
   * `minRho` of its vCPU or more, where every core is held at least `minFull` of the time. Absent:
   * every block of a sleepy runner releases a core.
   */
  readonly pollPulls?: { readonly pollUs: number; readonly minRho: number; readonly minFull: number };
  /**
   * keepsCpu: a mixed victim of `vcpus` vCPUs that never sleeps (runnable share 1) keeps its CPUs
   * to itself on a host whose CPU-bound VMs' Σ busyShare (time-share.ts; in VMs, the victim's
   * included) is `groupLoad` and whose never-sleeping CPU-bound vCPUs (the victim's included) are
   * `hogVcpus`, and whose sleepy CPU-bound VMs' Σ busyShare is `sleeperLoad`: it meets no wait,
   * its alone tail is its estimate (EEVDF, Mechanisms.eevdfWholeWeight for one vCPU,
   * Mechanisms.eevdfKeepsMulti for more; eevdf.ts). `sleeperDemand`: the sleepy CPU-bound vCPUs'
   * Σ duty (their mean runnable count; Mechanisms.eevdfKeepsDemand). `vms`: the VMs on the host
   * (the victim's included, each a group entity of at most its shares on a CPU;
   * Mechanisms.eevdfNeverPulled). `overflowPerSplit`: the sleepy CPU-bound vCPUs' mean count past
   * the cores the never-sleeping ones leave, E[(N - cores)+], per never-sleeping vCPU of a VM of
   * several (Mechanisms.eevdfKeepsOverflow; NaN where the caller did not compute it). Absent, or
   * false: the wake-driven components, as for any mixed victim.
   */
  readonly keepsCpu?: (groupLoad: number, hogVcpus: number, vcpus: number, sleeperLoad: number, sleeperDemand: number, vms: number, overflowPerSplit: number) => boolean;
  /**
   * keepsOverflow: keepsCpu reads its `overflowPerSplit` (EEVDF, Mechanisms.eevdfKeepsOverflow);
   * absent, the caller passes NaN and need not compute it.
   */
  readonly keepsOverflow?: boolean;
  /**
   * splitOwnWeight: a sleepy mixed victim of v >= 2 vCPUs, its vCPU preempted inside its burst
   * while a request waits on it (every sibling busy, else the request went to the idle one), weighs
   * 1 / v of its VM against whole-weight sleepers beside it, so its own-burst queue waits (the
   * (1 + excess) caps of Components.rescale) last up to v times as long where the never-sleeping
   * vCPUs leave it no core of the sleepers' own: query.ts splitOwn, ownSplitFactor below (EEVDF,
   * Mechanisms.eevdfSplitWeight). Absent: the whole-weight caps.
   */
  readonly splitOwnWeight?: boolean;
  /**
   * overfull writes into `ep` the episodes in which an io-only victim of `vcpus` vCPUs (own light
   * duty per vCPU `u0`, `lambdaUs` requests per µs) wakes unable to preempt the hog on its CPU,
   * every core held (read from the victim's components `c`): a floor under the estimate (CFS:
   * cfs.ts overfullEpisodes; absent elsewhere). `rho`: an io victim's utilisation of one vCPU by
   * its requests (VictimTail.rho; NaN where not an io victim's: CFS's split-weight waits read it).
   * False: none.
   */
  readonly overfull?: (ep: Components, c: Components, vcpus: number, lambdaUs: number, u0: number, rho: number) => boolean;
  /** Why this host's scheduler is only approximated by this core (empty when modelled). */
  readonly approximations: readonly string[];
}

/**
 * Mechanisms can be switched off one by one, for the test that shows each one matters (the
 * accuracy goals fail without it). Production always runs ALL_MECHANISMS.
 */
export interface Mechanisms {
  /** Occupancy as a Poisson-binomial over each neighbour's duty (false: a binomial at the mean duty). */
  readonly poissonBinomial: boolean;
  /** Runners block the waker only for part of their run (credit1: until a tick un-boosts; CFS: while fresh). */
  readonly partialBlock: boolean;
  /** Other cores that free up steal or pull the blocked waker (false: only its own core's runner frees it). */
  readonly steals: boolean;
  /** Requests arriving during a blocked wake queue behind it (false: only the waking request waits). */
  readonly victimLoad: boolean;
  /** Light vCPUs (other victims, KVM halt-polling) take the last core now and then. */
  readonly lightRunners: boolean;
  /** A mixed victim preempted inside its own burst waits behind the queue (false: one wait cap, as an io-only victim). */
  readonly ownBurstQueue: boolean;
  /**
   * credit2: a waker that tickled nobody (every runner inside its rate limit or not out-credited)
   * waits for the queue's next schedule(), a runner blocking or a grant ending (false: the rest of
   * the rate-limit window, model-v5's credit2 core).
   */
  readonly grantEnds: boolean;
  /**
   * credit1: a blocking runner's release goes to a waiter queued on its own core first, and a
   * steal takes one of several waiters (false: every release is the victim's, model-v6's core).
   */
  readonly localWaiters: boolean;
  /**
   * EEVDF: the runner a waker finds on its home CPU, every CPU held, took that CPU after the
   * waker left it, so it is inside the slice it was picked with (false: a runner's time-average
   * share inside its first slice, model-v7's EEVDF core).
   */
  readonly homeFresh: boolean;
  /**
   * credit2: a mixed victim's vCPU running its own CPU burst is the runner a waking sleeper
   * preempts, and waits queued below the others' credit until one of them blocks (false: only
   * its wakes meet the host, model-v8's credit2 core).
   */
  readonly ownBurstPreempt: boolean;
  /**
   * EEVDF: busy light vCPUs (serving or halt-polling) fill the cores the CPU-bound ones leave, any
   * number short, and one serving on the waker's home CPU blocks it (false: a light vCPU only
   * takes the last core and never blocks, model-v8's EEVDF core).
   */
  readonly lightHolds: boolean;
  /**
   * credit2: a blocked waker waits for the shortest of the queue's remaining grants, each armed
   * with nobody queued and so uniform up to MAX_TIMER, not an exponential: a floor under the
   * estimate (false: the core's exponential alone, model-v8's credit2 core).
   */
  readonly grantShape: boolean;
  /**
   * CFS: light holds as EEVDF's (light-holds.ts; a light vCPU serving is inside wakeup_gran of its
   * wake-up): on packed hosts, many io victims fill the cores the CPU-bound vCPUs leave (false:
   * the one-short light runner, model-v9's CFS core).
   */
  readonly cfsLightHolds: boolean;
  /**
   * credit1: a mixed victim whose bursts and requests want its whole vCPU is OVER on a full host,
   * never boosted, and descheduled whenever a sleeper wakes UNDER on its core or its slice ends
   * with others queued; requests wait out the rest (credit1.ts overWaitOf; false: model-v10's
   * credit1 core, whose mixed victims meet the host only when they wake).
   */
  readonly credit1OverWait: boolean;
  /**
   * CFS: busy light vCPUs other than the victim's are waiters for a core that frees up, as the
   * CPU-bound excess is (false: only the CPU-bound excess discounts steals, model-v11's CFS core).
   */
  readonly cfsLightWaiters: boolean;
  /**
   * EEVDF: a busy io-only victim whose CPU-bound neighbours hold every core shares its CPU with a
   * runner by kvm-fair group weight, and its requests queue at that share of a core (time-share.ts;
   * false: model-v13's EEVDF core, whose io victims meet the host only when they wake).
   */
  readonly eevdfTimeShare: boolean;
  /**
   * CFS: an io victim of several vCPUs, every core held by a CPU-bound one, wakes with a group
   * entity too light to preempt any runner once enough of its vCPUs are runnable (cfs.ts
   * overfullEpisodes; false: model-v13's core, blind there). Alone it moved the 10,000-VM plan's
   * search onto the mixed victims' blind spot (660 hosts, 6 / 0 breaches against 636, 0 / 0,
   * sixteenth round); with cfsSaturated (model-v14) the plan is 638 hosts, cost 900.0, 0 / 0 at
   * the generator's seed 11 and 732, 941.6, 5 / 0 at seed 12 (docs/accuracy.md, seventeenth round).
   */
  readonly cfsOverfull: boolean;
  /**
   * CFS: a saturated mixed victim's vCPU (runnable all the time) shares its CPU once the others
   * hold every core, and each time its slice ends it waits out its co-runners' slices, longer the
   * lighter its group entity (cfs.ts saturatedWaitOf; false: model-v13's core, which predicts its
   * alone latency there).
   */
  readonly cfsSaturated: boolean;
  /**
   * CFS (docs/accuracy.md, "CFS's contended p90, the fix (session 16)"): an io waker that finds
   * every core non-idle, some held by light vCPUs serving or halt-polling, is queued behind its
   * home CPU's CPU-bound runner (a fresh sleeper within wakeup_gran) until a held core goes idle
   * and newidle balance pulls it; only once the CPU-bound vCPUs are as many as the cores (fewer,
   * each keeps a CPU of its own and the light vCPUs share the rest).
   */
  readonly cfsLightFullHome: boolean;
  /**
   * CFS: the CPU-bound sleepers' halt-poll windows after each burst hold cores as light holds do
   * (serving nothing): the light-full state fills with them too (same section).
   */
  readonly cfsSleeperPolls: boolean;
  /**
   * CFS (docs/accuracy.md, "The knee term (session 16)"): with fewer CPU-bound vCPUs than cores, a
   * host whose CPU-bound demand and io service leave a slack that the halt-poll windows fill (polls
   * >= slack: past the knee) has no idle CPU for an io waker; it waits until a held core goes idle,
   * which comes at the slack's Erlang-C rate (slack / light hold), not at the light holds' own: a
   * floor outside the fit, for io victims of 2+ vCPUs (query.ts asks the hook only for those).
   * Off, every open round's accuracy is model-v15's byte for byte; on, holdout-13's packed-32 CFS
   * p90 0.976 -> 0.827 and its unsafe miss gone, every other open round unchanged.
   */
  readonly cfsKneeSlack: boolean;
  /**
   * CFS (docs/accuracy.md, "Packed hosts on holdout-14 (session 17)"): on a host whose CPU-bound
   * demand is more than its cores, a sleepy mixed victim's vCPU is stretched (it gets a fair part
   * of a core, less than its duty), so it is runnable much of the time and a request often finds
   * it, and every sibling, with work: the request waits while its vCPU sits descheduled behind its
   * CPU's other runners, a rotation no neighbour's burst end shortens (cfs.ts runnableWaits; a
   * floor outside the fit, as the saturated waits). Off, every open round's accuracy is
   * model-v15's byte for byte; on, holdout-14's packed CFS p90 0.828 -> 0.677 and 3 -> 1 unsafe
   * misses, holdout-12's packed-32 CFS p90 0.515 -> 0.323, every contended figure unchanged.
   */
  readonly cfsRunnableWaits: boolean;
  /**
   * credit1 (docs/accuracy.md, "A smooth knee (session 18)"): a BOOST waker on a host with no
   * idle pCPU queues on its home pCPU behind a BOOST runner (__runq_tickle preempts only a lower
   * priority, and tickles an idle pCPU only if one exists); with the CPU-bound vCPUs j cores short
   * of the count, the host has no idle pCPU once j io vCPUs are busy, and the waker waits until a
   * core frees up (a steal), at the slack's rate (host-mix.ts holdKnee; a floor outside the fit).
   * Off: the core counts io vCPUs only in the one-core-short state, and its estimate drops to the
   * victim alone one core past the count.
   */
  readonly credit1Knee: boolean;
  /**
   * credit1 (docs/accuracy.md, "The knee's release where the waits are (session 20)"): the knee's
   * waker is released at the rate of the states that block it, not at the host's mean slack: no
   * pCPU idles only when the CPU-bound vCPUs runnable leave j cores and j io vCPUs serve there,
   * so the waiters share those j cores as an Erlang-C queue does, at (j - io load) / hold, j
   * averaged over the blocking states (host-mix.ts kneeFull); with the io service fixed (a
   * waiter with nobody queued waits a holder's residual, half a hold) the rate is up to twice
   * that as the io load falls, hold is the duty-weighted io service (a waiter meets a holder in
   * proportion to its busy time), and a CPU-bound sleeper's burst end frees a core too. Off: the
   * mean slack's rate (kneeRate), which runs fast where the slack is the sleepers' idle time.
   */
  readonly credit1KneeQueue: boolean;
  /**
   * credit1 (docs/accuracy.md, "credit1's open-round misses" and "credit1's idle sibling, shipped
   * (session 21)"): a sleepy mixed victim's request wakes an idle sibling (sim/workloads/io.ts
   * chooseVcpu), so at its wake the busy siblings are the VM's whole busy count short of all:
   * P(every core held) = (1 - d) F + d N - d^n R, plus d^n F for the requests that find every
   * vCPU busy (host-mix.ts idleSibling). Off: the waker's vCPU alone out of the occupancy,
   * 1.7-5.8x under the simulator's chance at arrivals on the hosts traced.
   */
  readonly credit1IdleSibling: boolean;
  /**
   * credit1 (docs/accuracy.md, "credit1's OVER bursts (session 22)"): a sleepy mixed victim's
   * burst that outruns the credit it can bank (a slice's, above which it is deactivated) runs on
   * OVER, and on a host with every other core held an UNDER or BOOST vCPU or its slice's end takes
   * its pCPU; it waits for a core no UNDER vCPU wants, and its requests (served ahead of the burst
   * once it runs) wait the rest (credit1.ts overBurstOf: a floor under the corrected estimate).
   * Off: no term holds an OVER victim below SATURATED (credit1OverWait).
   */
  readonly credit1OverBurst: boolean;
  /**
   * credit1 (docs/accuracy.md, "credit1: a mixed neighbour's io on its idle siblings (session
   * 22)"): a sleepy mixed neighbour of n >= 2 vCPUs at runnable share d holding io load rho
   * (cores) is busy on M = K + min(J, n - K) vCPUs, K ~ Binomial(n, d - rho / n) its bursts and J ~
   * Poisson(rho) its requests in service, each on a vCPU without work (sim/workloads/io.ts
   * chooseVcpu), in the full-host chance of every victim asked with nothing excluded (io-only
   * victims, newcomers). Off: Binomial(n, d); on holdout-25's packed/10141/3 P(all 8 of vm-0
   * busy) 0.0081 against 0.021-0.023 simulated (0.0216 with the term).
   */
  readonly credit1SiblingIo: boolean;
  /**
   * credit2 (docs/accuracy.md, "credit2: the same count of a mixed neighbour (session 22)"):
   * credit1SiblingIo's busy count of a sleepy mixed neighbour in the full-host chance, on credit2
   * hosts (the count is the guest's choice of vCPU, the same on every scheduler's simulator).
   */
  readonly credit2SiblingIo: boolean;
  /**
   * credit2 (on since session 18; docs/accuracy.md "credit2's contended p90 on holdout-16" and
   * "holdout-17 measured"):
   * with runners queued (excess > 0) a mixed victim's preempted-burst episode lasts at most
   * EPISODE_CAP_RATELIMITS rate limits (the preemptor's pCPU looks again when its rate limit
   * ends, the others every MIN_TIMER), not MAX_TIMER. Off: model-v15's episodes.
   */
  readonly credit2TimerCap: boolean;
  /**
   * CFS (docs/accuracy.md, "Packed CFS on holdout-17 (session 19)"): a mixed victim that never
   * sleeps (duty 1), on a host where the saturated waits find it no co-runner (its own group weight
   * at least the CPUs' mean load, or a core left idle), keeps its CPU to itself: nobody wakes onto
   * or is balanced onto it, and its requests meet no wait of the host (cfs.ts keepsItsCpu). Off:
   * the wake waits of a waker meeting every core held, which a vCPU that never wakes does not meet.
   */
  readonly cfsSaturatedKeeps: boolean;
  /**
   * CFS (docs/accuracy.md, "CFS hosts split by keeping hogs (session 19)"): where the host's
   * CPU-bound vCPUs can fill its cores but their mean demand leaves one idle, each never-sleeping
   * vCPU keeps a CPU to itself (nobody wakes onto it: a waker goes to an idle CPU or its previous
   * one; a sleeper the balancer puts there leaves at its next wake-up), and the sleepy and io vCPUs
   * share the other cores: every victim's waits and host features are computed on that smaller
   * host (host-mix.ts heavyAfterFull, build). Below the count the hogs keep theirs as well, but
   * nobody shares a core by CPU-bound work and the split moved only the correction's host size,
   * under the simulator (holdout-13's 10029/0): not applied. Off: the hogs are runners like the
   * others, on every core.
   */
  readonly cfsHogsKeep: boolean;
  /**
   * CFS (docs/accuracy.md, "Runnable waits where io fills the last core (session 20)"): the runnable
   * waits of a sleepy mixed victim where the other CPU-bound vCPUs never hold every core (pFull 0)
   * but the io load makes the host's demand more than its cores: the victim's vCPU waits behind
   * io wakers and queued sleepers, released as the io holds drain (cfs.ts lightRunnableWaits).
   * Off: no runnable waits there, the wake-driven core's estimate, flat through the over-fill.
   */
  readonly cfsLightRunnable: boolean;
  /**
   * CFS (docs/accuracy.md, "cfsSaturatedKeeps' edge in the plan (session 20)"): cfsSaturatedKeeps
   * only where the victim's CPU is under the others' mean load by a margin growing with P(all
   * held) (cfs.ts withinMargin); near m = 0 on a host the others fill, the simulator is bistable
   * and the victim keeps the query's waits. Off: every no-co-runner victim keeps its CPU.
   */
  readonly cfsKeepsMargin: boolean;
  /**
   * CFS (docs/accuracy.md, "A 2-vCPU mixed victim's runnable waits on holdout-20 (session 20)"):
   * cfsRunnableWaits with the victim's vCPU at its group weight (1 / vcpus of its VM's shares with
   * every sibling runnable) against co-runners of the others' mean weight: it runs that share of
   * its CPU while it shares, and waits the co-runners' weighted part of the period (cfs.ts
   * runnableWaits). Off: the host's mean over-fill and an equal-weight slice.
   */
  readonly cfsRunnableWeights: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Packed EEVDF and the unsafe misses on holdout-17 (session 19)"): a
   * never-sleeping mixed victim of one vCPU is a group entity of its VM's whole weight, the most
   * any entity weighs (a VM's shares split over its runnable vCPUs), and is never a waker; with
   * the host's CPUs carrying well under one VM's weight on average and cores left over by the
   * never-sleeping vCPUs, nothing is balanced onto its CPU or preempts it there, and its requests
   * (served inside its running burst) meet no wait (eevdf.ts keepsCpu). Off: the wake-driven
   * components, up to 7.6x its alone p99.9 on the open rounds' packed hosts where the simulator
   * shows 0.93-1.02x.
   */
  readonly eevdfWholeWeight: boolean;
  /**
   * credit2 (docs/accuracy.md, "Packed EEVDF and the unsafe misses on holdout-17 (session 19)"):
   * a never-sleeping mixed victim burns credit all the time, so it is the runner of least credit
   * that runq_tickle preempts when a waker finds no idle pCPU, io-only wakers too; it waits while
   * the waker serves (credit2.ts hogLightEpisodes). Off: only the CPU-bound sleepers' wakes.
   */
  readonly credit2HogPreempt: boolean;
  /**
   * EEVDF (docs/accuracy.md, "The packed unsafe misses on holdout-18 (session 19)"): a
   * never-sleeping mixed victim of n >= 2 vCPUs is n entities of 1 / n its VM's weight, the
   * lightest on the host; where the CPU-bound vCPUs want more than the cores, a co-runner of
   * weight w on its CPU runs slice x w x n (or to its burst's end) each time the victim's vCPU has
   * run a slice, and its requests wait that out (eevdf.ts lightEntityWaitOf). Off: the wake-driven
   * components, 0.26x the simulator on holdout-18's packed/10075/0.
   */
  readonly eevdfLightEntity: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Packed EEVDF's over-predicted tail (session 19)"): on 16 cores and
   * up, with P(all held) under ONE_WAIT_P_FULL, a waking io-only vCPU waits at most once, for the
   * rest of a runner's protected slice plus a tick (RUN_TO_PARITY), before it runs: its p99.9 is
   * at most its alone p99.9 plus slice + tick (eevdf.ts oneWaitUs; query.ts oneWait). Off: the
   * learned correction, fitted on hosts of 4-16 cores where the simulator crosses that line,
   * puts such victims on the packed 16-32 core hosts at 1.2-2.7x the simulator.
   */
  readonly eevdfOneWait: boolean;
  /**
   * credit2 (docs/accuracy.md, "credit2's contended p90: waits end at the re-pick timers (session
   * 20)"): on a run queue of more than REPICK_MIN_CPUS CPUs, a waking io-only vCPU that tickles
   * nobody waits for a pCPU's timer, armed at MIN_TIMER on a re-pick and at the rate limit on a
   * fresh pick (its own pCPU's, picked when the vCPU last blocked, is fresh while it wakes again
   * within the rate limit); its p99.9 is at most max(alone p99.9, service + repickWaitUs) (credit2.ts
   * repickWaitUs; query.ts predict). Off: the correction's figure, fitted for every credit2 host
   * at once, which puts the 6-core hosts' io victims at 1.5-2x the simulator.
   */
  readonly credit2RepickCap: boolean;
  /**
   * credit2 (docs/accuracy.md, "credit2's queued hog: grants armed with nobody queued (session
   * 20)"): on a single run queue whose CPU-bound vCPUs are one more than its CPUs, each switch
   * picks the one waiter and arms the new runner's grant before the preempted vCPU is queued
   * again (csched2_schedule, then context_saved), so the grant is the runner's whole credit, up
   * to MAX_TIMER; a never-sleeping mixed victim's vCPU, queued in its turn, waits for the
   * shortest of the runners' grants, and its requests with it (credit2.ts queuedHogEpisodes).
   * Off: the own-burst episodes alone, 0.33x the simulator on holdout-20's packed/10099/7 vm-0.
   */
  readonly credit2QueuedHog: boolean;
  /**
   * credit2 (docs/accuracy.md, "credit2's contended p90: the waits that last MIN_TIMER (session
   * 21)"): on a run queue of more than REPICK_MIN_CPUS CPUs, the wakes of an io-only vCPU that
   * tickle nobody wait for a re-pick, and a share of them for a whole MIN_TIMER (a pCPU that kept
   * its runner at the end of its rate limit re-arms at MIN_TIMER); once those pass the 0.1% of
   * wakes the p99.9 is service + MIN_TIMER, whatever the correction says (credit2.ts
   * repickFloorOf; query.ts predict, a floor under the estimate). Other vCPUs' wakes and blocks
   * end the waits sooner (packed hosts: waits under 0.4 ms, ended by blocks). Off: the
   * correction's figure from the core's exponential wait, 0.4-0.6x the simulator on the busy
   * 12-16 core contended hosts.
   */
  readonly credit2RepickFloor: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Packed EEVDF io victims below the count (session 20)"): where the
   * CPU-bound vCPUs and the io vCPUs' holds together can fill the cores, an io waker often finds
   * no idle CPU (halt-polling CPUs are not idle) though P(all held by CPU-bound vCPUs) is about 0;
   * queued behind a fresh CPU-bound runner on its home CPU it waits until a held core frees and
   * picks it among the queued threads (eevdf.ts fullHomeEpisodes, host-mix.ts fullHome). Off: the
   * light holds' waits end with the first light hold, and the packed 16-core hosts' io victims
   * come out at 0.2-0.5x the simulator. A sleepy mixed victim's request that wakes one of its
   * vCPUs meets the same waits (query.ts splitEpisodes).
   */
  readonly eevdfFullHome: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Never-sleeping multi-vCPU EEVDF victims keep their CPUs (session
   * 20)"): keepsCpu for a never-sleeping mixed victim of more than one vCPU, where the host's
   * never-sleeping vCPUs leave at least KEEPS_MULTI_FREE cores and the sleepy CPU-bound VMs'
   * group load on those cores is under WHOLE_WEIGHT_LOAD per core (eevdf.ts). Each of its vCPUs
   * always has work, is never a waker and so is never placed; a waker finds an idle CPU among
   * the free ones and the balancer's rare visitor leaves at its next wake: requests are served
   * inside the running burst. Off: the wake-driven components, 4.7-5.0 ms on holdout-21's
   * packed-32/10103/0 where the simulator shows the alone 64 and 290 µs.
   */
  readonly eevdfKeepsMulti: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Packed EEVDF: one wait on full hosts too (session 21)"): the one-wait
   * line (Mechanisms.eevdfOneWait) on hosts of ONE_WAIT_CORES and up whatever their P(all held).
   * On a full host the io waker still has positive lag, so it is eligible with the nearest
   * deadline on the CPU it is queued on: it waits for the rest of that CPU's runner's protected
   * slice, noticed at a tick, and then runs; the CPU-bound runners queued beside it ran past
   * their slices (later deadlines) and do not go first. A busy io victim, whose own requests
   * make it a runner among runners, keeps the time-share floor (applied after the line). Off:
   * the correction's lift past the line, 1.5-1.8x slice + tick over alone on the packed 16- and
   * 32-core hosts, where the simulator's io victims wait at most about one slice + tick.
   */
  readonly eevdfOneWaitFull: boolean;
  /**
   * CFS (docs/accuracy.md, "Packed CFS io victims where the light holds fill the host (session
   * 21)"): eevdfFullHome's waits on CFS hosts whose CPU-bound vCPUs are fewer than the cores: an io
   * waker (or a sleepy mixed victim's waking vCPU) that finds no idle CPU, the light holds and the
   * sleepers' polls filling what the CPU-bound vCPUs leave, queues on its home CPU behind a CPU-bound
   * sleeper still inside wakeup_gran of its own wake-up and waits until a held core frees and picks
   * it, a floor under the estimate as the knee's (cfs.ts kneeEpisodes), and with it the knee's floor
   * for 1-vCPU io victims too (query.ts overfull asked CFS's hook of 2+ vCPUs only, for the
   * over-full term's siblings). Off: the light holds' waits only through the core and its
   * correction, which takes them down by e^-1.2 on 8-core hosts: 0.35-0.6x the simulator on the
   * open rounds' packed 8- and 16-core hosts whose sleepers and io leave no idle CPU.
   */
  readonly cfsFullHome: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Packed EEVDF: the light holds' release from the rest of a serve
   * (session 21)"): on hosts whose CPU-bound vCPUs leave at least two cores, an io waker blocked
   * behind a serving io vCPU on its home CPU is the only thread queued there: at the serve's end
   * the server does not halt-poll (it is not alone on its queue), it blocks and the waker runs. The
   * release is the rest of the serve, over (1 - the io holds' load on the cores left) for the
   * chains of serves a waker meets where they crowd them (host-mix.ts serveRelease). Not for an io
   * victim serving under 5% of a vCPU where the holds load the cores left under 0.25: its home CPU
   * is a CPU-bound runner's when it waits (contended hosts, traced). Off: the release of an
   * exponential hold of serve + poll window, 300-500 µs over alone on holdout-22's packed 8- and
   * 16-core hosts where the simulator shows 0-200.
   */
  readonly eevdfServeRelease: boolean;
  /**
   * CFS (docs/accuracy.md, "A busy io VM's split weight where the light holds fill a CFS host
   * (session 21)"): a busy multi-vCPU io victim (3+ vCPUs, each serving at least SPLIT_WAKE_RHO of
   * a vCPU) on a host where cfsFullHome finds the light holds and the sleepers' polls filling the
   * cores the CPU-bound vCPUs leave: with two or more of its siblings runnable its group entity
   * on the waker's CPU weighs 1/3 or less, wakeup_gran in its units exceeds the sleeper credit, and
   * it preempts no home runner at all, fresh or not. It waits for that runner's slice to end or
   * for a freed core to pull it (cfs.ts splitWakeEpisodes, the over-full episodes' form with the
   * full-home no-idle chance in place of the hogs' full host). Off: those wakes wait only as any
   * waker does behind a fresh CPU-bound runner: 0.28-0.29x the simulator on holdout-23's
   * packed/10124/1 (8 cores, two 4-vCPU io VMs at 0.1 of a vCPU each).
   */
  readonly cfsSplitWake: boolean;
  /**
   * CFS (docs/accuracy.md, "Packed CFS: waits at the cap behind light runners (session 22)"): a
   * runner of a sleepy n-vCPU VM at duty d weighs its VM's shares over the VM's runnable vCPUs
   * (kvm-fair groupShares), on average w = (1 - (1 - d)^n) / (n d) of a VM (time-share.ts
   * runnerWeight's per-VM term). Its group entity's vruntime runs 1 / w as fast as a whole VM's,
   * so check_preempt_tick ends a blocked wait once the runner's lead passes its slice, period x w /
   * (w + nr - 1), after w x (slice - gran / 2) of real time, but not before the rest of min_gran of
   * its run: cfs.ts waitCapUs at weight w. The p99.9 is the longest waits', behind the heaviest
   * runners that hold a material share of the blocks, so the host's cap is at the runners' power
   * mean weight (host-mix.ts TAIL_POWER; session 22's "Packed CFS's wait cap at the runners' tail
   * weight": the block-weighted mean took 4- to 6-core hosts whose waits sit behind one 1-vCPU
   * sleeper under by 0.5-0.9 in ln). A mixed victim of a sleepy multi-vCPU VM keeps the
   * whole-weight cap (query.ts ownCap): its own waking vCPU is as light as the runners. The
   * correction's cap feature keeps the whole-weight cap it was fitted on (Components.capRatio):
   * read at the light cap, it raised 1,424 of the open rounds' CFS estimates a little and made the
   * 10,000-VM plan 0.4% dearer. The block share stays the whole VM's (weighed too, it took more
   * victims under than over: the docs).
   * Off: every runner weighs a whole VM, and the blocked waits of an io waker behind 4- to 8-vCPU
   * sleepers reach the cap, 9-10 ms, where the simulator's end by 2-5 ms.
   */
  readonly cfsRunnerWeight: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Packed EEVDF: a never-sleeping multi-vCPU victim where the sleepers
   * want more than the cores left (session 23)"): eevdfKeepsMulti's keepsCpu also needs the sleepy
   * CPU-bound vCPUs' mean runnable count (Σ vCPUs x duty) to be at most the cores the
   * never-sleeping vCPUs leave (eevdf.ts KEEPS_DEMAND_FREE). Its group-load test counts a sleepy VM
   * once, whatever its vCPUs; with multi-vCPU sleepers at high duty they queue among themselves on
   * those cores, and the balancer moves the queued one to the lightest CPU, a split entity of the
   * victim's. Off: holdout-27's packed/10163/0 vm-2 (15.2 sleepy vCPUs' demand on 12 cores left)
   * is estimated at its alone 218 µs where the simulator has 4.6 ms (unsafe).
   */
  readonly eevdfKeepsDemand: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Packed EEVDF: a multi-vCPU victim no balancer pulls onto (session
   * 23)"): a never-sleeping victim of v vCPUs keeps its CPUs, whatever the cores left and the
   * sleepers' demand, where the host's VMs times v are at most its cores (eevdf.ts
   * NEVER_PULLED_FREE): each of its CPUs carries 1 / v of a VM and the host's mean load per CPU
   * can never exceed that, so kvm-fair's busy balancer (findLoadImbalance: local >= avg) never
   * pulls onto them, and a waker only leaves its previous CPU for an idle one. Off: holdout-29's
   * packed/10182/1 vm-2 (4 VMs, 2 vCPUs, 8 cores, 2 left) is estimated at 14.1 ms where the
   * simulator has 274 µs (its alone tail).
   */
  readonly eevdfNeverPulled: boolean;
  /**
   * EEVDF (docs/accuracy.md, "EEVDF: a sleepy multi-vCPU victim's preempted burst at its split
   * weight (session 24)"): a request waits behind a mixed victim's vCPU preempted inside its burst
   * only while every other vCPU of the VM is busy too (sim/workloads/io.ts chooseVcpu), so that vCPU
   * is then one of v runnable: its group entity weighs 1 / v of the VM (kvm-fair groupWeight), or
   * it shares one whole entity with its stacked siblings, and a whole-weight sleeper beside it runs
   * v slices for each of its own. Where the never-sleeping vCPUs keep their cores and leave at most
   * v (a pigeonhole: the victim's busy vCPUs fill them, so every runnable sleeper queues beside
   * one of them), the own-burst queue's cap grows by 1 + (v - 1) x the other sleepers' demand per
   * core left (capped at 1): the chance a sleeper is there (eevdf.ts ownSplitFactor). Off:
   * holdout-30's contended-eevdf/10192/4 victim-0 (4 cores, 2 hogs, a 2-vCPU victim) is
   * estimated at 4.3 ms where the simulator has 11.7 ms, an unsafe miss at the 10 ms level.
   */
  readonly eevdfSplitWeight: boolean;
  /**
   * EEVDF (docs/accuracy.md, "Packed EEVDF: a kept multi-vCPU victim visited by the sleepers'
   * overflow (session 25)"): eevdfKeepsMulti's keepsCpu also needs the sleepy CPU-bound vCPUs'
   * overflow past the cores the never-sleeping vCPUs leave, E[(N - cores)+] over the
   * Poisson-binomial occupancy, to be at most KEEPS_OVERFLOW_PER_SPLIT per never-sleeping vCPU of
   * a multi-vCPU VM (eevdf.ts). A queued sleeper is what kvm-fair's busy balancer moves, and it moves
   * it onto a CPU under the host's mean load: the split hog entities' CPUs (1 / v of a VM each)
   * always are. The victim's requests go to its first vCPU whenever none is queued (chooseVcpu), so
   * one visited vCPU sets the tail. Off: holdout-31's packed/10206/1 vm-2 (8 vCPUs, the sleepers'
   * mean demand 7.9 on the 8 cores left, just inside eevdfKeepsDemand) is estimated at its alone
   * 153 µs where the simulator has 1.1 ms (an unsafe miss).
   */
  readonly eevdfKeepsOverflow: boolean;
  /**
   * credit2 (docs/accuracy.md, "credit2's busy io vCPU preempted in its backlog (session 23)"): a
   * busy io-only vCPU on a full run queue burns its credit lead over the queue while it serves,
   * the credit reset clips that lead to CARRYOVER, and once it is gone the vCPU is preempted at
   * its timer and by tickles and its backlog waits its turn (credit2.ts busyBacklogOf): a floor
   * under the corrected estimate. Off: only the waking request's waits (holdout-18 10080/6 vm-1
   * and holdout-27 10169/1 vm-1, busy 0.53-0.55, simulated 5.3-5.9 ms against 1.9-2.0 estimated).
   */
  readonly credit2BusyBacklog: boolean;
  /**
   * credit2 (docs/accuracy.md, "credit2's lowest-credit mixed victim (session 24)"): a sleepy
   * mixed victim that runs a larger share than every other CPU-bound vCPU of its one run queue
   * burns the most credit, so it holds the least: a waker that finds every CPU held preempts it
   * rather than one runner in `CPUs`, and every waiter queued while it waits has more credit and
   * is picked first, so its wait ends only at a release that finds nobody else queued. Off: the
   * preempted runner is any of the queue's, and any release ends its wait.
   */
  readonly credit2LowestCredit: boolean;
  /**
   * credit2 (docs/accuracy.md, "credit2's io victim beside no more CPU-bound vCPUs than CPUs
   * (session 25)"): on one run queue whose CPU-bound vCPUs never outnumber its CPUs, nobody is
   * queued behind a runner, so an io-only waker that finds every CPU held preempts one whose rate
   * limit has passed, and waits only where its own pCPU's runner is inside runq_tickle's tolerance
   * of it: candidate() keeps that runner and re-arms at MIN_TIMER. Its p99.9 is at most its
   * service plus MIN_TIMER where every runner is rarely fresh at once (SchedulerCore.noQueueLine). Off: the
   * core's waits for a release.
   */
  readonly credit2NoQueueLine: boolean;
  /**
   * credit2 (docs/accuracy.md, "credit2's grant-end waits beside a mixed VM's request wakes
   * (session 25)"): a mixed VM's vCPU woken by a request outside its CPU bursts preempts a runner
   * and, when it blocks after serving, its pCPU re-picks: a fresh rate-limit window there, as
   * after an io-only vCPU's wake. The grant-end term's all-fresh chance counts those wakes with
   * the io-only ones (SchedulerCore.grantMixedWakes, HostMix.mixedWakesUs). Off: the io-only
   * vCPUs' wakes alone.
   */
  readonly credit2MixedWakes: boolean;
  /**
   * credit1 (docs/accuracy.md, "credit1's saturated victim's request backlog (session 25)"): a
   * saturated mixed victim of one vCPU is off-CPU (1 - its fair share) of the time, in episodes
   * where BOOST wakers preempt it, and its requests queue across them: served at its share, the
   * queue's tail decays at an M/G/1 rate whose service is held up by those episodes, a floor under
   * the estimate (credit1.ts overBacklogOf). Off: a request waits out the rest of one episode.
   */
  readonly credit1OverBacklog: boolean;
  /**
   * credit1 (docs/accuracy.md, "Packed credit1: the saturated victim's OVER waits alone (session
   * 23)"): an OVER victim descheduled with nobody else queued (credit1OverWait's alone episodes)
   * runs again at the first release that finds no UNDER or BOOST vCPU queued, so the busy-period
   * factor that stretches its wait counts only the demand that can queue ahead of it: the sleepers'
   * and the io vCPUs'. The never-sleeping vCPUs (OVER as it is, never waking to queue ahead) and
   * its own demand are left out. Off: every vCPU's demand, the victim's own included (the
   * episodes with others queued keep that either way).
   */
  readonly credit1OverAlone: boolean;
  /**
   * CFS (docs/accuracy.md, "CFS runners off the sleeper floor: one sleepy VM (session 23)"): a
   * waking runner is placed at max(its own vruntime, min_vruntime - sleeper credit). Its own is
   * where it left min_vruntime when it slept, so it comes back on the floor, where an io waker sits
   * and cannot preempt it for wakeup_gran of its run (cfs.ts blockShare), only when something else
   * moved its CPU's min_vruntime by credit - wakeup_gran while it slept. Where the host's sleepy
   * CPU-bound vCPUs are one VM's (and no hog shares their CPUs), nothing CPU-bound of another VM
   * runs there: only the io in its sleep does, at the io load per idle core, with chance
   * e^(-(credit - gran) / (sleep x that load)) (host-mix.ts floorInputs, floorChance). The blocked
   * bins and the home runners' block share are the old ones times that chance. Not where the io
   * carries min_vruntime (as much io as the VM's demand) or does not fit the cores left (its
   * serving over their idle time): there the old share stands.
   * Off: the runner is always on the floor, and an io victim beside one sleepy VM on a 4-core host
   * whose hogs keep the rest waits at the cap 20-40% of the time its cores are full, 4-7 ms at the
   * p99.9, where the simulator's never waits (holdout-27 contended/10161/11, holdout-9 9983/15:
   * 190-430 µs, their alone p99.9).
   */
  readonly cfsSleeperFloor: boolean;
  /**
   * credit1's sleepy mixed victim whose demand is above its fair share (docs/accuracy.md, "Packed
   * credit1: sleepy victims over their fair share (session 23)"): a vCPU that burns more than the
   * share each accounting hands it runs its credit down and stays OVER (credit1.ts overShareOf:
   * the credit as a fluid queue, graded in what it burns against its share and its bursts against
   * the slice), so its wakes are not boosted (they wait for a core no UNDER or BOOST vCPU takes)
   * and BOOST wakers preempt it while it runs (credit1OverWait's episodes, for the time it runs in
   * debt): a floor under the estimate (query.ts overSleepy). Off: credit1OverWait holds only from
   * SATURATED.
   */
  readonly credit1OverSleepy: boolean;
  /**
   * CFS (docs/accuracy.md, "Packed CFS: a never-sleeping victim among hogs that keep their CPUs
   * (session 23)"): a mixed victim whose vCPU never sleeps (duty 1) is never a waker: its requests
   * are served inside its running burst (sim/guest.ts). Where the host's never-sleeping vCPUs keep
   * a CPU each (Mechanisms.cfsHogsKeep: Components.keptCores > 0), its vCPU is one of them, and the
   * only waits it meets are the rare times a sleeper is balanced or wakes onto its CPU: the
   * saturated waits' episodes (cfs.ts saturatedWaitOf). The wake waits built for the shared cores
   * (blocked behind a fresh runner, the light holds) are an io waker's there, not its own, and are
   * cleared as keepsItsCpu clears them. Off: both, and holdout-28's packed/10177/0 vm-3 and vm-5
   * (simulated descheduled 0.2-0.5% of the time, 0.48-0.62 ms) come out at 4.4-4.7 ms.
   */
  readonly cfsKeptSaturated: boolean;
  /**
   * CFS (docs/accuracy.md, "Packed CFS: io waits behind a serve end with the serve (session 24)"):
   * an io waker that finds no idle CPU and is queued behind a serving io vCPU (inside wakeup_gran
   * of that vCPU's own wake-up, so not preempted) runs when the serve ends: the server is not alone
   * on its queue, so it does not halt-poll, it blocks. The release is the rest of the serve (and the
   * chain queued ahead where the holds crowd the cores left), as EEVDF's (SchedulerCore.serveRelease,
   * host-mix.ts serveRelease). Off: the end of a hold of serve + halt-poll window.
   */
  readonly cfsServeRelease: boolean;
  /**
   * CFS (docs/accuracy.md, "Packed CFS: a busy 1-vCPU io victim's waits end at the pulls of cores
   * that go idle (session 25)"): a blocked io waker left waiting behind a fresh sleepy runner is
   * pulled by another CPU when that CPU goes idle (kvm-fair pick-put.ts pullTo). A sleepy vCPU that
   * blocks alone on its CPU halt-polls first (scheduler.ts block: hNr 1), so its CPU goes idle and
   * pulls only if it sleeps past the window: the pull rate is the sleepers' blocks x
   * e^(-window / sleep), not all of them (SchedulerCore.pollPulls). Applied to 1-vCPU io victims at
   * 0.3 of their vCPU or more on hosts held full half the time or more, whose p99.9 is the longest
   * waits (each queues its requests). Off: every block releases a core at the steal discount.
   */
  readonly cfsPollPulls: boolean;
}
export const ALL_MECHANISMS: Mechanisms = { poissonBinomial: true, partialBlock: true, steals: true, victimLoad: true, lightRunners: true, ownBurstQueue: true, grantEnds: true, localWaiters: true, homeFresh: true, ownBurstPreempt: true, lightHolds: true, grantShape: true, cfsLightHolds: true, credit1OverWait: true, cfsLightWaiters: true, eevdfTimeShare: true, cfsOverfull: true, cfsSaturated: true, cfsLightFullHome: true, cfsSleeperPolls: true, cfsKneeSlack: true, cfsRunnableWaits: true, credit1Knee: true, credit2TimerCap: true, cfsSaturatedKeeps: true, cfsHogsKeep: true, cfsLightRunnable: true, cfsKeepsMargin: true, cfsRunnableWeights: true, eevdfWholeWeight: true, credit2HogPreempt: true, eevdfLightEntity: true, eevdfOneWait: true, credit2RepickCap: true, eevdfFullHome: true, credit1KneeQueue: true, credit2QueuedHog: true, eevdfKeepsMulti: true, eevdfOneWaitFull: true, credit2RepickFloor: true, cfsFullHome: true, eevdfServeRelease: true, cfsSplitWake: true, credit1IdleSibling: true, credit1OverBurst: true, credit1SiblingIo: true, credit2SiblingIo: true, cfsRunnerWeight: true, credit1OverAlone: true, eevdfKeepsDemand: true, credit2BusyBacklog: true, cfsSleeperFloor: true, cfsKeptSaturated: true, credit1OverSleepy: true, eevdfNeverPulled: true, cfsServeRelease: true, eevdfSplitWeight: true, credit2LowestCredit: true, cfsPollPulls: true, credit2NoQueueLine: true, eevdfKeepsOverflow: true, credit2MixedWakes: true, credit1OverBacklog: true };

/** RepickFloor: SchedulerCore.repickFloor. */
export interface RepickFloor {
  tail(pBlocked: number, wakesUs: number, y: number): number;
  waitUs(pBlocked: number, wakesUs: number, eps: number): number;
}

/**
 * OverWait: the episodes in which a mixed victim's vCPU, wanting a core all the time and so
 * without priority, is descheduled behind the others (credit1.ts overWaitOf).
 */
export interface OverWait {
  /**
   * The least runnable share of the victim's vCPU the episodes concern: below it `apply` would
   * write nothing, so the query does not gather its inputs (every what-if judges mixed victims).
   */
  readonly fromDuty: number;
  /**
   * apply writes the episodes into the victim's own components (after rescale; the same fields
   * and floor as ownBurstPreempt, plus ownLong*): `wakesUs` the other CPU-bound sleepers' wakes per
   * µs, `sleeperDuty` their mean duty; `atLeast(n)` P(the host's CPU-bound runnable, the victim's
   * vCPU in, >= n); `lightLoad` its io-only vCPUs' mean busy cores, `lightHoldUs` their mean
   * hold; `demand` every vCPU's mean demand in cores, the victim's included; `groupLoad` the
   * CPU-bound VMs' mean runnable group shares, in VMs, the victim's included (time-share.ts
   * busyShare); `hogVcpus` the never-sleeping CPU-bound vCPUs, the victim's included;
   * `sleeperGroup` groupLoad's part from the other sleepy VMs (the victim's out). Asked only for a
   * duty of at least fromDuty.
   */
  readonly apply: (c: Components, duty: number, wakesUs: number, sleeperDuty: number, atLeast: (n: number) => number, lightLoad: number, lightHoldUs: number, demand: number, sleeperBurstUs: number, vcpus: number, lambdaUs: number, groupLoad: number, hogVcpus: number, sleeperGroup: number) => void;
  /**
   * Absent: the episodes are a floor under the corrected estimate, bounded with it (credit1). Set:
   * apply may write the episodes' own cap into c.capUs (the victim's components keep theirs), and
   * their bound is the floor x this, not widened (CFS's saturated waits, a slice: cfs.ts).
   */
  readonly boundScale?: number;
  /**
   * credit1's sleepy victims over their fair share (Mechanisms.credit1OverSleepy, credit1.ts
   * overShareOf): P(a sleepy mixed vCPU that burns `burns` of a core in bursts of mean `burstUs`
   * is OVER deep in debt while it runs, and OVER when it wakes), into credit1.ts OVER_SHARE, on a
   * host of `steady` vCPUs on the active list throughout (the never-sleeping ones and the
   * victim's own), `sleepers` other sleepy CPU-bound vCPUs of mean duty `sleeperDuty` and io vCPUs
   * of `lightLoad` busy cores, where it waits `waitUnder` of the time it wants a core when UNDER
   * and `waitOver` more when OVER; false when both shares are too small to ask. Absent: apply
   * holds only from fromDuty.
   */
  readonly overShare?: (burns: number, burstUs: number, steady: number, sleepers: number, sleeperDuty: number, lightLoad: number, waitUnder: number, waitOver: number) => boolean;
  /**
   * credit1's saturated victim's request backlog (Mechanisms.credit1OverBacklog, credit1.ts
   * overBacklogOf): after `apply` for a saturated victim of one vCPU whose requests arrive at
   * `lambdaUs` per µs and need `serviceUs`, on a host whose CPU-bound vCPUs get `share` of a core
   * (HostMix.fairShare, < 1), writes into `out` the chance a request queues and the decay per µs
   * of its wait's tail (0, 0: no floor; decay 0 with a chance: the queue does not drain).
   */
  readonly backlog?: (lambdaUs: number, serviceUs: number, share: number, out: Float64Array) => void;
}

/** coreFor picks the core of a host's scheduler. */
export function coreFor(s: SchedulerParams, cores: number, m: Mechanisms = ALL_MECHANISMS): SchedulerCore {
  const core = baseCoreFor(s, cores, m);
  if (m.partialBlock && m.ownBurstQueue && m.localWaiters) return core;
  return {
    ...core,
    ...(m.partialBlock ? {} : { blockShare: () => 1 }),
    ...(m.ownBurstQueue ? {} : { ownBurstQueue: false }),
    ...(m.localWaiters ? {} : { localWaiters: false }),
  };
}

function baseCoreFor(s: SchedulerParams, cores: number, m: Mechanisms): SchedulerCore {
  switch (s.kind) {
    case "xen-credit":
      return credit1Core(s, cores, m);
    case "kvm-cfs":
      return cfsCore(s, cores, [], m);
    case "xen-credit2":
      return credit2Core(s, cores, m);
    case "kvm-eevdf":
      return eevdfCore(s, cores, m);
  }
}
