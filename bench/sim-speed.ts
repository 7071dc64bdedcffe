import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Scenario } from "../src/model/scenario.js";
import type { SchedulerKind } from "../src/model/scheduler.js";
import { baselineDist, loadBuild, type SimBuild } from "./sim-baseline.js";
import { benchSimCli } from "./sim-cli.js";
import { bobtailCell, queuePairsPerSec } from "./sim.js";

/** The issue's speed cell: the Bobtail cell over 600 s measured (plus its 2 s warm-up). */
const SPEED_CELL_MS = 600_000;
/** In-process runs per build and cell (SIM_REPS); the first of each is JIT warm-up, not counted. */
const REPS = Math.max(2, Number(process.env.SIM_REPS ?? 6));
/** Fresh-process runs per build and cell (SIM_COLD_REPS): one `vmplace simulate` call each. */
const COLD_REPS = Number(process.env.SIM_COLD_REPS ?? 3);
const QUEUE_OPS = 2_000_000;
const QUEUE_REPS = 3;

/**
 * Mean pending events at push time over a run of the cell (a census of Simulator.scheduleAt
 * calls on these scenarios): the bare queue is timed at this size, so "simulator / bare queue"
 * compares like with like (a smaller heap is faster, so this is the stricter comparison).
 * credit1 was 27.6 while its ticks were events (main at 6df27fa), 20.0 since they are owed.
 */
const PENDING: Partial<Record<SchedulerKind, number>> = { "xen-credit": 20.0, "kvm-cfs": 12.4 };

/** Times of one build on one cell: warm (in process) and cold (fresh process), wall and CPU. */
interface Runs {
  warm: { wallMs: number[]; cpuMs: number[] };
  cold: { wallMs: number[]; cpuMs: number[] };
  events: number;
  json: string;
}

/**
 * benchSimSpeed times the simulator on the 600 s Bobtail cell under credit1 and CFS: this build
 * side by side with a baseline build (sim-baseline.ts: by default main before the speed work,
 * compiled into the temp directory), runs interleaved. Warm: runs in this process after one
 * warm-up run per build. Cold: one run per fresh process, as a `vmplace simulate` call has it
 * (JIT warm-up included). CPU time (process user + system, JIT and GC threads included) is shown
 * beside wall time because it is steadier on a shared machine. It prints simulated seconds per
 * second, events/s against the bare event queue timed in the same run at the cell's queue size,
 * the speed-ups, and whether both builds' results are byte-identical apart from eventsProcessed
 * (the internal event count, printed beside).
 */
export async function benchSimSpeed(line: (k: string, v: string) => void): Promise<void> {
  const currentDist = dirname(dirname(fileURLToPath(import.meta.url)));
  const current = await loadBuild("this build", currentDist);
  const base = baselineDist();
  const baseline = base.dir === null ? null : await loadBuild(`baseline (${base.label})`, base.dir);
  line("speed baseline", baseline ? base.dir ?? "" : `none: ${base.dir === null ? base.reason : ""}`);
  line("runs per build and cell", `${REPS - 1} warm (+1 warm-up), ${COLD_REPS} cold; interleaved; read medians`);
  const dists = [...(baseline && base.dir !== null ? [base.dir] : []), currentDist];
  const builds = baseline ? [baseline, current] : [current];
  for (const kind of ["xen-credit", "kvm-cfs"] as const) {
    const scenario = bobtailCell(kind, SPEED_CELL_MS);
    const runs = builds.map(emptyRuns);
    for (let r = 0; r < REPS; r++)
      for (const i of alternating(builds.length, r)) warmRun(builds[i], scenario, runs[i], r > 0);
    for (let r = 0; r < COLD_REPS; r++)
      for (const i of alternating(builds.length, r)) coldRun(currentDist, dists[i], kind, runs[i]);
    const size = Math.round(PENDING[kind] ?? 32);
    const timed = Array.from({ length: QUEUE_REPS }, () => timedQueue(size));
    const pairs = { wall: median(timed.map((t) => t.wall)), cpu: median(timed.map((t) => t.cpu)) };
    report(line, kind, scenario, builds, runs, { size, pairs });
    if (kind === "xen-credit") benchSimCli(line, scenario, dists.map((dir, i) => ({ label: builds[i].label, dir })));
  }
}

function emptyRuns(): Runs {
  return { warm: { wallMs: [], cpuMs: [] }, cold: { wallMs: [], cpuMs: [] }, events: 0, json: "" };
}

/** alternating orders the builds A B in even rounds and B A in odd ones, so drift hits both alike. */
function alternating(n: number, round: number): number[] {
  return Array.from({ length: n }, (_, i) => (round % 2 === 0 ? i : n - 1 - i));
}

function warmRun(build: SimBuild, s: Scenario, into: Runs, counted: boolean): void {
  const policy = build.createScheduler(s.host.scheduler, s.host.cores);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = build.runHost(s, policy);
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (counted) {
    into.warm.wallMs.push(wallMs);
    into.warm.cpuMs.push((c.user + c.system) / 1000);
  }
  const { eventsProcessed, ...visible } = result;
  into.events = eventsProcessed;
  // eventsProcessed is the simulator's own work, which a speed change may cut (byte-identity.test.ts).
  if (into.json === "") into.json = JSON.stringify(visible);
}

function coldRun(currentDist: string, dist: string, kind: SchedulerKind, into: Runs): void {
  const script = join(currentDist, "bench/sim-cold.js");
  const out = execFileSync(process.execPath, [script, dist, kind, String(SPEED_CELL_MS)], { encoding: "utf8" });
  const { wallMs, cpuMs } = JSON.parse(out) as { wallMs: number; cpuMs: number };
  into.cold.wallMs.push(wallMs);
  into.cold.cpuMs.push(cpuMs);
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
  const rate = (ms: number[]): string => (simSec / (median(ms) / 1000)).toFixed(0);
  const cell = `bobtail, ${s.host.cores} cores, ${s.vms.length} VMs, ${simSec} s simulated (warm-up included)`;
  line(`speed cell ${kind}`, cell);
  builds.forEach((b, i) => {
    const { warm, cold } = runs[i];
    line(
      `  ${b.label}`,
      `sim s per s: warm ${rate(warm.wallMs)} wall, ${rate(warm.cpuMs)} CPU; ` +
        `cold ${cold.wallMs.length ? `${rate(cold.wallMs)} wall, ${rate(cold.cpuMs)} CPU` : "not run"}`,
    );
  });
  const cur = runs[runs.length - 1];
  const perWall = cur.events / (median(cur.warm.wallMs) / 1000);
  const perCpu = cur.events / (median(cur.warm.cpuMs) / 1000);
  line("  events; events/s (warm)", `${cur.events}; ${fmt(perWall)} per wall s, ${fmt(perCpu)} per CPU s`);
  const { wall, cpu } = queue.pairs;
  line(`  bare queue push+pop/s (size ${queue.size})`, `${fmt(wall)} per wall s, ${fmt(cpu)} per CPU s`);
  line(
    "  simulator / bare queue",
    `${(perWall / wall).toFixed(3)} wall, ${(perCpu / cpu).toFixed(3)} CPU (goal >= 0.7)`,
  );
  if (runs.length < 2) return;
  const before = runs[0];
  const x = (a: number[], b: number[]): string => (b.length ? `${(median(a) / median(b)).toFixed(2)}x` : "-");
  line(
    "  speed-up (goal >= 1.5x)",
    `warm ${x(before.warm.wallMs, cur.warm.wallMs)} wall, ${x(before.warm.cpuMs, cur.warm.cpuMs)} CPU; ` +
      `cold ${x(before.cold.wallMs, cur.cold.wallMs)} wall, ${x(before.cold.cpuMs, cur.cold.cpuMs)} CPU`,
  );
  const same = before.json === cur.json;
  line("  VM-visible output byte-identical", `${same ? "yes" : "NO"} (events ${before.events} baseline, ${cur.events} this build)`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`;
}
