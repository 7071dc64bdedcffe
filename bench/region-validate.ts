import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { loadavg } from "node:os";
import type { Cluster } from "../src/model/cluster.js";
import { checkPlan } from "../src/model/check-plan.js";
import { startRedis, startWorker, stopProcess, type TestWorker } from "../test/helpers/redis.js";
import { cpuSeconds } from "./proc-cpu.js";
import { runPlan } from "./region-plan.js";

/** Worker processes of one job slot each: this machine has 2 cores, so 2 slots use all of it. */
const WORKERS = 2;
const MINUTE_MS = 60_000;

/**
 * validateRegion: the 100,000-VM plan with its validation by re-simulation on the Redis queue,
 * served by WORKERS `vmplace worker` processes (the issue's "validation spreads over the
 * workers"). Prints the whole command's wall time, the validation's, the hosts simulated and
 * the jobs each worker ran (from its stop line), the SLO breaches before and after repairs, the
 * cost before and after repairs against the bound, the checker's findings on the validated plan,
 * and the slot time per simulated host, from which the workers a one-minute validation needs.
 */
export async function validateRegion(cli: string, file: string, cluster: Cluster, dir: string): Promise<void> {
  if (spawnSync("redis-server", ["--version"]).error) return console.log("validation on the Redis queue: skipped, redis-server is missing (apt-get install redis-server)");
  console.log(`validation on the Redis queue, ${WORKERS} \`vmplace worker\` processes of 1 slot each on this machine; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  const redis = await startRedis();
  const workers: TestWorker[] = [];
  try {
    for (let k = 0; k < WORKERS; k++) workers.push(await startWorker(redis.url, ["--concurrency", "1"]));
    const r = await runPlan(cli, ["plan", file, "--json", "--redis", redis.url, "--out", join(dir, "validated.json")]);
    const cpuS = workers.map((w) => cpuSeconds(w.proc.pid));
    for (const w of workers) await stopProcess(w.proc);
    const perWorker = workers.map((w) => Number(/stopped after (\d+) job/.exec(w.log())?.[1] ?? NaN));
    const jobs = perWorker.reduce((a, b) => a + b, 0);
    const v = r.plan.validation;
    const validateMs = r.plan.timings?.validateMs ?? NaN;
    const slotMsPerJob = (validateMs * WORKERS) / jobs;
    const cpuMsPerJob = (cpuS.reduce((a, b) => a + b, 0) * 1000) / jobs;
    const line = (k: string, s: string): void => console.log(`  ${k.padEnd(40)} ${s}`);
    line("whole command (wall)", `${r.wallS.toFixed(1)} s, peak RSS ${r.maxRssMiB.toFixed(0)} MiB, CPU ${r.cpuS.toFixed(1)} s (the submitter alone)`);
    line("search / validation (wall)", `${((r.plan.timings?.searchMs ?? NaN) / 1000).toFixed(1)} s / ${(validateMs / 1000).toFixed(1)} s`);
    line("validation", `${v.rounds} round(s), ${v.hostsSimulated} distinct hosts simulated for ${v.durationMs / 1000} s (+${v.warmupMs / 1000} s warm-up), ${v.repairs.length} repair move(s)${v.note ? `; ${v.note}` : ""}`);
    line("jobs per worker", `${perWorker.join(" + ")} = ${jobs} simulations; worker CPU ${cpuS.map((c) => `${c.toFixed(1)} s`).join(" + ")}`);
    line("simulated SLO breaches before / after", `${r.plan.slo.simulatedBreachesBefore ?? "-"} / ${r.plan.slo.simulatedBreachesAfter ?? "-"}`);
    line("cost before / after repairs, bound", `${v.costBefore ?? "-"} / ${r.plan.cost}, ${r.plan.lowerBound} (${r.plan.lowerBoundSource}); gap ${r.plan.gap === undefined ? "none" : `${(r.plan.gap * 100).toFixed(2)}%`}`);
    line("unplaced / checker findings", `${r.plan.counts.unplaced} / ${checkPlan(cluster, r.plan.assignments).length}`);
    line("per simulation", `${slotMsPerJob.toFixed(1)} ms of slot time (validation wall x ${WORKERS} slots / simulations, queue overhead and the machine's other load included), ${cpuMsPerJob.toFixed(1)} ms of worker CPU`);
    line("slots for a 1-minute validation", `${Math.ceil((jobs * slotMsPerJob) / MINUTE_MS)} at the slot time measured here, ${Math.ceil((jobs * cpuMsPerJob) / MINUTE_MS)} with a free core per slot (worker CPU per simulation)`);
  } finally {
    for (const w of workers) await stopProcess(w.proc);
    await redis.stop();
  }
}
