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
import { startRedis, startWorker, stopProcess, type TestRedis, type TestWorker } from "../test/helpers/redis.js";

/** The 1,000-host validation: every host of data/generated-large.json with a latency-sensitive VM, as `vmplace plan` validates it. */
const LARGE = "data/generated-large.json";
const VALIDATE_MS = 3000;
const VALIDATE_WARMUP_MS = 1000;
/** The small but real calibration sweep: one fitting and one held-out generator seed, one 3 s run per host (the shipped model uses 40 + 40 seeds and 3 runs of 30 s). */
const SWEEP = { ...DEFAULT_SPEC, durationMs: 3000, seedsPerCase: 1 };
const TRIVIAL_JOBS = 2000;

interface Workload {
  name: string;
  jobs: (round: number) => SimJob[];
  rounds: number;
}

interface Measure {
  wallMs: number;
  /** Sum of the jobs' time on a worker thread (Redis runs only). */
  runMs?: number;
}

/**
 * benchScale: the Redis/BullMQ backend against the local pool on this machine. For each workload:
 * local pool with 1 and 2 threads, Redis with 1 and with 2 `vmplace worker` processes of one
 * thread each (so "2 workers" means two machines' worth of slots, not more threads per process).
 * Per-job queue overhead two ways: the time a Redis worker slot was not simulating, per job
 * ((wall - summed run time) / jobs, one slot), and Redis 1 worker against the local pool with 1
 * thread ((wall difference) / jobs). Trivial jobs (~0.1 ms of simulation) show the overhead bare.
 */
export async function benchScale(): Promise<void> {
  const line = (k: string, v: string): void => console.log(`scale  ${k.padEnd(52)} ${v}`);
  if (spawnSync("redis-server", ["--version"]).error) return line("skipped", "redis-server is missing (apt-get install redis-server)");
  line("machine", `${availableParallelism()} cores, shared: load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at start`);
  const redis = await startRedis();
  try {
    for (const w of [trivial(), sweep(), validation()]) await benchWorkload(w, redis, line);
  } finally {
    await redis.stop();
  }
  line("machine", `load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at the end`);
}

async function benchWorkload(w: Workload, redis: TestRedis, line: (k: string, v: string) => void): Promise<void> {
  const n = w.jobs(0).length;
  const runs: Record<string, Measure[]> = { local1: [], local2: [], redis1: [], redis2: [] };
  // Rounds interleave the four set-ups, so a burst of load from the machine's other users hits all of them.
  for (let round = 0; round < w.rounds; round++) {
    runs.local1.push(await local(1, w.jobs(round)));
    runs.local2.push(await local(2, w.jobs(round)));
    runs.redis1.push(await remote(redis.url, 1, w.jobs(round)));
    runs.redis2.push(await remote(redis.url, 2, w.jobs(round)));
  }
  const best = (k: string): Measure => runs[k].reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const show = (k: string): string => {
    const all = runs[k].map((m) => (m.wallMs / 1000).toFixed(2)).join(", ");
    return `${(best(k).wallMs / 1000).toFixed(2)} s, ${(n / (best(k).wallMs / 1000)).toFixed(1)} jobs/s (best of ${runs[k].length}: ${all} s)`;
  };
  line(`${w.name}: jobs`, `${n}`);
  line(`${w.name}: local pool, 1 thread`, show("local1"));
  line(`${w.name}: local pool, 2 threads`, show("local2"));
  line(`${w.name}: Redis, 1 worker (1 thread)`, show("redis1"));
  line(`${w.name}: Redis, 2 workers (1 thread each)`, show("redis2"));
  const r1 = best("redis1");
  line(`${w.name}: mean simulation per job (worker)`, `${(r1.runMs! / n).toFixed(2)} ms`);
  line(`${w.name}: queue overhead per job (slot idle)`, `${((r1.wallMs - r1.runMs!) / n).toFixed(2)} ms (goal < 5 ms)`);
  line(`${w.name}: queue overhead per job (vs local 1)`, `${((r1.wallMs - best("local1").wallMs) / n).toFixed(2)} ms`);
  line(`${w.name}: 2 workers vs 1`, `${(r1.wallMs / best("redis2").wallMs).toFixed(2)}x (goal >= 1.7x; local 2 threads vs 1 on this machine now: ${(best("local1").wallMs / best("local2").wallMs).toFixed(2)}x)`);
}

async function local(threads: number, jobs: SimJob[]): Promise<Measure> {
  const pool = new WorkerPool(threads);
  try {
    await pool.runAll(jobs.slice(0, 4 * threads)); // warm the threads' JIT, as a long-running worker is
    return await timed(pool, jobs);
  } finally {
    await pool.close();
  }
}

async function remote(url: string, workers: number, jobs: SimJob[]): Promise<Measure> {
  const procs: TestWorker[] = [];
  let runMs = 0;
  const runner = await RedisRunner.connect(url, { onFinished: (r) => (runMs += r.runMs) });
  try {
    for (let k = 0; k < workers; k++) procs.push(await startWorker(url, ["--concurrency", "1"]));
    // Warm-up jobs with other seeds: the measured jobs must not be found finished in Redis.
    await runner.runAll(jobs.slice(0, 4 * workers).map((j) => ({ ...j, scenario: { ...j.scenario, seed: j.scenario.seed + 1_000_000 } })));
    runMs = 0;
    const m = await timed(runner, jobs);
    return { ...m, runMs };
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
  return { name: "trivial jobs", rounds: 3, jobs: (round) => Array.from({ length: TRIVIAL_JOBS }, (_, k) => job(round * TRIVIAL_JOBS + k + 1, k)) };
}

function sweep(): Workload {
  return { name: "calibration sweep", rounds: 2, jobs: (round) => calibrationPlan(specFromSeed(DEFAULT_SPEC.fitSeeds[0] + round, 1, SWEEP)).jobs };
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
    rounds: 2,
    jobs: (round) => validated.map((host) => ({ scenario: { host, vms: onHost.get(host.id)!, durationMs: VALIDATE_MS, warmupMs: VALIDATE_WARMUP_MS, seed: cluster.policy.seed + round } })),
  };
}
