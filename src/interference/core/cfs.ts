import type { KvmCfsParams, KvmEevdfParams } from "../../model/scheduler.js";
import { defaultScheduler } from "../../model/scheduler.js";
import type { Components } from "./components.js";
import type { LightPart, MutablePart } from "./cpu-part.js";
import type { Mechanisms, OverWait, SchedulerCore } from "./scheduler-core.js";

/** tunableFactor: Linux scales its fair-class tunables by this (sysctl_sched_tunable_scaling). */
export function tunableFactor(p: Pick<KvmCfsParams, "tunableScaling">, cores: number): number {
  const cpus = Math.min(Math.max(1, cores), 8);
  return p.tunableScaling === "none" ? 1 : p.tunableScaling === "linear" ? cpus : 1 + Math.floor(Math.log2(cpus));
}

/**
 * kvmCommon: what CFS and EEVDF share for KVM vCPU threads: no rate limit, no drift, and io
 * threads that halt-poll after a request while alone on their CPU. That CPU is not idle to
 * select_idle_sibling, yet a waker queued there ends the poll at once, so a poller blocks nobody;
 * it only frees its CPU soon (then an idle CPU pulls the waiter).
 */
export function kvmCommon(p: Pick<KvmCfsParams | KvmEevdfParams, "haltPollUs">): Pick<SchedulerCore, "rateLimitShare" | "rateLimitUs" | "grantEndRate" | "lightPart" | "lightBlock" | "driftShare" | "driftCapUs"> {
  return {
    rateLimitShare: () => 0,
    rateLimitUs: 0,
    grantEndRate: () => 0,
    lightPart(l: LightPart, out: MutablePart): MutablePart {
      const lam = l.requestsPerSecPerVcpu / 1e6;
      const pollUs = lam > 0 ? (1 - Math.exp(-lam * p.haltPollUs)) / lam : 0;
      out.vcpus = l.vcpus;
      out.duty = Math.min(0.99, lam * (l.serviceUs + pollUs));
      out.burstUs = l.serviceUs + pollUs;
      out.block = 0;
      return out;
    },
    lightBlock: 0,
    driftShare: 0,
    driftCapUs: 0,
  };
}

/**
 * CfsFlags: the Mechanisms cfsCore reads, by name rather than position, so a new term adds a key
 * instead of an argument every caller must line up, and a swapped pair cannot type-check (coreFor
 * passes its Mechanisms whole). An absent key is off, as before.
 */
export type CfsFlags = Partial<
  Pick<
    Mechanisms,
    | "cfsLightHolds"
    | "cfsLightWaiters"
    | "cfsOverfull"
    | "cfsSaturated"
    | "cfsLightFullHome"
    | "cfsSleeperPolls"
    | "cfsKneeSlack"
    | "cfsRunnableWaits"
    | "cfsSaturatedKeeps"
    | "cfsHogsKeep"
    | "cfsLightRunnable"
    | "cfsKeepsMargin"
    | "cfsRunnableWeights"
    | "cfsFullHome"
    | "cfsSplitWake"
    | "cfsRunnerWeight"
    | "cfsSleeperFloor"
    | "cfsKeptSaturated"
    | "cfsServeRelease"
    | "cfsPollPulls"
  >
>;

/**
 * SERVE_RELEASE_FREE_CFS: the fewest cores the CPU-bound vCPUs (by count) must leave for
 * serveRelease on CFS (Mechanisms.cfsServeRelease). With two or three left, the waits that set an
 * io victim's p99.9 are not all behind serves: holdout-27 packed/10161/0 (16 cores, 14 CPU-bound
 * vCPUs) waits behind io serves on 4.2% of its wakes (mean 58 µs, at most 333: the rest of a
 * serve) but behind fresh sleepy CPU-bound runners on 1.65% (mean 132 µs, up to 985), which no
 * other component counts there (pFull 0); the hold-length release stood in for them (docs/
 * accuracy.md, "Packed CFS: io waits behind a serve end with the serve (session 24)"). 2 (EEVDF's)
 * and 3 take more packed CFS victims further under than they bring in; chosen on the open rounds.
 */
const SERVE_RELEASE_FREE_CFS = 4;

/**
 * POLL_PULL_RHO, POLL_PULL_FULL: where Mechanisms.cfsPollPulls applies, a 1-vCPU io victim at this
 * share of its vCPU or more (its requests queue behind each wait, so its p99.9 is set by the few
 * longest waits, those the pulls end) on a host whose cores are all held by CPU-bound vCPUs this
 * often or more (the blocked waits behind runners are the bins'). Traced on holdout-32's
 * packed/10211/2 and 10211/6 and holdout-19's packed-32/10085/0 (pFull 0.68-0.97, rho 0.32-0.51).
 * **Chosen on the open rounds**: rho 0.2 moves 5 contended victims (4 further, none past 0.2);
 * no pFull gate moves 4 contended ones and holdout-18's contended CFS p90 by +0.010 (docs/accuracy.md,
 * "Packed CFS: a busy 1-vCPU io victim's waits end at the pulls of cores that go idle (session 25)").
 */
const POLL_PULL_RHO = 0.3;
const POLL_PULL_FULL = 0.5;

/**
 * cfsCore: KVM vCPU threads under CFS with per-CPU run queues (sim-fidelity 3 and errata E7).
 *
 * - A CPU-bound thread that wakes on a CPU whose min_vruntime stood still is placed latency/2
 *   below it; the waking victim lands on the same floor, so their vruntime gap is just what the
 *   runner has run since, and the victim cannot preempt (check_preempt_wakeup) until that exceeds
 *   wakeup_gran. A runner is "fresh" for E[min(B, gran)] / b = 1 - e^(-gran/b) of its run time.
 * - Blocked, the victim waits for the runner to block, for check_preempt_tick to end the
 *   runner's slice (period / runnable on the CPU, less what it already ran), or for another CPU
 *   to go idle and pull it (the release rate of the other runners, in predictor).
 * - Hogs are never fresh: a waking victim with sleeper credit preempts them at once, unless its
 *   group entity is too light (overfullEpisodes, Mechanisms.cfsOverfull).
 * - A mixed victim that never sleeps is no waker: it waits while its own vCPU shares a CPU
 *   (saturatedWaitOf, Mechanisms.cfsSaturated), and not at all where it keeps one to itself
 *   (Mechanisms.cfsSaturatedKeeps).
 * - Hogs keep a CPU each where the others leave a core idle on average, and the victims share the
 *   rest: the host's waits are the smaller host's (hogsKeep, Mechanisms.cfsHogsKeep; host-mix.ts).
 * - A never-sleeping vCPU keeps its CPU only with a margin under the others' load while they hold
 *   every core (withinMargin, Mechanisms.cfsKeepsMargin); a sleepy mixed vCPU on a host its io
 *   load over-fills waits behind io wakers (lightRunnableWaits, Mechanisms.cfsLightRunnable).
 * - A sleepy mixed vCPU of a multi-vCPU VM waits its runnable waits at its group weight, 1 / vcpus
 *   of its VM with every sibling runnable (runnableWaits, Mechanisms.cfsRunnableWeights).
 * - With fewer CPU-bound vCPUs than cores, an io waker that finds no idle CPU (light holds and
 *   polls fill the rest) waits behind a fresh CPU-bound home runner until a held core frees and
 *   picks it (host-mix.ts fullHome, Mechanisms.cfsFullHome), a floor as the knee's.
 */
export function cfsCore(given: KvmCfsParams | undefined, cores: number, approximations: string[], flags: CfsFlags = {}): SchedulerCore {
  const {
    cfsLightHolds: lightHolds = false,
    cfsLightWaiters: lightWaiters = false,
    cfsOverfull: overfull = false,
    cfsSaturated: saturated = false,
    cfsLightFullHome: lightFullHome = false,
    cfsSleeperPolls: sleeperPolls = false,
    cfsKneeSlack: knee = false,
    cfsRunnableWaits: runnableWaits = false,
    cfsSaturatedKeeps: saturatedKeeps = false,
    cfsHogsKeep: hogsKeep = false,
    cfsLightRunnable: lightRunnable = false,
    cfsKeepsMargin: keepsMargin = false,
    cfsRunnableWeights: runnableWeights = false,
    cfsFullHome: fullHome = false,
    cfsSplitWake: splitWake = false,
    cfsRunnerWeight: runnerWeight = false,
    cfsSleeperFloor: sleeperFloor = false,
    cfsKeptSaturated: keptSaturated = false,
    cfsServeRelease: serveRelease = false,
    cfsPollPulls: pollPulls = false,
  } = flags;
  const p = given ?? (defaultScheduler("kvm-cfs") as KvmCfsParams);
  const factor = tunableFactor(p, cores);
  const latencyUs = p.latencyUs * factor;
  const minGranUs = p.minGranularityUs * factor;
  const granUs = p.wakeupGranularityUs * factor;
  const nrLatency = Math.ceil(latencyUs / minGranUs);
  // place_entity's sleeper credit (halved under GENTLE_FAIR_SLEEPERS): what a waker's vruntime lead is measured against.
  const sleeperCreditUs = p.gentleFairSleepers ? latencyUs / 2 : latencyUs;
  const waitCapUs = (excess: number, shared = cores, weight = 1): number => {
    // The victim and the runner, plus the CPU's share of the excess runnable threads.
    const nr = 2 + excess / shared;
    const period = nr <= nrLatency ? latencyUs : nr * minGranUs;
    if (!(weight < 1)) return Math.max(p.tickUs, period / nr - granUs / 2);
    // Mechanisms.cfsRunnerWeight: a runner of weight w < 1 against whole-VM entities has the slice
    // period w / (w + nr - 1); a blocked waker (its lead at wake-up half of wakeup_gran, the runner
    // half of gran w into its run) waits until the runner's lead, growing 1 / w as fast as real
    // time, passes that slice (w (slice - gran / 2)), but no less than the rest of min_gran, and no
    // longer than the rest of the slice. At w = 1 this is period / nr - gran / 2, the line above.
    const slice = (period * weight) / (weight + nr - 1);
    const ran = (granUs * weight) / 2;
    return Math.max(p.tickUs, Math.min(slice - ran, Math.max(minGranUs - ran, weight * (slice - granUs / 2))));
  };
  return {
    name: "cfs",
    blockShare(b) {
      return 1 - Math.exp(-granUs / b);
    },
    waitCapUs,
    // Preempted mid-burst, its vruntime is no lower than the queued runners': it waits its turn.
    ownBurstQueue: true,
    localWaiters: false,
    ...kvmCommon(p),
    // Mechanisms.cfsLightHolds: a light vCPU serving woke with sleeper credit and is inside
    // wakeup_gran of its wake-up, so a waker queued on its CPU waits for the request (as EEVDF's
    // RUN_TO_PARITY); busy light vCPUs fill the cores the CPU-bound ones leave (light-holds.ts).
    ...(lightHolds ? { lightPart: servingLightPart(p.haltPollUs), lightHolds: true } : {}),
    // Mechanisms.cfsLightWaiters (model-v13, light-holds.ts lightWaiterShare): on packed hosts
    // the other busy light vCPUs take the cores that free up before the victim does.
    ...(lightHolds && lightWaiters ? { lightWaiters: true } : {}),
    // Mechanisms.cfsLightFullHome, cfsSleeperPolls (light-holds.ts heavyHomeBlock, sleeperPollLoad):
    // a CPU-bound home runner blocks a waker that finds light holds filling the last cores, and
    // the sleepers' own halt-polls are such holds (docs/accuracy.md, session 16's CFS p90).
    ...(lightHolds && lightFullHome ? { lightFullHeavyHome: true } : {}),
    ...(lightHolds && sleeperPolls && p.haltPollUs > 0 ? { sleeperPollUs: p.haltPollUs } : {}),
    // Mechanisms.cfsKneeSlack (light-holds.ts kneeNoIdle, kneeRate): an io waker on a host whose
    // polls fill its slack finds no idle CPU; its waits are a floor beside the over-full episodes.
    ...(lightHolds && knee ? { kneeSlack: true } : {}),
    // Mechanisms.cfsFullHome (host-mix.ts fullHome, below the count): with fewer CPU-bound vCPUs
    // than cores, light holds and the sleepers' polls that fill the rest leave an io waker queued
    // behind a fresh CPU-bound home runner; its waits go into kneeA / kneeR where the knee found
    // none, a floor as the knee's. Setting fullHomePollUs also asks the hook of 1-vCPU victims.
    // Mechanisms.cfsServeRelease: a serving io vCPU that ends its serve with a waker queued behind
    // it does not halt-poll (kvm_vcpu_can_poll: it is not alone on its queue), so the waker runs
    // at the serve's end, not at the end of the serve + poll hold that lrate / lsp describes.
    ...(lightHolds && serveRelease ? { serveRelease: true, serveReleaseFree: SERVE_RELEASE_FREE_CFS } : {}),
    ...(lightHolds && fullHome ? { fullHomePollUs: p.haltPollUs, fullHomeBelowCount: true } : {}),
    ...(overfull || (lightHolds && (knee || fullHome))
      ? {
          overfull: withKnee(
            overfull ? overfullEpisodes(sleeperCreditUs, granUs, waitCapUs) : undefined,
            lightHolds && (knee || fullHome),
            // Mechanisms.cfsSplitWake: the full-home no-idle chance (written only with cfsFullHome).
            lightHolds && fullHome && splitWake ? splitWakeEpisodes(sleeperCreditUs, granUs) : undefined,
          ),
        }
      : {}),
    ...(saturated ? { overWait: saturatedWaitOf(latencyUs, minGranUs, nrLatency, p.tickUs, cores, runnableWaits, saturatedKeeps, lightRunnable, keepsMargin, runnableWeights, keptSaturated) } : {}),
    ...(hogsKeep ? { hogsKeep: true } : {}),
    ...(runnerWeight ? { runnerWeights: true } : {}),
    // Mechanisms.cfsSleeperFloor: a runner is fresh to a waker on the floor only when it came back
    // within wakeup_gran of that floor itself (at or under credit - gran, it always is).
    ...(sleeperFloor && sleeperCreditUs > granUs ? { sleeperFloorUs: sleeperCreditUs - granUs } : {}),
    // Mechanisms.cfsPollPulls: a sleepy vCPU that blocks alone on its CPU halt-polls (kvm_vcpu_can_poll),
    // so its CPU goes idle and pulls a waiter from another only if it sleeps past the window.
    ...(pollPulls && p.haltPollUs > 0 ? { pollPulls: { pollUs: p.haltPollUs, minRho: POLL_PULL_RHO, minFull: POLL_PULL_FULL } } : {}),
    approximations,
  };
}

/**
 * overfullEpisodes (Mechanisms.cfsOverfull; docs/accuracy.md, fifteenth round): a VM's group
 * entity on one CPU weighs its shares x that CPU's part of the VM's runnable load, 1/n with n of
 * its vCPUs runnable, and wakeup_gran in the wakee's units is gran x n. From n >= credit / gran
 * (3 at the default tunables) the waker, placed at min_vruntime less the sleeper credit, preempts
 * no runner, hog or not, and waits for check_preempt_tick to end the runner's slice (the wait
 * cap). It feeds itself: a vCPU left waiting is runnable and lightens its siblings, so the
 * siblings' runnable share u solves u = (u0 + x) / (1 + x), x their blocked time per idle time
 * (wakes lam (1 - u), each blocked with chance pFull x P(enough siblings runnable), for up to a
 * slice). The episodes are a floor under the estimate, as credit2's own-burst ones (query.ts).
 */
function overfullEpisodes(creditUs: number, granUs: number, capOf: (excess: number) => number): NonNullable<SchedulerCore["overfull"]> {
  // Runnable siblings that make the waker too light: n x gran >= credit with n = siblings + 1.
  const need = tooLightSiblings(creditUs, granUs);
  return (ep: Components, c: Components, vcpus: number, lambdaUs: number, u0: number): boolean => {
    // A hog on the waker's CPU: the core's fresh-runner bins already hold the sleepy runners.
    const held = c.pFull * c.hogShare;
    if (vcpus - 1 < need || !(held > 0) || !(lambdaUs > 0)) return false;
    return tooLightEpisodes(ep, held, capOf(c.excess), c.nu, need, vcpus, lambdaUs, u0);
  };
}

/** tooLightSiblings: the runnable siblings that make a waker too light to preempt, n x gran >= credit with n = siblings + 1. */
function tooLightSiblings(creditUs: number, granUs: number): number {
  return Math.max(1, Math.ceil(creditUs / granUs - 1e-9) - 1);
}

/**
 * tooLightEpisodes writes into `ep`'s ownPre* the episodes of a waker too light to preempt its
 * home runner (`need` siblings runnable), blocked with chance `held` when they are: it waits for
 * the runner's slice to end (`capUs`) or for another CPU to free up and pull it (`nu`), and its
 * wait keeps its vCPU runnable, lightening its siblings in turn (u = (u0 + x) / (1 + x)).
 */
function tooLightEpisodes(ep: Components, held: number, capUs: number, nu: number, need: number, vcpus: number, lambdaUs: number, u0: number): boolean {
  const r = 1 / capUs + nu;
  const eCap = Math.exp(-r * capUs);
  const meanUs = (1 - eCap) / r;
  const lam = lambdaUs / vcpus;
  let u = Math.min(1, u0);
  let q = 0;
  for (let i = 0; i < 40; i++) {
    q = atLeast(vcpus - 1, u, need);
    const x = lam * held * q * meanUs;
    u = (u0 + x) / (1 + x);
  }
  ep.ownPreA = lam * (1 - u) * q * held;
  ep.ownPreR = r;
  ep.ownPreECap = eCap;
  ep.ownLongA = 0;
  ep.capUs = capUs;
  return ep.ownPreA > 0;
}

/**
 * SPLIT_WAKE_RHO: the least per-vCPU request load (VictimTail.rho) at which cfsSplitWake counts a
 * multi-vCPU io victim's too-light wakes. The light ones (8 vCPUs at 0.02, 4 at 0.04-0.07 on the
 * open rounds' packed 8- and 16-core hosts) simulate near their estimates: their siblings are
 * seldom runnable from their own requests (their u0 is mostly halt-polls), and they are pulled fast.
 */
const SPLIT_WAKE_RHO = 0.08;

/**
 * splitWakeEpisodes (Mechanisms.cfsSplitWake; docs/accuracy.md, "A busy io VM's split weight where
 * the light holds fill a CFS host (session 21)"): below the count, where cfsFullHome finds the io
 * waker no idle CPU (Components.fullHomeFull: the light holds and the sleepers' polls filling the
 * cores the CPU-bound vCPUs leave), a busy multi-vCPU io victim's waker with `need` siblings
 * runnable is too light to preempt its home runner, fresh or not (overfullEpisodes' group weight),
 * so it is blocked with the whole no-idle chance, not its home runner's fresh share, and waits out
 * the runner's slice or a pull: the over-full episodes with that chance in place of pFull x
 * hogShare. Traced on holdout-23's packed/10124/1 (8 cores, 1 hog, 3.4 cores of sleepers): its
 * 4-vCPU io VMs' wakes wait 7-11x more often with 2-3 siblings busy than with none, and the waits
 * past 2 ms begin behind a CPU-bound sleeper and end at 6-7e-4 per µs, the core's c.nu (6.9e-4).
 */
function splitWakeEpisodes(creditUs: number, granUs: number): NonNullable<SchedulerCore["overfull"]> {
  const need = tooLightSiblings(creditUs, granUs);
  return (ep: Components, c: Components, vcpus: number, lambdaUs: number, u0: number, rho: number): boolean => {
    const held = c.fullHomeFull;
    if (vcpus - 1 < need || !(rho >= SPLIT_WAKE_RHO) || !(held > 0) || !(lambdaUs > 0)) return false;
    return tooLightEpisodes(ep, Math.min(1, held), c.capUs, c.nu, need, vcpus, lambdaUs, u0);
  };
}

type Episodes = NonNullable<SchedulerCore["overfull"]>;

/**
 * withKnee: the io victim's floor episodes, the over-full ones (`overfull`, if counted) in
 * ownPre*, and with `knee` CFS's knee waits in ownLong* (kneeEpisodes). The two never meet: the
 * over-full episodes need every core held by CPU-bound vCPUs (pFull > 0), the knee fewer CPU-bound
 * vCPUs than cores.
 */
function withKnee(overfull: Episodes | undefined, knee: boolean, splitWake?: Episodes): Episodes {
  if (!knee && overfull) return overfull;
  return (ep: Components, c: Components, vcpus: number, lambdaUs: number, u0: number, rho: number): boolean => {
    // The over-full episodes need every core held (pFull > 0), the split-weight ones a full home
    // below the count: at most one of the two writes ownPre*.
    let over = overfull !== undefined && overfull(ep, c, vcpus, lambdaUs, u0, rho);
    if (!over) {
      ep.ownPreA = 0;
      ep.capUs = c.capUs;
      over = splitWake !== undefined && splitWake(ep, c, vcpus, lambdaUs, u0, rho);
    }
    ep.ownLongA = 0;
    return kneeEpisodes(ep, c, vcpus, lambdaUs) || over;
  };
}

/**
 * kneeEpisodes (Mechanisms.cfsKneeSlack) writes the knee's waits (Components.kneeA, kneeR, from
 * host-mix.ts knee) into `ep`'s ownLong* as episodes: a waking request blocked with chance kneeA
 * waits an exponential at kneeR up to the slice (the cap), and requests arriving meanwhile (at
 * the victim's rate thinned by its siblings, each as likely blocked) see the rest of it. The
 * episodes' tail is start rate x ∫ survival, so the start rate kneeA x (kneeR + lam) gives
 * kneeA (e^(-r y) + lam ∫) as waitTail's light term does. A floor outside the fit: the calibration
 * sweep has no host in this regime (docs/accuracy.md, "The knee term (session 16)").
 */
export function kneeEpisodes(ep: Components, c: Components, vcpus: number, lambdaUs: number): boolean {
  const a = c.kneeA;
  if (!(a > 0)) return false;
  const r = c.kneeR;
  const lam = lambdaUs * (vcpus > 1 ? a ** (vcpus - 1) : 1);
  ep.ownLongA = a * (r + lam);
  ep.ownLongR = r;
  ep.ownLongECap = Math.exp(-r * ep.capUs);
  return true;
}

/**
 * SATURATED: a mixed vCPU whose runnable share (profile.ts runnableShare, which caps a sleeper at
 * 0.99) reaches this never sleeps; below it its wake-ups meet the host as the core's own waits do.
 */
const SATURATED = 0.99;
/**
 * SATURATED_BOUND: the saturated waits' bound over their floor. On the full-host family
 * (docs/accuracy.md, seventeenth round) simulated / floor is at most 2.37 (an 8-vCPU victim among
 * 12 hogs on 8 cores: balancer moves on top); the wait is a slice, not an extrapolation of the
 * correction, so the correction's outside reasons do not widen it.
 */
const SATURATED_BOUND = 2.5;

/**
 * saturatedWaitOf (Mechanisms.cfsSaturated): a mixed victim's vCPU that wants a core all the time
 * (duty 1: its bursts never end in a sleep) is never a waker: the guest serves a request inside
 * the running burst (sim/guest.ts), so a request waits only while the vCPU itself is runnable and
 * descheduled. With the others holding every core (c.pFull, its own vCPU out) the balancer evens
 * the CPUs' loads (weights), and a CPU it shares is one whose co-runners' slices it waits out each
 * time check_preempt_tick ends its own:
 *
 * - Weights are group entities' (kvm-fair state.ts groupWeight): a VM weighs its shares over its
 *   runnable vCPUs, so the victim's vCPU weighs wv = 1 / vcpus (every sibling runnable) and the
 *   others w = (groupLoad - wv) / (their mean runnable vCPUs) each, in VMs.
 * - Balanced, a CPU carries groupLoad / cores; the victim's carries m = (that - wv) / w co-runners:
 *   none where its own weight is already the mean load (a 1-vCPU victim among 2-vCPU hogs keeps a
 *   CPU to itself); under one, it shares with one a share q = m of the time; else always, with m.
 * - It waits the co-runners' part of the period, period x ratio / (1 + ratio), ratio their weight
 *   over its own, or, where its own slice falls under min_granularity, the time they take to catch
 *   up with what it ran in one, min_granularity x ratio; to the next tick. A core freeing up
 *   elsewhere (c.nu) pulls it earlier; with none, the wait is the cap itself (a rate of 1e-3 /
 *   cap makes the capped exponential all but uniform in its rest).
 * - Its episodes start once a cycle (its run, cap / ratio, and the wait); with siblings one
 *   request per episode waits and the next go to a sibling without one (sim/workloads/io.ts
 *   chooseVcpu).
 *
 * On the full-host family (8 cores, duty-1 mixed victims of 1-8 vCPUs among 1-vCPU hogs) the
 * simulated p99.9 is 13-85 ms where model-v13's core says the alone latency (0.1-0.5 ms); with
 * the term the estimate is 0.43-1.41x of it (docs/accuracy.md, seventeenth round).
 */
function saturatedWaitOf(latencyUs: number, minGranUs: number, nrLatency: number, tickUs: number, cores: number, runnable: boolean, keeps: boolean, lightRunnable: boolean, keepsMargin: boolean, runnableWeights: boolean, keptSaturated = false): OverWait {
  const apply = (c: Components, duty: number, _wakesUs: number, _sleeperDuty: number, _atLeast: (n: number) => number, lightLoad: number, lightHoldUs: number, demand: number, _sleeperBurstUs: number, vcpus: number, lambdaUs: number, groupLoad: number): void => {
    // A sleeper (duty < 1; runnableShare caps it at SATURATED) that the saturated waits leave
    // alone still loses its CPU whenever it sleeps: its runnable waits then (runnableWaits).
    const sleeper = runnable && duty < 1;
    // Mechanisms.cfsLightRunnable: the io load and hold lightRunnableWaits reads (NaN: off).
    const light = lightRunnable ? lightLoad : NaN;
    const others = demand - lightLoad - 1;
    const wv = 1 / Math.max(1, vcpus);
    const w = (groupLoad - wv) / others;
    // Mechanisms.cfsRunnableWeights: the co-runner's weight over the victim's vCPU's (NaN: off).
    const weightRatio = runnableWeights && vcpus > 1 && others > 0 && w > 0 ? w / wv : NaN;
    if (duty < SATURATED) {
      if (sleeper) runnableWaits(c, duty, demand, vcpus, latencyUs, minGranUs, nrLatency, tickUs, cores, light, lightHoldUs, weightRatio);
      return;
    }
    const m = w > 0 ? (groupLoad / cores - wv) / w : 0;
    if (!(c.pFull > 0) || !(others > 0) || !(m > 0)) {
      if (sleeper) runnableWaits(c, duty, demand, vcpus, latencyUs, minGranUs, nrLatency, tickUs, cores, light, lightHoldUs, weightRatio);
      else if (keeps && duty >= 1 && !(keepsMargin && withinMargin(m, c.pFull))) keepsItsCpu(c);
      return;
    }
    // Mechanisms.cfsKeptSaturated: where the hogs keep a CPU each, this never-sleeping vCPU is one
    // of them and never wakes, so the shared cores' wake waits are not its own; what it meets is a
    // sleeper balanced or woken onto its CPU, the episodes below (simulated: descheduled 0.1-0.5% of
    // the time on holdout-28's packed/10177/0 and holdout-9's 9983/6, against 25-30% where the hogs
    // share the sleepers' CPUs, holdout-24's 10140/5, which keeps the wake waits as fitted).
    if (keptSaturated && duty >= 1 && c.keptCores > 0) c.clearWaits();
    const q = Math.min(1, m);
    const co = Math.max(1, m);
    const ratio = (co * w) / wv;
    const nr = co + 1;
    const period = nr <= nrLatency ? latencyUs : nr * minGranUs;
    const capUs = Math.max((period * ratio) / (1 + ratio), minGranUs * ratio) + tickUs;
    const r = Math.max(c.nu, 1e-3 / capUs);
    const meanUs = (1 - Math.exp(-r * capUs)) / r;
    const per = vcpus > 1 && lambdaUs > 0 ? Math.min(1, 1 / (lambdaUs * meanUs)) : 1;
    c.ownLongA = (c.pFull * q * per) / (capUs / ratio + meanUs);
    c.ownLongR = r;
    c.ownLongECap = Math.exp(-r * capUs);
    c.ownPreA = 0;
    c.capUs = capUs;
  };
  return { fromDuty: runnable ? 0 : SATURATED, apply, boundScale: SATURATED_BOUND };
}

/**
 * keepsItsCpu (Mechanisms.cfsSaturatedKeeps; docs/accuracy.md, "Packed CFS on holdout-17 (session
 * 19)"): a vCPU that never sleeps (duty 1) on a CPU nobody else is balanced onto (saturatedWaitOf
 * finds no co-runner: its own group weight is at least the CPUs' mean load, or the others leave a
 * core idle) runs all the time. Nothing is ever queued behind it: a waker goes to an idle CPU or
 * its previous one (kvm-fair balance.ts selectIdleSibling), and this CPU is never idle and, past
 * the first balance, nobody's previous; a busy CPU pulls only while below the mean load
 * (findLoadImbalance), which this one never is. Its requests are served inside the running burst
 * (sim/guest.ts), so they wait for nothing of the host: the wake waits the query built for it
 * (a waker meeting every core held) do not happen, and its estimate is its alone latency. On the
 * open rounds' packed CFS hosts 35 such victims are simulated at that level (within 0.1 in ln;
 * cpuShare exactly their vCPUs) where the wake waits said up to 49x it.
 */
function keepsItsCpu(c: Components): void {
  c.clearWaits();
}

/**
 * KEEP_MARGIN: how far under the others' mean load, in co-runners (m) per unit of P(all held), a
 * never-sleeping vCPU's CPU must be for keepsItsCpu (Mechanisms.cfsKeepsMargin). The simulator's
 * switch on the plan's two hosts with cores added (P(all held) 0.89-0.99) lies between m -0.19
 * (shared in 2-3 of 4 runs of 20 s) and -0.26 (kept in 8 of 8), and holdout-16's 10054/3 at m
 * -0.155 and P(all held) 0.51 is kept in 12-13 of 16 runs: m -0.2 x P(all held) separates them.
 */
const KEEP_MARGIN = 0.2;

/**
 * withinMargin (Mechanisms.cfsKeepsMargin; docs/accuracy.md, "cfsSaturatedKeeps' edge in the plan
 * (session 20)"): keepsItsCpu's "no co-runner" is the mean's. The CPUs' load moves with the
 * sleepers, and while every core is held (c.pFull) a waker that finds no idle CPU queues on its
 * previous one. Once the load over the CPUs rises past the victim's own weight a sleeper is
 * balanced onto its CPU and, its previous CPU now, wakes there again and again and preempts the
 * victim each time (sleeper credit); it leaves only when a wake-up finds an idle CPU, which a host
 * whose cores are all held seldom has. So near m = 0 on such a host the victim shares its CPU in
 * most runs (three of the bench plan's 1-vCPU duty-1 victims at 2 vCPUs per core: 5.4-11.7 ms in
 * 18 of 18 runs of 20 s, alone 0.14-0.48 ms); with a margin, or with cores left idle, it keeps it. Within
 * the margin the victim keeps the query's waits (the saturated waits find no co-runner there).
 */
function withinMargin(m: number, pFull: number): boolean {
  return pFull > 0 && m > -KEEP_MARGIN * pFull;
}

/**
 * runnableWaits (Mechanisms.cfsRunnableWaits; docs/accuracy.md, "Packed hosts on holdout-14
 * (session 17)"): a sleepy mixed victim (runnable share `duty` < 1) on a host whose other vCPUs
 * want more than its cores (`demand` less its own vCPU's, in cores: the same own-vCPU-out view as
 * c.pFull), so they hold every core and its vCPU time-shares one. In the mean a runnable vCPU then
 * runs f = cores / that demand of the time, its bursts stretch by 1 / f, and it is runnable
 * u = (duty / f) / (duty / f + 1 - duty) of the time. A request goes to a sibling without work
 * if there is one (sim/workloads/io.ts chooseVcpu); with every sibling runnable (u^vcpus) it
 * goes to one that sits descheduled 1 - f of the time and waits out its CPU's other runners'
 * slices: nr = max(2, over) runnable there, the period's (nr - 1) / nr, to the next tick. A
 * neighbour's burst end does not cut that short (the simulator's tail on holdout-14's
 * packed/10031/6 barely moves with the neighbours' burst lengths, 1 to 30 ms, while the wake-based
 * estimate grows 5x): its CPU has its own waiters. Only a core the others leave idle pulls the
 * vCPU sooner, at the steal rate c.nu while they do not hold every core (1 - c.pFull). A request
 * meets the rest of such a wait: episodes, a floor outside the fit bounded as the saturated waits.
 */
function runnableWaits(c: Components, duty: number, demand: number, vcpus: number, latencyUs: number, minGranUs: number, nrLatency: number, tickUs: number, cores: number, lightLoad = NaN, lightHoldUs = NaN, weightRatio = NaN): void {
  if (!(c.pFull > 0)) {
    if (lightLoad > 0) lightRunnableWaits(c, duty, demand, vcpus, latencyUs, minGranUs, nrLatency, tickUs, cores, lightLoad, lightHoldUs);
    return;
  }
  const over = (demand - duty) / cores;
  if (!(over > 1)) return;
  const nr = Math.max(2, over);
  const period = nr <= nrLatency ? latencyUs : nr * minGranUs;
  // Mechanisms.cfsRunnableWeights: kvm-fair weighs group entities, and with every sibling
  // runnable (the event `within` counts) the vCPU carries 1 / vcpus of its VM's shares against
  // co-runners of `weightRatio` x that each, so it runs 1 / (1 + that x (nr - 1)) of a shared CPU
  // and waits their part of the period. On holdout-20's 10095/5 the simulator's 2-vCPU victim runs
  // 0.37 of its runnable time (this says 0.38, the mean over-fill 0.87) and its vCPU is runnable
  // and descheduled at 0.33 of its requests (0.35; 0.04). Not for one vCPU: its VM's whole weight
  // against the lighter mean co-runner would shorten the cap the equal split gives.
  const shared = weightRatio > 0 ? (nr - 1) * weightRatio : nr - 1;
  const f = weightRatio > 0 ? Math.min(1 / over, 1 / (1 + shared)) : 1 / over;
  const capUs = (weightRatio > 0 ? (period * shared) / (1 + shared) : (period * (nr - 1)) / nr) + tickUs;
  stretchedEpisodes(c, duty, f, vcpus, capUs, c.nu * (1 - c.pFull));
}

/**
 * stretchedEpisodes sets the runnable-wait episodes of both forms above: a vCPU that runs f of its
 * runnable time, its bursts stretched by 1 / f, is runnable u of the time; a request finds every
 * sibling runnable (u^vcpus) and its own descheduled (1 - f), and waits the rest of a wait capped
 * at capUs, released at `rate` (at least one release per thousand caps).
 */
function stretchedEpisodes(c: Components, duty: number, f: number, vcpus: number, capUs: number, rate: number): void {
  const s = duty / f;
  const u = s / (s + 1 - duty);
  const within = Math.pow(u, Math.max(1, vcpus)) * (1 - f);
  const r = Math.max(rate, 1e-3 / capUs);
  const eCap = Math.exp(-r * capUs);
  c.ownLongA = (within * r) / (1 - eCap);
  c.ownLongR = r;
  c.ownLongECap = eCap;
  c.ownPreA = 0;
  c.capUs = capUs;
}

/**
 * lightRunnableWaits (Mechanisms.cfsLightRunnable; docs/accuracy.md, "Runnable waits where io
 * fills the last core (session 20)"): runnableWaits where the other CPU-bound vCPUs are fewer than
 * the cores they share (c.pFull 0: they never hold every core), yet with the io vCPUs' load the
 * host's demand is over its cores. The victim's vCPU is then stretched as in runnableWaits, but
 * what it sits behind is not a CPU-bound co-runner's slice: io wakers preempt it (sleeper credit)
 * and a CPU-bound sleeper that woke to find no idle CPU queues with them, and it runs again when
 * its CPU's queue of short holds drains or a core goes idle and pulls it. The simulator (holdout-19's
 * packed/10081/4, io rates x0.75-1.25) shows waits of 0.1-0.3 ms mean with a tail to a few ms that
 * grows with the over-fill, not the slice-long waits (13 ms here) of the CPU-bound over-fill. The
 * release is the drain of the light holds on the shared cores, an M/G/1 busy period's rate
 * (1 - ρ) / hold with ρ the io load per shared core, and the slice still ends it. Over and ρ are
 * read on the cores the hogs do not keep (Components.keptCores). `lightLoad`: the host's io-only
 * vCPUs' Σ duty (their mean busy cores, polls in); `lightHoldUs` their mean hold.
 */
function lightRunnableWaits(c: Components, duty: number, demand: number, vcpus: number, latencyUs: number, minGranUs: number, nrLatency: number, tickUs: number, cores: number, lightLoad: number, lightHoldUs: number): void {
  const shared = cores - c.keptCores;
  if (!(shared > 0) || !(lightLoad > 0) || !(lightHoldUs > 0)) return;
  const over = (demand - duty - c.keptCores) / shared;
  if (!(over > 1)) return;
  const nr = Math.max(2, over);
  const period = nr <= nrLatency ? latencyUs : nr * minGranUs;
  const capUs = (period * (nr - 1)) / nr + tickUs;
  const rho = Math.min(0.9, lightLoad / shared);
  stretchedEpisodes(c, duty, 1 / over, vcpus, capUs, (1 - rho) / lightHoldUs);
}

/** atLeast: P(Binomial(m, u) >= j). */
function atLeast(m: number, u: number, j: number): number {
  let below = 0;
  let term = Math.pow(1 - u, m);
  for (let i = 0; i < j && i <= m; i++) {
    below += term;
    term *= u >= 1 ? 0 : ((m - i) / (i + 1)) * (u / (1 - u));
  }
  return Math.max(0, 1 - below);
}

/**
 * servingLightPart: kvmCommon's light part with `block` the serving share of its hold, service /
 * (service + poll) (light holds, light-holds.ts): a light vCPU that woke for a request is
 * protected until it has served it (EEVDF: picked with a fresh slice, RUN_TO_PARITY; CFS: inside
 * wakeup_gran of its own wake-up), so a waker queued on its CPU waits; once it halt-polls, the
 * waker ends the poll at once.
 */
export function servingLightPart(haltPollUs: number): SchedulerCore["lightPart"] {
  const base = kvmCommon({ haltPollUs }).lightPart;
  return (l: LightPart, out: MutablePart): MutablePart => {
    base(l, out);
    out.block = out.burstUs > 0 ? l.serviceUs / out.burstUs : 0;
    return out;
  };
}
