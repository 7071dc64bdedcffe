import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Scenario } from "../src/model/scenario.js";
import type { SchedulerKind } from "../src/model/scheduler.js";
import { baselineDist, loadBuild, type SimBuild } from "./sim-baseline.js";
import { bobtailCell, queuePairsPerSec } from "./sim.js";

/** The speed cell: the Bobtail cell over 600 s measured (plus its 2 s warm-up). */
const SPEED_CELL_MS = 600_000;
/** Runs per build and cell (SIM_REPS); builds alternate A B B A ... so drift hits both alike. */
const REPS = Number(process.env.SIM_REPS ?? 5);
const QUEUE_OPS = 2_000_000;
const QUEUE_REPS = 3;

/**
 * Mean pending events at push time over a run of the cell (a census of Simulator.scheduleAt
 * calls on these scenarios): the bare queue is timed at this size, so "simulator / bare queue"
 * compares like with like (a smaller heap is faster, so this is the stricter comparison).
 */
const PENDING: Partial<Record<SchedulerKind, number>> = { "xen-credit": 27.6, "kvm-cfs": 12.4 };

interface Runs {
  wallMs: number[];
  /** Process CPU time (user + system, JIT and GC threads included): steadier on a shared machine. */
  cpuMs: number[];
  events: number;
  json: string;
}

/**
 * benchSimSpeed times the simulator on the 600 s Bobtail cell under credit1 and CFS: this build
 * side by side with a baseline build (sim-baseline.ts: by default main before the speed work,
 * compiled into the temp directory) in one process, runs interleaved. It prints simulated seconds
 * per wall second (median of the runs, best run, and the first run, which includes JIT warm-up as
 * one CLI call does), events/s against the bare event queue timed in the same run at the cell's
 * queue size, the speed-up, and whether both builds' results are byte-identical.
 */
export async function benchSimSpeed(line: (k: string, v: string) => void): Promise<void> {
  const current = await loadBuild("this build", dirname(dirname(fileURLToPath(import.meta.url))));
  const base = baselineDist();
  const baseline = base.dir === null ? null : await loadBuild(`baseline (${base.label})`, base.dir);
  line("speed baseline", baseline ? base.dir ?? "" : `none: ${base.dir === null ? base.reason : ""}`);
  line("runs per build and cell", `${REPS}, interleaved; the machine may be shared: read medians`);
  for (const kind of ["xen-credit", "kvm-cfs"] as const) {
    const scenario = bobtailCell(kind, SPEED_CELL_MS);
    const builds = baseline ? [baseline, current] : [current];
    const runs = builds.map((): Runs => ({ wallMs: [], cpuMs: [], events: 0, json: "" }));
    for (let r = 0; r < REPS; r++) {
      const order = builds.map((_, i) => (r % 2 === 0 ? i : builds.length - 1 - i));
      for (const i of order) timeRun(builds[i], scenario, runs[i]);
    }
    const size = Math.round(PENDING[kind] ?? 32);
    const timed = Array.from({ length: QUEUE_REPS }, () => timedQueue(size));
    const pairs = { wall: median(timed.map((t) => t.wall)), cpu: median(timed.map((t) => t.cpu)) };
    report(line, kind, scenario, builds, runs, { size, pairs });
  }
}

function timeRun(build: SimBuild, s: Scenario, into: Runs): void {
  const policy = build.createScheduler(s.host.scheduler, s.host.cores);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = build.runHost(s, policy);
  into.wallMs.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  into.cpuMs.push((c.user + c.system) / 1000);
  into.events = result.eventsProcessed;
  if (into.json === "") into.json = JSON.stringify(result);
}

/** timedQueue is the bare queue's push+pop pairs per wall second and per CPU second. */
function timedQueue(size: number): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const wall = queuePairsPerSec(size, QUEUE_OPS);
  const c = process.cpuUsage(c0);
  return { wall, cpu: QUEUE_OPS / ((c.user + c.system) / 1e6) };
}

function report(
  line: (k: string, v: string) => void,
  kind: SchedulerKind,
  s: Scenario,
  builds: SimBuild[],
  runs: Runs[],
  queue: { size: number; pairs: { wall: number; cpu: number } },
): void {
  const simSec = (s.warmupMs + s.durationMs) / 1000;
  const rate = (ms: number): string => (simSec / (ms / 1000)).toFixed(0);
  line(`speed cell ${kind}`, `bobtail, ${s.host.cores} cores, ${s.vms.length} VMs, ${simSec} s simulated (warm-up included)`);
  builds.forEach((b, i) => {
    const { wallMs: w, cpuMs: c } = runs[i];
    line(
      `  ${b.label}`,
      `sim s per wall s ${rate(median(w))} median, ${rate(Math.min(...w))} best, ${rate(w[0])} first run; ` +
        `per CPU s ${rate(median(c))} median, ${rate(c[0])} first run`,
    );
  });
  const cur = runs[runs.length - 1];
  const perWall = cur.events / (median(cur.wallMs) / 1000);
  const perCpu = cur.events / (median(cur.cpuMs) / 1000);
  line("  events; events/s (median run)", `${cur.events}; ${fmt(perWall)} per wall s, ${fmt(perCpu)} per CPU s`);
  line(`  bare queue push+pop/s (size ${queue.size})`, `${fmt(queue.pairs.wall)} per wall s, ${fmt(queue.pairs.cpu)} per CPU s`);
  line(
    "  simulator / bare queue",
    `${(perWall / queue.pairs.wall).toFixed(3)} wall, ${(perCpu / queue.pairs.cpu).toFixed(3)} CPU (goal >= 0.7)`,
  );
  if (runs.length < 2) return;
  const before = runs[0];
  const ratio = (a: number[], b: number[]): string => (median(a) / median(b)).toFixed(2);
  line(
    "  speed-up vs baseline",
    `wall ${ratio(before.wallMs, cur.wallMs)}x median (${(Math.min(...before.wallMs) / Math.min(...cur.wallMs)).toFixed(2)}x best, ` +
      `${(before.wallMs[0] / cur.wallMs[0]).toFixed(2)}x first run); CPU ${ratio(before.cpuMs, cur.cpuMs)}x median ` +
      `(${(before.cpuMs[0] / cur.cpuMs[0]).toFixed(2)}x first run) (goal >= 1.5x)`,
  );
  line("  byte-identical to baseline", before.json === cur.json ? "yes" : `NO (events ${before.events} vs ${cur.events})`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`;
}
