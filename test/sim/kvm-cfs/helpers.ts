import type { z } from "zod";
import type { VmSchema } from "../../../src/model/cluster.js";
import { ScenarioSchema, type HostSimResult, type Scenario } from "../../../src/model/scenario.js";
import { KvmCfsSchema, type KvmCfsParams, type KvmEevdfParams, type SchedulerParams } from "../../../src/model/scheduler.js";
import type { CpuScheduler, SchedContext, SchedulerFactory } from "../../../src/sim/cpu-scheduler.js";
import { createKvmCfs, type KvmCfsOptions } from "../../../src/sim/schedulers/kvm-cfs.js";
import { createKvmEevdf } from "../../../src/sim/schedulers/kvm-eevdf.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";

/** The fidelity conventions (shared/reference/sim-fidelity.md 5): 2 s of warm-up, discarded. */
export const WARMUP_MS = 2000;

type VmIn = Omit<z.input<typeof VmSchema>, "id" | "vcpus" | "memoryMiB"> & { vcpus?: number };

/** FairKind: the two Linux fair-class policies, which share their machinery. */
export type FairKind = "kvm-cfs" | "kvm-eevdf";
type FairTunables = Partial<Omit<KvmCfsParams, "kind">> | Partial<Omit<KvmEevdfParams, "kind">>;

/** fairScenario builds a kvm-cfs or kvm-eevdf host scenario; VMs are vm0, vm1, ... with 1 vCPU unless given. */
export function fairScenario(
  kind: FairKind,
  cores: number,
  vms: VmIn[],
  opts: { durationMs: number; seed?: number; scheduler?: FairTunables; warmupMs?: number; driver?: { chargeDriverWork: boolean } },
): Scenario {
  // The driver domain of the equivalence tests: one vCPU, 2 packets out and 1 in per request.
  const driverDomain = opts.driver && { vcpus: 1, usPerPacket: 30, packetsPerRequest: 2, rxPacketsPerRequest: 1, ...opts.driver };
  return ScenarioSchema.parse({
    host: { id: "h1", cores, memoryMiB: 1 << 20, scheduler: { kind, ...opts.scheduler }, ...(driverDomain ? { driverDomain } : {}) },
    vms: vms.map((v, i) => ({ id: `vm${i}`, vcpus: 1, memoryMiB: 1024, ...v })),
    durationMs: opts.durationMs,
    warmupMs: opts.warmupMs ?? WARMUP_MS,
    seed: opts.seed ?? 1,
  });
}

/** cfsScenario builds a kvm-cfs host scenario. */
export function cfsScenario(
  cores: number,
  vms: VmIn[],
  opts: { durationMs: number; seed?: number; scheduler?: Partial<Omit<KvmCfsParams, "kind">> },
): Scenario {
  return fairScenario("kvm-cfs", cores, vms, opts);
}

/** cfsParams returns the defaulted kvm-cfs parameters of a scenario's host. */
export function cfsParams(s: Scenario): KvmCfsParams {
  return KvmCfsSchema.parse(s.host.scheduler);
}

export const hog = { kind: "cpu", dutyCycle: 1 } as const;

/** sleepy is the spec's CPU VM: bursts of b ms at duty d with +-20% jitter (fidelity 5, `cpu`). */
export function sleepy(dutyCycle: number, burstMs = 10) {
  return { kind: "cpu", dutyCycle, burstMs, burstDistribution: "jitter" } as const;
}

/** bobtailVms: issue 13's Bobtail cell, one io VM (400 req/s x 80 us) and 11 CPU VMs at duty 0.6 with 12 ms bursts. */
export function bobtailVms(): VmIn[] {
  return [{ workload: ioVm(400, 80) }, ...Array.from({ length: 11 }, () => ({ workload: sleepy(0.6, 12) }))];
}

/** ioVm is the Bobtail IO VM: Poisson requests of serviceUs CPU each. */
export function ioVm(requestsPerSec = 1000, serviceUs = 50) {
  return { kind: "io", requestsPerSec, serviceUs, arrival: "poisson" } as const;
}

/** ping1ms is the spec's 1 ms ping (fixed arrivals) with 50 us of service. */
export const ping1ms = { requestsPerSec: 1000, serviceUs: 50, arrival: "fixed" } as const;

/**
 * DispatchLog sits between host-sim and the policy and books each vCPU's on-CPU time after the
 * warm-up, from the dispatch calls themselves: the per-thread shares HostSimResult does not carry.
 */
export class DispatchLog {
  private onCpuUs: number[] = [];
  private sinceUs: number[] = [];
  private ctx: SchedContext | null = null;

  constructor(private readonly fromUs: number) {}

  /** wrap returns the policy with its context tapped. */
  wrap(inner: CpuScheduler): CpuScheduler {
    return {
      kind: inner.kind,
      start: (ctx) => inner.start(this.tap(ctx)),
      wake: (v) => inner.wake(v),
      block: (v, p) => inner.block(v, p),
      settle: () => inner.settle?.(),
    };
  }

  /** shares returns each vCPU's on-CPU time over the measured window ending at endUs, in CPUs. */
  shares(endUs: number): number[] {
    const ctx = this.ctx;
    if (ctx === null) throw new Error("DispatchLog: never started");
    for (let p = 0; p < ctx.nCpus; p++) {
      const v = ctx.running(p);
      if (v !== null) this.book(v, endUs);
    }
    return this.onCpuUs.map((us) => us / (endUs - this.fromUs));
  }

  private tap(ctx: SchedContext): SchedContext {
    this.ctx = ctx;
    this.onCpuUs = ctx.vcpus.map(() => 0);
    this.sinceUs = ctx.vcpus.map(() => 0);
    const dispatch = (p: number, v: number | null): void => {
      const prev = ctx.running(p);
      if (prev !== null && prev !== v) this.book(prev, ctx.now());
      if (v !== null && prev !== v) this.sinceUs[v] = ctx.now();
      ctx.dispatch(p, v);
    };
    // A halt-poll expiry done late (kvm-fair/lazy-poll.ts) books the poller's time up to its instant.
    const idle = (p: number, atUs: number): void => {
      const prev = ctx.running(p);
      if (prev !== null) this.book(prev, atUs);
      ctx.idle(p, atUs);
    };
    return {
      nCpus: ctx.nCpus,
      vcpus: ctx.vcpus,
      now: () => ctx.now(),
      at: (atUs, fn) => ctx.at(atUs, fn),
      timer: (atUs, fn, arg) => ctx.timer(atUs, fn, arg),
      cancelTimer: (id) => ctx.cancelTimer(id),
      dispatch,
      idle,
      chargesDriverWork: ctx.chargesDriverWork,
      running: (p) => ctx.running(p),
      onCpu: (v) => ctx.onCpu(v),
      hasWork: (v) => ctx.hasWork(v),
      count: (c, v) => ctx.count(c, v),
      random: () => ctx.random(),
    };
  }

  private book(v: number, nowUs: number): void {
    const from = Math.max(this.sinceUs[v], this.fromUs);
    if (nowUs > from) this.onCpuUs[v] += nowUs - from;
    this.sinceUs[v] = nowUs;
  }
}

/** cfsFactory builds kvm-cfs or kvm-eevdf (by the parameters' kind) with options no scenario field carries. */
export function cfsFactory(options: KvmCfsOptions, log?: DispatchLog): SchedulerFactory {
  return (params: SchedulerParams, nCpus: number) => {
    let policy: CpuScheduler;
    if (params.kind === "kvm-cfs") policy = createKvmCfs(params, nCpus, options);
    else if (params.kind === "kvm-eevdf") policy = createKvmEevdf(params, nCpus, options);
    else throw new Error(`cfsFactory: got ${params.kind} parameters`);
    return log ? log.wrap(policy) : policy;
  };
}

/** runWithLog simulates a scenario and also returns every vCPU's measured share of a CPU. */
export function runWithLog(s: Scenario, options: KvmCfsOptions = {}): { result: HostSimResult; vcpuShares: number[] } {
  const log = new DispatchLog(s.warmupMs * 1000);
  const result = simulateHost(s, { factory: cfsFactory(options, log) });
  return { result, vcpuShares: log.shares((s.warmupMs + s.durationMs) * 1000) };
}

/** mean of a list of numbers. */
export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
