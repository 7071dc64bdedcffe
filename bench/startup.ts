import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

/** Runs of each command; the median is reported (BENCH_STARTUP_RUNS overrides). */
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 11);
const GOAL_MS = 150;
const CLI = new URL("../src/cli/main.js", import.meta.url).pathname;
/** BENCH_BEFORE: another build's dist/src/cli/main.js, timed in the same rounds. */
const BEFORE = process.env.BENCH_BEFORE;

interface Command {
  title: string;
  args: string[];
  goal?: boolean;
}

/** A tiny scenario (one host, two VMs, 100 ms simulated, no warm-up): the work is negligible. */
function tinyScenario(): string {
  const file = join(mkdtempSync(join(tmpdir(), "vmplace-startup-")), "tiny.json");
  const vms = [
    { id: "io", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 200, serviceUs: 100 } },
    { id: "cpu", vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 5 } },
  ];
  writeFileSync(file, JSON.stringify({ host: { id: "tiny", cores: 2, memoryMiB: 8192 }, vms, durationMs: 100, warmupMs: 0, seed: 1 }));
  return file;
}

function commands(cli: string, who: string, scenario: string): Command[] {
  return [
    { title: `${who}: vmplace --version`, args: [cli, "--version"] },
    { title: `${who}: vmplace simulate (2 VMs, 100 ms simulated)`, args: [cli, "simulate", scenario], goal: true },
    { title: `${who}: vmplace score (8 hosts, 40 VMs)`, args: [cli, "score", "data/sample-cluster.json"], goal: true },
  ];
}

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * benchStartup: wall time of whole short commands (process start, module loading, the work, exit),
 * median of RUNS, beside `node -e 0` in the same rounds: the machine is shared, and the
 * difference to a bare node is what vmplace adds. Rounds interleave the commands so that load
 * changes hit them alike.
 */
export async function benchStartup(): Promise<void> {
  const scenario = tinyScenario();
  const list: Command[] = [
    { title: "node -e 0 (bare node, reference)", args: ["-e", "0"] },
    ...commands(CLI, "this", scenario),
    ...(BEFORE ? commands(BEFORE, "before", scenario) : []),
  ];
  const times = list.map(() => [] as number[]);
  for (const c of list) wallMs(c.args); // warm the file cache
  for (let round = 0; round < RUNS; round++) list.forEach((c, k) => times[k].push(wallMs(c.args)));
  const bare = median(times[0]);
  console.log(`median of ${RUNS} runs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  list.forEach((c, k) => {
    const m = median(times[k]);
    const spread = `min ${Math.min(...times[k]).toFixed(0)} max ${Math.max(...times[k]).toFixed(0)}`;
    const goal = c.goal ? `  goal < ${GOAL_MS} ms: ${m < GOAL_MS ? "met" : "NOT met"}` : "";
    console.log(`${c.title.padEnd(62)} ${m.toFixed(0).padStart(5)} ms  (${spread}; node -e 0 + ${(m - bare).toFixed(0)} ms)${goal}`);
  });
}
