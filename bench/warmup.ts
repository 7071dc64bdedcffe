import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WARMUP_DURATION_MS } from "../src/runtime/sim-warmup.js";

const LENGTHS_MS = [0, 20, 50, 100, 200];
const REPS = 3;

interface Phases {
  jobs: number;
  warmupS: number;
  firstS: number;
  secondS: number;
}

/**
 * benchWarmup: how long `vmplace worker`'s warm-up should be. For each simulation length of the
 * warm-up set (0: none), in fresh processes, interleaved, REPS times: the warm-up's CPU, then the
 * 3 s calibration sweep's CPU the first time and again. The length to ship is the smallest whose
 * first sweep costs what the second does; warm-up + first sweep shows what the warm-up adds.
 */
export async function benchWarmup(): Promise<void> {
  const child = join(dirname(fileURLToPath(import.meta.url)), "warmup-child.js");
  const line = (k: string, v: string): void => console.log(`warmup  ${k.padEnd(24)} ${v}`);
  line("machine", `load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at start; CPU seconds of one fresh process each (shipped length: ${WARMUP_DURATION_MS} ms)`);
  const runs = new Map(LENGTHS_MS.map((ms): [number, Phases[]] => [ms, []]));
  for (let r = 0; r < REPS; r++) for (const ms of LENGTHS_MS) runs.get(ms)!.push(JSON.parse(execFileSync(process.execPath, [child, String(ms)], { encoding: "utf8" })) as Phases);
  const list = (xs: Phases[], f: (p: Phases) => number): string => xs.map((p) => f(p).toFixed(2)).join(", ");
  for (const [ms, xs] of runs)
    line(
      ms === 0 ? "no warm-up" : `${ms} ms x ${xs[0].jobs} jobs`,
      `warm-up ${list(xs, (p) => p.warmupS)} s | first sweep ${list(xs, (p) => p.firstS)} s | second ${list(xs, (p) => p.secondS)} s | first - second ${list(xs, (p) => p.firstS - p.secondS)} s | warm-up + first ${list(xs, (p) => p.warmupS + p.firstS)} s`,
    );
  line("machine", `load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at the end`);
}
