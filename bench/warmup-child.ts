import { calibrationPlan, DEFAULT_SPEC, specFromSeed } from "../src/interference/calibrate.js";
import { warmupJobs } from "../src/runtime/sim-warmup.js";
import type { SimJob } from "../src/sim/runner.js";
import { simulateHost } from "../src/sim/simulate-host.js";

/**
 * One measurement for bench/warmup.ts, in a fresh process (a fresh V8 isolate, as a fresh worker
 * thread is): `node warmup-child.js MS` runs the worker's warm-up set with MS-long simulations
 * (0: none), then the bench's 3 s calibration sweep twice, and prints the CPU seconds of each
 * phase as one JSON line. CPU includes V8's background compiler threads, and unlike wall time it
 * does not grow with the machine's other load.
 */
const ms = Number(process.argv[2]);
const cpuS = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const run = (jobs: readonly SimJob[]): number => {
  const c0 = cpuS();
  for (const j of jobs) simulateHost(j.scenario, j.options);
  return cpuS() - c0;
};
const sweep = calibrationPlan(specFromSeed(DEFAULT_SPEC.fitSeeds[0], 1, { ...DEFAULT_SPEC, durationMs: 3000, seedsPerCase: 1 })).jobs;
const warmup = ms > 0 ? warmupJobs(ms) : [];
const warmupS = run(warmup);
const firstS = run(sweep);
const secondS = run(sweep);
console.log(JSON.stringify({ jobs: warmup.length, warmupS, firstS, secondS }));
