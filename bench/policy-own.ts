import { pathToFileURL } from "node:url";
import type { SchedulerKind } from "../src/model/scheduler.js";
import type { CpuScheduler, SchedContext, SchedCounter, TimerHandle, VcpuInfo } from "../src/sim/cpu-scheduler.js";
import { runHost } from "../src/sim/run-host.js";
import { createScheduler } from "../src/sim/schedulers/registry.js";
import { bobtailCell } from "./sim.js";

/**
 * A policy's own decision time, without the host machinery: the calls host-sim makes into a
 * policy on the Bobtail cell (wake, block, settle, and each of the policy's timers as it fires),
 * recorded once with their instants, are made again on a fresh policy whose context only keeps
 * the clock, a timer list and a hash of the dispatches and idles it is told. The replay's time is
 * the policy's own (sim-replay.ts measures the complement: the machinery with no policy), and its
 * dispatch hash must be the recorded run's. Only for policies that decide from their own state
 * (kvm-cfs, kvm-eevdf): one that asks host-sim about work (hasWork, running, onCpu) or draws from
 * the policy stream is not replayed.
 *
 * `node dist/bench/policy-own.js KIND MS REPS` prints {"cpuMs" (median of the warm replays, after
 * 3 warm-ups), "calls", "identical"}. Timing each call instead (performance.now around it) was
 * tried for a per-entry split and dropped: it perturbs the replay so much that the shares moved
 * by 20 points between runs; a sampling profile of the replay (--cpu-prof) splits it better.
 */

const WAKE = 0;
const BLOCK = 1;
const SETTLE = 2;
const TIMER = 3;
const WARMUPS = 3;

/** mix folds a dispatch (v >= 0), an idle (v = -1 - atUs) into the running hash. */
function mix(hash: number, p: number, v: number): number {
  return (Math.imul(hash, 31) + p * 1000 + v) | 0;
}

/** Recording: the calls (kind, instant, two arguments) in order, and the dispatch hash. */
interface Recording {
  readonly calls: Float64Array;
  readonly hash: number;
}

function unsupported(what: string): never {
  throw new Error(`policy-own: the policy asked host-sim ${what}; it cannot be replayed alone`);
}

/** record runs the cell once with `policy`, noting every call into it and every dispatch. */
function record(kind: SchedulerKind, ms: number): Recording {
  const scenario = bobtailCell(kind, ms);
  const inner = createScheduler(scenario.host.scheduler, scenario.host.cores);
  const calls: number[] = [];
  let hash = 0;
  let timers = 0;
  let host!: SchedContext;
  const note = (type: number, a: number, b: number): void => {
    calls.push(type, host.now(), a, b);
  };
  const ctxFor = (ctx: SchedContext): SchedContext => ({
    nCpus: ctx.nCpus,
    vcpus: ctx.vcpus,
    chargesDriverWork: ctx.chargesDriverWork,
    now: () => ctx.now(),
    at: () => unsupported("for a handle timer (at)"),
    timer: (atUs, fn, arg = 0) => {
      const seq = timers++;
      return ctx.timer(atUs, () => {
        note(TIMER, seq, 0);
        fn(arg);
      });
    },
    cancelTimer: (id) => ctx.cancelTimer(id),
    dispatch: (p, v) => {
      hash = mix(hash, p, v ?? -1);
      ctx.dispatch(p, v);
    },
    idle: (p, atUs) => {
      hash = mix(hash, p, -1 - atUs);
      ctx.idle(p, atUs);
    },
    running: () => unsupported("which vCPU runs"),
    onCpu: () => unsupported("where a vCPU runs"),
    hasWork: () => unsupported("for work"),
    count: (c: SchedCounter, v) => ctx.count(c, v),
    random: () => unsupported("for a random draw"),
  });
  const recorder: CpuScheduler = {
    kind: inner.kind,
    start(ctx) {
      host = ctx;
      inner.start(ctxFor(ctx));
    },
    wake(v) {
      note(WAKE, v, 0);
      inner.wake(v);
    },
    block(v, p) {
      note(BLOCK, v, p);
      inner.block(v, p);
    },
    settle() {
      note(SETTLE, 0, 0);
      inner.settle?.();
    },
  };
  runHost(scenario, recorder);
  return { calls: Float64Array.from(calls), hash };
}

/** ReplayContext is the stub host: a clock set per call, a timer list, a dispatch hash. */
class ReplayContext implements SchedContext {
  nowUs = 0;
  hash = 0;
  readonly fns: ((arg: number) => void)[] = [];
  readonly args: number[] = [];

  constructor(
    readonly nCpus: number,
    readonly vcpus: readonly VcpuInfo[],
  ) {}

  readonly chargesDriverWork = false;
  now(): number {
    return this.nowUs;
  }
  at(): TimerHandle {
    return unsupported("for a handle timer (at)");
  }
  timer(_atUs: number, fn: (arg: number) => void, arg = 0): number {
    this.fns.push(fn);
    this.args.push(arg);
    return this.fns.length - 1;
  }
  cancelTimer(): void {}
  dispatch(p: number, v: number | null): void {
    this.hash = mix(this.hash, p, v ?? -1);
  }
  idle(p: number, atUs: number): void {
    this.hash = mix(this.hash, p, -1 - atUs);
  }
  running(): number | null {
    return unsupported("which vCPU runs");
  }
  onCpu(): number {
    return unsupported("where a vCPU runs");
  }
  hasWork(): boolean {
    return unsupported("for work");
  }
  count(): void {}
  random(): number {
    return unsupported("for a random draw");
  }
}

/** replay makes the recorded calls on a fresh policy, timed as a whole. */
function replay(kind: SchedulerKind, ms: number, rec: Recording): { cpuMs: number; identical: boolean } {
  const scenario = bobtailCell(kind, ms);
  const policy = createScheduler(scenario.host.scheduler, scenario.host.cores);
  // The vCPU list as host-sim builds it (VMs in order, their vCPUs in order).
  const vcpus: VcpuInfo[] = [];
  scenario.vms.forEach((vm, vmIndex) => {
    for (let k = 0; k < vm.vcpus; k++) vcpus.push({ index: vcpus.length, vmIndex, vcpuInVm: k, vm });
  });
  const ctx = new ReplayContext(scenario.host.cores, vcpus);
  policy.start(ctx);
  const c = rec.calls;
  const c0 = process.cpuUsage();
  for (let i = 0; i < c.length; i += 4) {
    ctx.nowUs = c[i + 1];
    const type = c[i];
    if (type === WAKE) policy.wake(c[i + 2]);
    else if (type === BLOCK) policy.block(c[i + 2], c[i + 3]);
    else if (type === SETTLE) policy.settle?.();
    else ctx.fns[c[i + 2]](ctx.args[c[i + 2]]);
  }
  const used = process.cpuUsage(c0);
  return { cpuMs: (used.user + used.system) / 1000, identical: ctx.hash === rec.hash };
}

/** policyOwn records `kind` on the cell of `ms` and replays it WARMUPS + reps times. */
export function policyOwn(kind: SchedulerKind, ms: number, reps: number): { cpuMs: number; calls: number; identical: boolean } {
  const rec = record(kind, ms);
  const times: number[] = [];
  let identical = true;
  for (let i = 0; i < WARMUPS + reps; i++) {
    const r = replay(kind, ms, rec);
    identical &&= r.identical;
    if (i >= WARMUPS) times.push(r.cpuMs);
  }
  times.sort((a, b) => a - b);
  return { cpuMs: times[Math.floor(times.length / 2)], calls: rec.calls.length / 4, identical };
}

async function main(): Promise<void> {
  const [kind, ms, reps] = process.argv.slice(2);
  const k = kind as SchedulerKind;
  const cellMs = Number(ms ?? 120_000);
  console.log(JSON.stringify(policyOwn(k, cellMs, Math.max(1, Number(reps ?? 5)))));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
