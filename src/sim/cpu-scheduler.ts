import type { SchedulerParams } from "../model/scheduler.js";
import type { Vm } from "../model/cluster.js";
import type { TimerLane } from "./simulator.js";

/**
 * The contract between one host's machinery (`host-sim.ts`, which owns workloads, work progress
 * and measurements) and a scheduling policy (`schedulers/*.ts`, which owns run queues, credits,
 * vruntimes and decides what runs where). A policy never sees workloads; host-sim never sees
 * priorities. Time is integer microseconds.
 */

/** VcpuInfo describes one vCPU of the host; `index` is its host-wide number 0..n-1. */
export interface VcpuInfo {
  readonly index: number;
  readonly vmIndex: number;
  /** Position of this vCPU inside its VM (0..vm.vcpus-1). */
  readonly vcpuInVm: number;
  readonly vm: Vm;
}

/** TimerHandle cancels a pending policy timer; cancelling twice or after it fired is a no-op. */
export interface TimerHandle {
  cancel(): void;
}

/** NO_TIMER is never a live timer() id (a policy's "no timer pending"). */
export const NO_TIMER = -1;

/** Counter names a policy reports to the observers (per vCPU, summed per VM). */
export type SchedCounter = "boost" | "preemption" | "throttle";

/** SchedContext is what host-sim offers a policy. */
export interface SchedContext {
  readonly nCpus: number;
  readonly vcpus: readonly VcpuInfo[];
  now(): number;
  /**
   * at runs fn at absolute time atUs (>= now). Same-time events run in scheduling order.
   * Policy timers run after host-sim's workload events of the same microsecond.
   */
  at(atUs: number, fn: () => void): TimerHandle;
  /**
   * timer is at() for a policy's hot timers (ticks, slice ends, halt-poll windows): fn gets arg
   * back, so one handler serves every pCPU, and the timer is named by a plain number that
   * cancelTimer takes, so nothing is allocated per timer (at()'s handles were most of a run's
   * remaining allocations). Same ordering as at(). Ids are small integers; NO_TIMER is never one.
   */
  timer(atUs: number, fn: (arg: number) => void, arg?: number): number;
  /** cancelTimer cancels a timer() id; a no-op when it ran, was cancelled, or is NO_TIMER. */
  cancelTimer(id: number): void;
  /**
   * advance moves the clock to atUs (>= now) and returns true when nothing else of the host is due
   * at or before it and the run goes on past it; false leaves the clock. A policy that keeps its
   * own timers out of the event queue (schedulers/own-timers.ts) runs its next one in place this
   * way. Optional: without it such a policy puts each of its timers in the queue.
   */
  advance?(atUs: number): boolean;
  /**
   * timerLane hands the simulator's loop a policy's own timers (simulator.ts, TimerLane): each
   * runs when it is strictly before every other event of the host, after all those of its
   * microsecond, with no queue event standing for it. For a policy that then sets no other
   * timer (timer() and at() throw after it). Optional: false or absent, the policy wakes itself
   * with a timer() and advance().
   */
  timerLane?(lane: TimerLane): boolean;
  /**
   * dispatch puts vCPU v on pCPU p (null = idle). The vCPU previously there stops at once and its
   * work progress is kept. v must not be running on another pCPU. Dispatching a vCPU that has no
   * work is allowed (KVM halt-polling): it occupies the pCPU and makes no progress until work arrives.
   */
  dispatch(p: number, v: number | null): void;
  /**
   * idle takes pCPU p's vCPU off as of atUs (<= now): dispatch(p, null) at an earlier instant,
   * for a policy that does a halt-poll expiry late (see CpuScheduler.settle). Before now only for
   * a vCPU making no progress (a halt-poller), whose time on the pCPU is all that moves.
   */
  idle(p: number, atUs: number): void;
  /** chargesDriverWork: the host's driver domain bills its work to guests (chargeFor timers run). */
  readonly chargesDriverWork: boolean;
  /** running returns the vCPU on pCPU p, or null when p is idle. */
  running(p: number): number | null;
  /** onCpu returns the pCPU vCPU v runs on, or -1. */
  onCpu(v: number): number;
  /** hasWork says whether v has work to do (runnable in the guest's view). */
  hasWork(v: number): boolean;
  /** count bumps an observer counter for v (boosts, preemptions, throttled periods). */
  count(counter: SchedCounter, v: number): void;
  /** random is the policy's seeded stream in [0, 1), separate from the workloads' streams. */
  random(): number;
}

/**
 * CpuScheduler is one host's hypervisor CPU policy. host-sim calls it; it answers by calling
 * ctx.dispatch and by setting its own timers (ticks, slices, accounting periods).
 */
export interface CpuScheduler {
  readonly kind: SchedulerParams["kind"] | "round-robin";
  /** start is called once at time 0, before any workload event; set up periodic timers here. */
  start(ctx: SchedContext): void;
  /**
   * wake: vCPU v had no work and now has some (an interrupt / event-channel delivery). It may be
   * on a pCPU already (halt-polling), in which case the policy usually leaves it there.
   */
  wake(v: number): void;
  /**
   * block: vCPU v, running on pCPU p, ran out of work (the guest halted). The policy must decide
   * what p does next: dispatch another vCPU, dispatch null, or keep v there (halt-polling).
   */
  block(v: number, p: number): void;
  /**
   * chargeFor bills VM `vm` for `us` of CPU that the host's driver domain spent on its IO
   * (chargeDriverWork). The driver domain's own accounting is unchanged: this is billing on top,
   * as SEDF-DC debits a guest for dom0's work on its behalf. Called from a policy timer, never
   * from inside dispatch. Optional: a policy without it cannot run a charging host.
   */
  chargeFor?(vm: number, us: number): void;
  /**
   * settle: host-sim is about to read which pCPU a vCPU is on outside the policy's own calls (a
   * wake of a vCPU it sees on a pCPU, a measurement). A policy that leaves work of an earlier
   * instant undone until something needs it (kvm-fair's lazy halt-poll expiries) does it now.
   * Optional: a policy that defers nothing has nothing to do.
   */
  settle?(): void;
}

/** SchedulerFactory builds a fresh policy instance for one host. */
export type SchedulerFactory = (params: SchedulerParams, nCpus: number) => CpuScheduler;
