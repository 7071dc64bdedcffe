import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

/** Runs of each command; the median is reported (BENCH_STARTUP_RUNS overrides). */
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 11);
const GOAL_MS = 150;
/** The `vmplace` bin (the bundle, rolldown.config.mjs) and the unbundled entry it is built from. */
const BIN = new URL("../cli/vmplace.js", import.meta.url).pathname;
const UNBUNDLED = new URL("../src/cli/main.js", import.meta.url).pathname;
/**
 * BENCH_BEFORE: another build's dist/src/cli/main.js, timed in the same rounds; when that build
 * has a bundled bin beside it (dist/cli/vmplace.js), the bin is timed, as users run it.
 */
const BEFORE = process.env.BENCH_BEFORE;
const beforeBin = (path: string): string => {
  const bin = new URL("../../cli/vmplace.js", `file://${path}`).pathname;
  return existsSync(bin) ? bin : path;
};

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

/**
 * childCpuMs: CPU time (user + system) of this process's waited-for children so far, from
 * /proc/self/stat (cutime + cstime, in ticks of 10 ms); undefined where there is no /proc.
 * Wall time on a shared machine includes waiting for a core; CPU time is what the command costs.
 */
function childCpuMs(): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of proc(5), counted from the state field (3) here.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function run(args: string[]): { wall: number; cpu: number | undefined } {
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  const wall = performance.now() - t0;
  const cpu1 = childCpuMs();
  // score exits 3 on the sample (its current placement has a predicted breach): a whole answer.
  if (r.status !== 0 && r.status !== 3) throw new Error(`${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  return { wall, cpu: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * benchStartup: wall and CPU time of whole short commands (process start, module loading, the
 * work, exit), median of RUNS, beside `node -e 0` in the same rounds: the machine is shared, and
 * the difference to a bare node is what vmplace adds. Rounds interleave the commands so that load
 * changes hit them alike. The goal is judged on wall time, as a user waits it.
 */
export async function benchStartup(): Promise<void> {
  const scenario = tinyScenario();
  const list: Command[] = [
    { title: "node -e 0 (bare node, reference)", args: ["-e", "0"] },
    ...commands(BIN, "bin", scenario),
    ...commands(UNBUNDLED, "dist/src (unbundled)", scenario).slice(1),
    ...(BEFORE ? commands(beforeBin(BEFORE), "before", scenario) : []),
  ];
  const walls = list.map(() => [] as number[]);
  const cpus = list.map(() => [] as number[]);
  for (const c of list) run(c.args); // warm the file cache
  for (let round = 0; round < RUNS; round++) {
    list.forEach((c, k) => {
      const { wall, cpu } = run(c.args);
      walls[k].push(wall);
      if (cpu !== undefined) cpus[k].push(cpu);
    });
  }
  const bare = median(walls[0]);
  console.log(`median of ${RUNS} runs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; CPU = user + system, 10 ms ticks`);
  list.forEach((c, k) => {
    const m = median(walls[k]);
    const spread = `min ${Math.min(...walls[k]).toFixed(0)} max ${Math.max(...walls[k]).toFixed(0)}`;
    const cpu = cpus[k].length > 0 ? `  CPU ${median(cpus[k]).toFixed(0).padStart(4)} ms` : "";
    const goal = c.goal ? `  goal < ${GOAL_MS} ms: ${m < GOAL_MS ? "met" : "NOT met"}` : "";
    console.log(`${c.title.padEnd(62)} wall ${m.toFixed(0).padStart(5)} ms (${spread}; node -e 0 + ${(m - bare).toFixed(0)} ms)${cpu}${goal}`);
  });
}
