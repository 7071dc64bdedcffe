import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { calibrationPlan, DEFAULT_SPEC, specFromSeed } from "../src/interference/calibrate.js";
import type { Cluster } from "../src/model/cluster.js";
import { ScenarioSchema } from "../src/model/scenario.js";
import { parseCluster } from "../src/model/validate.js";
import { RedisRunner } from "../src/runtime/redis-runner.js";
import { WorkerPool } from "../src/runtime/sim-pool.js";
import type { SimJob, SimRunner } from "../src/sim/runner.js";
import { cpuSeconds } from "./proc-cpu.js";
import { startRedis, startWorker, stopProcess, type TestRedis, type TestWorker } from "../test/helpers/redis.js";

/** The 1,000-host validation: every host of data/generated-large.json with a latency-sensitive VM, as `vmplace plan` validates it. */
const LARGE = "data/generated-large.json";
const VALIDATE_MS = 3000;
const VALIDATE_WARMUP_MS = 1000;
/**
 * The calibration sweep, small: one fitting and one held-out generator seed, one 3 s run per host
 * (158 jobs, ~2 s of simulation). The shipped model uses 40 + 40 seeds and 3 runs of 30 s (12,408
 * jobs, ~10x longer each), so this one is dominated by fixed costs; it is measured cold and warm.
 */
// No credit2-only conformal seeds: the bench sweeps keep the hosts they measured before model-v6.
const SWEEP_SMALL = { ...DEFAULT_SPEC, credit2ConformalSeeds: [], durationMs: 3000, seedsPerCase: 1 };
/** The same hosts at the shipped run length, one 30 s run each (158 jobs, ~15 s of simulation). */
const SWEEP_SHIPPED_RUN = { ...DEFAULT_SPEC, credit2ConformalSeeds: [], durationMs: 30_000, seedsPerCase: 1 };
const TRIVIAL_JOBS = 2000;

/**
 * A pass is one measured runAll on the same threads or worker processes, in order: "cold" is the
 * first work fresh ones see; a later pass ("warm") runs the same jobs again on the now-warm ones.
 * V8 compiles the simulator per thread (0.6-1 s of CPU per fresh thread on the sweep's four
 * scheduler kinds, part of it on V8's background threads), which a short sweep cannot amortise.
 * A `vmplace worker` now pays it before its ready line (its warm-up, sim-warmup.ts), and the bench
 * times nothing before that line: "cold" Redis figures are freshly started workers after their
 * ready line; the `--no-warmup` rows keep the old cold figure (workers that take jobs at once).
 */
interface Workload {
  name: string;
  /** What the jobs are, printed once. */
  about: string;
  rounds: number;
  /** Jobs per slot run before the first pass (0: the first pass is cold). */
  warmupPerSlot: number;
  /** Names of the passes when more than one is measured; [] is one unnamed pass. */
  passes: string[];
  /** Also measure workers started with --no-warmup (the cold figures before the worker warmed up). */
  noWarmupRows: boolean;
  jobs: (round: number, pass: number) => SimJob[];
}

interface Measure {
  wallMs: number;
  /** Sum of the jobs' time on a worker thread (Redis runs only). */
  runMs?: number;
  /** Jobs a worker finished for this pass (Redis runs only): every one, or a result was reused. */
  ran?: number;
  /** CPU of the worker processes over the pass, all threads (Redis runs only): load does not inflate it. */
  cpuS?: number;
}

interface Setup {
  key: string;
  label: string;
  slots: number;
  /** Worker arguments beyond --concurrency 1; undefined: the local pool. */
  worker?: string[];
}

const LOCAL1: Setup = { key: "local1", label: "local pool, 1 thread", slots: 1 };
const LOCAL2: Setup = { key: "local2", label: "local pool, 2 threads", slots: 2 };
const REDIS1: Setup = { key: "redis1", label: "Redis, 1 worker (1 thread)", slots: 1, worker: [] };
const REDIS2: Setup = { key: "redis2", label: "Redis, 2 workers (1 thread each)", slots: 2, worker: [] };
const COLD1: Setup = { key: "cold1", label: "Redis, 1 worker --no-warmup", slots: 1, worker: ["--no-warmup"] };
const COLD2: Setup = { key: "cold2", label: "Redis, 2 workers --no-warmup", slots: 2, worker: ["--no-warmup"] };

type Line = (k: string, v: string) => void;
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(" ");

/**
 * benchScale: the Redis/BullMQ backend against the local pool on this machine. For each workload:
 * local pool with 1 and 2 threads, Redis with 1 and with 2 `vmplace worker` processes of one
 * thread each (so "2 workers" means two machines' worth of slots, not more threads per process).
 * Per-job queue overhead two ways: the time a Redis worker slot was not simulating, per job
 * ((wall - summed run time) / jobs, one slot), and Redis 1 worker against the local pool with 1
 * thread ((wall difference) / jobs). Trivial jobs (~0.1 ms of simulation) show the overhead bare.
 * `VMPLACE_BENCH_SCALE=sweep3,sweep30` (any of trivial, sweep3, sweep30, validation) runs only those.
 */
export async function benchScale(): Promise<void> {
  const line: Line = (k, v) => console.log(`scale  ${k.padEnd(58)} ${v}`);
  if (spawnSync("redis-server", ["--version"]).error) return line("skipped", "redis-server is missing (apt-get install redis-server)");
  line("machine", `${availableParallelism()} cores, load average ${load()} at start (ratios mean little above ~0.5)`);
  line("timing", "Redis runs are timed from after every worker printed its ready line (after its warm-up, unless --no-warmup)");
  const only = process.env.VMPLACE_BENCH_SCALE?.split(",");
  const workloads: [string, () => Workload][] = [["trivial", trivial], ["sweep3", sweep], ["sweep30", sweepShippedRun], ["validation", validation]];
  const redis = await startRedis();
  try {
    for (const [name, w] of workloads) if (!only || only.includes(name)) await benchWorkload(w(), redis, line);
  } finally {
    await redis.stop();
  }
  line("machine", `load average ${load()} at the end`);
}

async function benchWorkload(w: Workload, redis: TestRedis, line: Line): Promise<void> {
  const n = w.jobs(0, 0).length;
  const setups = [LOCAL1, LOCAL2, REDIS1, REDIS2, ...(w.noWarmupRows ? [COLD1, COLD2] : [])];
  // runs[setup][pass]: one Measure per round.
  const passes = w.passes.length > 0 ? w.passes.map((p) => `${w.name}, ${p}`) : [w.name];
  const runs = new Map(setups.map((s) => [s.key, passes.map((): Measure[] => [])]));
  const loadBefore = load();
  // Rounds interleave the set-ups, so a burst of load from the machine's other users hits all of them.
  for (let round = 0; round < w.rounds; round++)
    for (const s of setups) {
      const jobs = passes.map((_, p) => w.jobs(round, p));
      const ms = s.worker ? await remote(redis.url, s.slots, s.worker, w.warmupPerSlot, jobs) : await local(s.slots, w.warmupPerSlot, jobs);
      ms.forEach((m, p) => runs.get(s.key)![p].push(m));
    }
  line(`${w.name}: jobs`, `${n}: ${w.about}; load average ${loadBefore} before, ${load()} after`);
  passes.forEach((name, p) => report(name, n, setups, (s) => runs.get(s.key)![p], line));
}

function report(name: string, n: number, setups: Setup[], of: (s: Setup) => Measure[], line: Line): void {
  const best = (s: Setup): Measure => of(s).reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const show = (s: Setup): string => {
    const all = of(s).map((m) => (m.wallMs / 1000).toFixed(2)).join(", ");
    const cpu = s.worker ? `; worker CPU ${of(s).map((m) => m.cpuS!.toFixed(2)).join(", ")} s` : "";
    return `${(best(s).wallMs / 1000).toFixed(2)} s, ${(n / (best(s).wallMs / 1000)).toFixed(1)} jobs/s (best of ${of(s).length}: ${all} s${cpu})`;
  };
  for (const s of setups) line(`${name}: ${s.label}`, show(s));
  const r1 = best(REDIS1);
  const reused = setups.filter((s) => s.worker).flatMap((s) => of(s)).filter((m) => m.ran !== n).length;
  if (reused > 0) line(`${name}: WARNING`, `${reused} Redis run(s) found results already in Redis: their times are too short`);
  line(`${name}: mean simulation per job (Redis worker)`, `${(r1.runMs! / n).toFixed(2)} ms`);
  line(`${name}: queue overhead per job (slot idle)`, `${((r1.wallMs - r1.runMs!) / n).toFixed(2)} ms (goal < 5 ms)`);
  line(`${name}: queue overhead per job (vs local 1)`, `${((r1.wallMs - best(LOCAL1).wallMs) / n).toFixed(2)} ms`);
  const ratio = (one: Setup, two: Setup): string => `${(best(one).wallMs / best(two).wallMs).toFixed(2)}x`;
  line(`${name}: 2 workers vs 1`, `${ratio(REDIS1, REDIS2)} (goal >= 1.7x; local 2 threads vs 1 in the same run: ${ratio(LOCAL1, LOCAL2)})`);
  if (setups.includes(COLD2)) line(`${name}: 2 workers vs 1, --no-warmup`, ratio(COLD1, COLD2));
}

async function local(threads: number, warmupPerSlot: number, passes: SimJob[][]): Promise<Measure[]> {
  const pool = new WorkerPool(threads);
  try {
    if (warmupPerSlot > 0) await pool.runAll(passes[0].slice(0, warmupPerSlot * threads));
    const out: Measure[] = [];
    for (const jobs of passes) out.push(await timed(pool, jobs));
    return out;
  } finally {
    await pool.close();
  }
}

async function remote(url: string, workers: number, args: string[], warmupPerSlot: number, passes: SimJob[][]): Promise<Measure[]> {
  const procs: TestWorker[] = [];
  let runMs = 0;
  let ran = 0;
  const runner = await RedisRunner.connect(url, {
    onFinished: (r) => {
      runMs += r.runMs;
      ran += 1;
    },
  });
  try {
    // startWorker returns once the worker printed its ready line ("serving queue"), after its warm-up.
    for (let k = 0; k < workers; k++) procs.push(await startWorker(url, ["--concurrency", "1", ...args]));
    // Warm-up jobs with other seeds: the measured jobs must not be found finished in Redis.
    if (warmupPerSlot > 0) await runner.runAll(passes[0].slice(0, warmupPerSlot * workers).map((j) => ({ ...j, scenario: { ...j.scenario, seed: j.scenario.seed + 1_000_000 } })));
    const out: Measure[] = [];
    const cpu = (): number => procs.reduce((sum, p) => sum + cpuSeconds(p.proc.pid), 0);
    for (const jobs of passes) {
      runMs = 0;
      ran = 0;
      const cpu0 = cpu();
      const m = await timed(runner, jobs);
      out.push({ ...m, runMs, ran, cpuS: cpu() - cpu0 });
    }
    return out;
  } finally {
    await runner.close();
    for (const p of procs) await stopProcess(p.proc);
  }
}

async function timed(runner: SimRunner, jobs: SimJob[]): Promise<Measure> {
  const t0 = performance.now();
  await runner.runAll(jobs);
  return { wallMs: performance.now() - t0 };
}

function trivial(): Workload {
  // One tiny VM for 1 ms of simulated time: about 0.1 ms of simulation, so the rest is overhead.
  const job = (seed: number, k: number): SimJob => ({
    scenario: ScenarioSchema.parse({ host: { id: `t${k}`, cores: 1, memoryMiB: 1024 }, vms: [{ id: "a", vcpus: 1, memoryMiB: 64, workload: { kind: "io", requestsPerSec: 100, serviceUs: 50 } }], durationMs: 1, warmupMs: 0, seed }),
  });
  return { name: "trivial jobs", about: "1 ms of simulated time each, after 4 warm-up jobs per slot", rounds: 3, warmupPerSlot: 4, passes: [], noWarmupRows: false, jobs: (round) => Array.from({ length: TRIVIAL_JOBS }, (_, k) => job(round * TRIVIAL_JOBS + k + 1, k)) };
}

// Every round and pass runs the same jobs, so the best of each set-up, cold or warm, is over the
// same work; the Redis runner removes the jobs it collected, so a later pass or round runs them
// again (`ran` checks it).
function sweep(): Workload {
  return {
    name: "sweep 3 s",
    about: "calibration sweep, 1 + 1 generator seeds, 1 run of 3 s per host; cold = fresh threads, or worker processes after their ready line; warm = the same ones' second run of it",
    rounds: 3,
    warmupPerSlot: 0,
    passes: ["cold", "warm"],
    noWarmupRows: true,
    jobs: () => calibrationPlan(specFromSeed(DEFAULT_SPEC.fitSeeds[0], 1, SWEEP_SMALL)).jobs,
  };
}

function sweepShippedRun(): Workload {
  return {
    name: "sweep 30 s",
    about: "the same hosts at the shipped run length, 1 run of 30 s per host, on fresh threads, or worker processes after their ready line (cold)",
    rounds: 2,
    warmupPerSlot: 0,
    passes: [],
    noWarmupRows: true,
    jobs: () => calibrationPlan(specFromSeed(DEFAULT_SPEC.fitSeeds[0], 1, SWEEP_SHIPPED_RUN)).jobs,
  };
}

function validation(): Workload {
  const r = parseCluster(JSON.parse(readFileSync(LARGE, "utf8")));
  if (!r.ok) throw new Error(`${LARGE} does not parse`);
  const cluster: Cluster = r.value;
  const onHost = new Map<string, Cluster["vms"]>();
  for (const v of cluster.vms) if (v.host) (onHost.get(v.host) ?? onHost.set(v.host, []).get(v.host)!).push(v);
  const validated = cluster.hosts.filter((h) => (onHost.get(h.id) ?? []).some((v) => v.workload.kind === "io" || v.workload.kind === "mixed"));
  return {
    name: "1,000-host validation",
    about: "data/generated-large.json's hosts with a latency-sensitive VM, 3 s + 1 s warm-up each, after 4 warm-up jobs per slot",
    rounds: 2,
    warmupPerSlot: 4,
    passes: [],
    noWarmupRows: false,
    jobs: (round) => validated.map((host) => ({ scenario: { host, vms: onHost.get(host.id)!, durationMs: VALIDATE_MS, warmupMs: VALIDATE_WARMUP_MS, seed: cluster.policy.seed + round } })),
  };
}
