import type { KvmCfsParams, KvmEevdfParams } from "../../model/scheduler.js";
import { defaultScheduler } from "../../model/scheduler.js";
import type { LightPart, MutablePart } from "./cpu-part.js";
import type { SchedulerCore } from "./scheduler-core.js";

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
 * cfsCore: KVM vCPU threads under CFS with per-CPU run queues (sim-fidelity 3 and errata E7).
 *
 * - A CPU-bound thread that wakes on a CPU whose min_vruntime stood still is placed latency/2
 *   below it; the waking victim lands on the same floor, so their vruntime gap is just what the
 *   runner has run since, and the victim cannot preempt (check_preempt_wakeup) until that exceeds
 *   wakeup_gran. A runner is "fresh" for E[min(B, gran)] / b = 1 - e^(-gran/b) of its run time.
 * - Blocked, the victim waits for the runner to block, for check_preempt_tick to end the
 *   runner's slice (period / runnable on the CPU, less what it already ran), or for another CPU
 *   to go idle and pull it (the release rate of the other runners, in predictor).
 * - Hogs are never fresh: a waking victim with sleeper credit preempts them at once.
 */
export function cfsCore(given: KvmCfsParams | undefined, cores: number, approximations: string[], lightHolds = false, lightWaiters = false): SchedulerCore {
  const p = given ?? (defaultScheduler("kvm-cfs") as KvmCfsParams);
  const factor = tunableFactor(p, cores);
  const latencyUs = p.latencyUs * factor;
  const minGranUs = p.minGranularityUs * factor;
  const granUs = p.wakeupGranularityUs * factor;
  const nrLatency = Math.ceil(latencyUs / minGranUs);
  return {
    name: "cfs",
    blockShare(b) {
      return 1 - Math.exp(-granUs / b);
    },
    waitCapUs(excess) {
      // The victim and the runner, plus the CPU's share of the excess runnable threads.
      const nr = 2 + excess / cores;
      const period = nr <= nrLatency ? latencyUs : nr * minGranUs;
      return Math.max(p.tickUs, period / nr - granUs / 2);
    },
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
    approximations,
  };
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
