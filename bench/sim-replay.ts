import { pathToFileURL } from "node:url";
import type { HostSimResult } from "../src/model/scenario.js";
import type { SchedulerKind } from "../src/model/scheduler.js";
import type { CpuScheduler, SchedContext, SchedCounter, TimerHandle, VcpuInfo } from "../src/sim/cpu-scheduler.js";
import { runHost } from "../src/sim/run-host.js";
import { createScheduler } from "../src/sim/schedulers/registry.js";
import { bobtailCell } from "./sim.js";

/**
 * The host machinery's share of a policy's run: a policy's dispatches and counter bumps, recorded
 * once, are replayed by a policy that decides nothing (Replay), so the replay's time is what the
 * shared code (host-sim, workloads, event queue, observer) costs under that policy's exact switch
 * sequence, and the rest of the policy's time is its own decisions. The replay's output is checked
 * against the recorded run's, byte for byte: the same switches at the same instants.
 */

/**
 * One op of a policy call: a dispatch (p, v; v -1 for idle), a counter bump (counter, v), or an
 * idle as of an earlier instant (p, atUs: a halt-poll window that ended before the call, which
 * the fair class closes late, lazy-poll.ts).
 */
const DISPATCH = 0;
const COUNT = 1;
const IDLE = 2;
const COUNTERS: readonly SchedCounter[] = ["boost", "preemption", "throttle"];

/** Recording: the ops of each wake and block call in call order, and of the policy's own timers. */
interface Recording {
  kind: CpuScheduler["kind"];
  calls: Int32Array[];
  timed: { atUs: number; ops: Int32Array }[];
}

/** Recorder wraps a policy and keeps what it did, grouped by the call or timer instant that did it. */
class Recorder implements CpuScheduler {
  readonly kind: CpuScheduler["kind"];
  readonly calls: Int32Array[] = [];
  readonly timed: { atUs: number; ops: Int32Array }[] = [];
  private ops: number[] = [];
  private inCall = false;
  private ctx!: SchedContext;

  constructor(private readonly inner: CpuScheduler) {
    this.kind = inner.kind;
  }

  start(ctx: SchedContext): void {
    this.ctx = ctx;
    this.inner.start(new RecordingContext(ctx, this));
  }

  wake(v: number): void {
    this.call(() => this.inner.wake(v));
  }

  block(v: number, p: number): void {
    this.call(() => this.inner.block(v, p));
  }

  /** settle is a call too: host-sim makes it where it reads a pCPU the policy may owe an idle. */
  settle(): void {
    this.call(() => this.inner.settle?.());
  }

  private call(run: () => void): void {
    this.closeTimed();
    this.inCall = true;
    run();
    this.inCall = false;
    this.calls.push(Int32Array.from(this.ops));
    this.ops = [];
  }

  /** op records one op; outside a call it belongs to the timers of the current instant. */
  op(kind: number, a: number, b: number): void {
    if (!this.inCall && this.ops.length === 0) this.timed.push({ atUs: this.ctx.now(), ops: new Int32Array(0) });
    this.ops.push(kind, a, b);
  }

  /** closeTimed ends the timer ops of an instant: a call or a later instant starts a new entry. */
  closeTimed(): void {
    if (this.inCall || this.ops.length === 0) return;
    this.timed[this.timed.length - 1].ops = Int32Array.from(this.ops);
    this.ops = [];
  }

  recording(): Recording {
    this.closeTimed();
    return { kind: this.kind, calls: this.calls, timed: this.timed };
  }
}

/** RecordingContext is host-sim's context as the recorded policy sees it, ops written down. */
class RecordingContext implements SchedContext {
  private lastTimedUs = -1;

  constructor(
    private readonly ctx: SchedContext,
    private readonly rec: Recorder,
  ) {}

  get nCpus(): number {
    return this.ctx.nCpus;
  }
  get vcpus(): readonly VcpuInfo[] {
    return this.ctx.vcpus;
  }
  get chargesDriverWork(): boolean {
    return this.ctx.chargesDriverWork;
  }
  now(): number {
    return this.ctx.now();
  }
  at(atUs: number, fn: () => void): TimerHandle {
    return this.ctx.at(atUs, fn);
  }
  timer(atUs: number, fn: (arg: number) => void, arg?: number): number {
    return this.ctx.timer(atUs, fn, arg);
  }
  cancelTimer(id: number): void {
    this.ctx.cancelTimer(id);
  }
  advance(atUs: number): boolean {
    return this.ctx.advance?.(atUs) ?? false;
  }
  dispatch(p: number, v: number | null): void {
    this.note(DISPATCH, p, v ?? -1);
    this.ctx.dispatch(p, v);
  }
  idle(p: number, atUs: number): void {
    this.note(IDLE, p, atUs);
    this.ctx.idle(p, atUs);
  }
  running(p: number): number | null {
    return this.ctx.running(p);
  }
  onCpu(v: number): number {
    return this.ctx.onCpu(v);
  }
  hasWork(v: number): boolean {
    return this.ctx.hasWork(v);
  }
  count(counter: SchedCounter, v: number): void {
    this.note(COUNT, COUNTERS.indexOf(counter), v);
    this.ctx.count(counter, v);
  }
  random(): number {
    return this.ctx.random();
  }

  private note(kind: number, a: number, b: number): void {
    // Timer ops of a new instant start a new entry.
    const now = this.ctx.now();
    if (now !== this.lastTimedUs) this.rec.closeTimed();
    this.lastTimedUs = now;
    this.rec.op(kind, a, b);
  }
}

/**
 * Replay does what the recording says: each wake and block call's ops, and each instant's timer
 * ops from a timer of its own (run in place by advance when nothing else is due first, as
 * OwnTimers does). It keeps no state but its cursors.
 */
class Replay implements CpuScheduler {
  readonly kind: CpuScheduler["kind"];
  private ctx!: SchedContext;
  private nextCall = 0;
  private nextTimed = 0;

  constructor(private readonly rec: Recording) {
    this.kind = rec.kind;
  }

  start(ctx: SchedContext): void {
    this.ctx = ctx;
    if (this.rec.timed.length > 0) ctx.timer(this.rec.timed[0].atUs, this.onTimer);
  }

  wake(): void {
    this.apply(this.rec.calls[this.nextCall++]);
  }

  block(): void {
    this.apply(this.rec.calls[this.nextCall++]);
  }

  settle(): void {
    this.apply(this.rec.calls[this.nextCall++]);
  }

  private apply(ops: Int32Array): void {
    const ctx = this.ctx;
    for (let i = 0; i < ops.length; i += 3) {
      const v = ops[i + 2];
      if (ops[i] === DISPATCH) ctx.dispatch(ops[i + 1], v < 0 ? null : v);
      else if (ops[i] === IDLE) ctx.idle(ops[i + 1], v);
      else ctx.count(COUNTERS[ops[i + 1]], v);
    }
  }

  private readonly onTimer = (): void => {
    const timed = this.rec.timed;
    for (;;) {
      this.apply(timed[this.nextTimed++].ops);
      if (this.nextTimed === timed.length) return;
      // Two entries of one instant had a call between them: the queue orders that call first.
      const atUs = timed[this.nextTimed].atUs;
      if (atUs === this.ctx.now() || !(this.ctx.advance?.(atUs) ?? false)) {
        this.ctx.timer(atUs, this.onTimer);
        return;
      }
    }
  };
}

/**
 * replayCell records `kind` on the Bobtail cell of `ms` and replays it `reps` times (the first a
 * warm-up when reps > 1): the fastest replay's CPU time and whether every replay's output is the
 * recorded run's byte for byte (eventsProcessed aside).
 */
export function replayCell(kind: SchedulerKind, ms: number, reps: number): { cpuMs: number; identical: boolean } {
  const visible = (r: HostSimResult): string => JSON.stringify({ ...r, eventsProcessed: 0 });
  const scenario = bobtailCell(kind, ms);
  const recorder = new Recorder(createScheduler(scenario.host.scheduler, scenario.host.cores));
  const recorded = visible(runHost(scenario, recorder));
  const rec = recorder.recording();
  let cpuMs = Infinity;
  let identical = true;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const result = runHost(bobtailCell(kind, ms), new Replay(rec));
    const c = process.cpuUsage(c0);
    if (reps === 1 || i > 0) cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
    identical &&= visible(result) === recorded;
  }
  return { cpuMs, identical };
}

/** `node sim-replay.js KIND MS REPS` prints replayCell's answer as one JSON line (bench/sim.ts). */
async function main(): Promise<void> {
  const [kind, ms, reps] = process.argv.slice(2);
  console.log(JSON.stringify(replayCell(kind as SchedulerKind, Number(ms), Math.max(1, Number(reps ?? 1)))));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
