import { pathToFileURL } from "node:url";
import type { SchedulerKind } from "../src/model/scheduler.js";
import { loadBuild } from "./sim-baseline.js";
import { bobtailCell } from "./sim.js";

/**
 * One cold run for bench/sim-speed.ts, in a fresh process as a `vmplace simulate` call would have
 * it (JIT warm-up included): `node sim-cold.js DIST KIND MS` simulates the Bobtail cell with the
 * build in DIST and prints {"wallMs","cpuMs","events"} as one JSON line. With a fourth argument
 * REPS > 1 the first run is a warm-up and the fastest of the others is printed: one policy's
 * steady speed, with no other policy's code sharing the process's inline caches (bench/sim.ts).
 */
async function main(): Promise<void> {
  const [dist, kind, ms, reps] = process.argv.slice(2);
  const build = await loadBuild("cold", dist);
  const n = Math.max(1, Number(reps ?? 1));
  let best = { wallMs: Infinity, cpuMs: Infinity, events: 0 };
  for (let i = 0; i < n; i++) {
    const scenario = bobtailCell(kind as SchedulerKind, Number(ms));
    const policy = build.createScheduler(scenario.host.scheduler, scenario.host.cores);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = build.runHost(scenario, policy);
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const run = { wallMs, cpuMs: (c.user + c.system) / 1000, events: result.eventsProcessed };
    if ((n === 1 || i > 0) && run.cpuMs < best.cpuMs) best = run;
  }
  console.log(JSON.stringify(best));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
