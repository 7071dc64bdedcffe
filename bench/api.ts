import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createInterface } from "node:readline";
import autocannon from "autocannon";

/** Seconds per load run (BENCH_API_SECONDS overrides, e.g. 3 for a quick look). */
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const PLACE_CONNECTIONS = 50;
const SCORE_CONNECTIONS = 10;
const PLACE_P99_GOAL_MS = 50;

const CLI = new URL("../src/cli/main.js", import.meta.url);
const MEDIUM = "data/generated-medium.json";
const SMALL = "data/sample-cluster.json";

const newVm = {
  id: "bench-new-vm",
  vcpus: 2,
  memoryMiB: 4096,
  workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 },
  slo: { p999Ms: 5 },
};

/**
 * startServer runs `vmplace serve` as its own process: autocannon in the same process would
 * share the event loop with the server and measure itself. Loopback only, free port.
 */
function startServer(): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI.pathname, "serve", "--port", "0", "--host", "127.0.0.1", "--cluster", MEDIUM, "--max-concurrent", "256"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("vmplace serve did not start within 20 s")), 20_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ base: m[1], child });
      }
    });
    child.once("exit", (code) => reject(new Error(`vmplace serve exited with ${code}`)));
  });
}

/**
 * serverCpuMs reads the server process's CPU time (user + system, all threads) from /proc, in ms:
 * CPU per request does not depend on how busy the shared machine is, unlike latency.
 */
function serverCpuMs(pid: number | undefined): number | undefined {
  const stat = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(stat)) return undefined;
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
  const fields = readFileSync(stat, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Run {
  title: string;
  path: string;
  body: string;
  connections: number;
}

/** Seconds of untimed load before each run: JIT compilation and first-connection setup. */
const WARMUP_SECONDS = 2;

async function load(base: string, run: Run, seconds = SECONDS): Promise<autocannon.Result> {
  return autocannon({
    title: run.title,
    url: `${base}${run.path}`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: run.body,
    connections: run.connections,
    duration: seconds,
  });
}

function report(run: Run, r: autocannon.Result, cpuMsPerRequest: number | undefined): void {
  const kb = (Buffer.byteLength(run.body) / 1024).toFixed(1);
  const cpu = cpuMsPerRequest === undefined ? "" : `  server CPU ${cpuMsPerRequest.toFixed(2)} ms/req`;
  console.log(
    `${run.title.padEnd(52)} ${String(run.connections).padStart(3)} conn  ${r.requests.average.toFixed(0).padStart(6)} req/s  ` +
      `p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  max ${String(r.latency.max).padStart(5)} ms  ` +
      `body ${kb} KiB  non-2xx ${r.non2xx}  errors ${r.errors}${cpu}`,
  );
}

/**
 * benchApi: requests/s and latency over loopback for /v1/score on the 100-host, 1,000-VM cluster
 * and for /v1/place at 50 concurrent clients (goal: p99 under 50 ms), both with the cluster in the
 * body and against the server's --cluster document, plus the extender's prioritize verb.
 */
export async function benchApi(): Promise<void> {
  const medium = readFileSync(MEDIUM, "utf8");
  const small = readFileSync(SMALL, "utf8");
  const pod = { metadata: { name: "bench-pod", namespace: "bench", annotations: { "vmplace.io/workload": "io", "vmplace.io/requests-per-sec": "500", "vmplace.io/service-us": "100" } }, spec: { containers: [{ resources: { requests: { cpu: "2", memory: "4Gi" } } }] } };
  const nodeNames = (JSON.parse(medium) as { hosts: { id: string }[] }).hosts.map((h) => h.id);
  const runs: Run[] = [
    { title: "POST /v1/score (100 hosts, 1,000 VMs)", path: "/v1/score", body: medium, connections: SCORE_CONNECTIONS },
    { title: "POST /v1/place (cluster in body: 8 hosts, 40 VMs)", path: "/v1/place", body: JSON.stringify({ cluster: JSON.parse(small), vm: newVm }), connections: PLACE_CONNECTIONS },
    { title: "POST /v1/place (server's 100-host, 1,000-VM cluster)", path: "/v1/place", body: JSON.stringify({ vm: newVm }), connections: PLACE_CONNECTIONS },
    { title: "POST /k8s/prioritize (100 nodes)", path: "/k8s/prioritize", body: JSON.stringify({ Pod: pod, NodeNames: nodeNames }), connections: PLACE_CONNECTIONS },
  ];
  const { base, child } = await startServer();
  try {
    console.log(`loopback ${base}, ${SECONDS} s per run after ${WARMUP_SECONDS} s of warm-up, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
    for (const run of runs) {
      await load(base, run, WARMUP_SECONDS);
      const cpu0 = serverCpuMs(child.pid);
      const r = await load(base, run);
      const cpu1 = serverCpuMs(child.pid);
      const done = r.requests.total;
      report(run, r, cpu0 !== undefined && cpu1 !== undefined && done > 0 ? (cpu1 - cpu0) / done : undefined);
      if (run.path === "/v1/place")
        console.log(`  p99 goal < ${PLACE_P99_GOAL_MS} ms at ${PLACE_CONNECTIONS} clients: ${r.latency.p99 < PLACE_P99_GOAL_MS ? "met" : "NOT met"}`);
    }
  } finally {
    child.kill("SIGTERM");
  }
}
