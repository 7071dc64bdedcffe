import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { benchNewShape } from "./place-shape.js";

/** Seconds per load run (BENCH_API_SECONDS overrides, e.g. 3 for a quick look). */
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
/** Seconds of untimed load before each run: JIT compilation and first-connection setup. */
const WARMUP_SECONDS = 2;
/**
 * BENCH_BEFORE: another build's dist/src/cli/main.js (e.g. main's), run through the same
 * scenarios in the same run, so before and after are measured side by side on a shared machine.
 */
const BEFORE = process.env.BENCH_BEFORE;

const GOAL = { p99Ms: 50, rps: 1000 };
const CLI = new URL("../src/cli/main.js", import.meta.url).pathname;
const SAMPLE = "data/sample-cluster.json";
const MEDIUM = "data/generated-medium.json";
const LARGE = "data/generated-large.json";

const newVm = { id: "bench-new-vm", vcpus: 2, memoryMiB: 4096, workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 }, slo: { p999Ms: 5 } };
const pod = {
  metadata: { name: "bench-pod", namespace: "bench", annotations: { "vmplace.io/workload": "io", "vmplace.io/requests-per-sec": "500", "vmplace.io/service-us": "100", "vmplace.io/slo-p999-ms": "5" } },
  spec: { containers: [{ resources: { requests: { cpu: "2", memory: "4Gi" } } }] },
};

/**
 * startServer runs `vmplace serve` as its own process: autocannon in the same process would
 * share the event loop with the server and measure itself. Loopback only, free port.
 */
function startServer(cli: string, cluster: string): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--host", "127.0.0.1", "--cluster", cluster, "--max-concurrent", "256"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vmplace serve --cluster ${cluster} did not start within 120 s`)), 120_000);
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

/** serverCpuMs: the server's CPU time (user + system, all threads) from /proc, in ms. */
function serverCpuMs(pid: number | undefined): number | undefined {
  const stat = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(stat)) return undefined;
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
  const fields = readFileSync(stat, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Load {
  method: "GET" | "POST";
  path: string;
  connections: number;
  /** A fixed body, or one per request (a new VM shape each time). */
  body?: string;
  bodyFor?: (k: number) => string;
}

interface Run {
  title: string;
  server: "sample" | "large";
  load: Load;
  /** Measured at the same time, on the same server (healthz while large bodies are posted). */
  beside?: Load & { title: string };
  goal?: boolean;
}

/**
 * Request number for bodyFor, across the warm-up and the measured run: a body made for the
 * warm-up (a pod the server has since assumed, a VM shape it has cached) is never sent again.
 */
let k = 0;

function cannon(base: string, l: Load, seconds: number): Promise<autocannon.Result> {
  const headers = { "content-type": "application/json" };
  const request = l.bodyFor
    ? { requests: [{ method: l.method, path: l.path, headers, setupRequest: (r: autocannon.Request) => ({ ...r, body: l.bodyFor!(k++) }) }] }
    : { method: l.method, headers, body: l.body };
  return autocannon({ url: `${base}${l.path}`, connections: l.connections, duration: seconds, ...request });
}

function line(target: string, title: string, l: Load, r: autocannon.Result, cpuMsPerRequest?: number): string {
  const kb = l.body ? `${(Buffer.byteLength(l.body) / 1024).toFixed(1)} KiB` : l.bodyFor ? "varied" : "-";
  const cpu = cpuMsPerRequest === undefined ? "" : `  server CPU ${cpuMsPerRequest.toFixed(2)} ms/req`;
  const lat = r.latency;
  return (
    `${target.padEnd(10)} ${title.padEnd(58)} ${String(l.connections).padStart(3)} conn ${r.requests.average.toFixed(0).padStart(6)} req/s  ` +
    `p50 ${lat.p50} p90 ${lat.p90} p99 ${lat.p99} max ${lat.max} ms  body ${kb}  non-2xx ${r.non2xx} errors ${r.errors} timeouts ${r.timeouts}${cpu}`
  );
}

async function measure(target: string, base: string, pid: number | undefined, run: Run): Promise<void> {
  await Promise.all([cannon(base, run.load, WARMUP_SECONDS), ...(run.beside ? [cannon(base, run.beside, WARMUP_SECONDS)] : [])]);
  const cpu0 = serverCpuMs(pid);
  const [r, beside] = await Promise.all([cannon(base, run.load, SECONDS), run.beside ? cannon(base, run.beside, SECONDS) : undefined]);
  const cpu1 = serverCpuMs(pid);
  const done = r.requests.total + (beside?.requests.total ?? 0);
  console.log(line(target, run.title, run.load, r, cpu0 !== undefined && cpu1 !== undefined && done > 0 && !beside ? (cpu1 - cpu0) / done : undefined));
  if (beside && run.beside) console.log(line(target, `  beside it: ${run.beside.title}`, run.beside, beside));
  if (run.goal) {
    const met = r.latency.p99 < GOAL.p99Ms && r.requests.average >= GOAL.rps;
    console.log(`${"".padEnd(10)}   goal p99 < ${GOAL.p99Ms} ms and >= ${GOAL.rps} req/s: ${met ? "met" : "NOT met"}`);
  }
}

function runs(): Run[] {
  const names = (JSON.parse(readFileSync(LARGE, "utf8")) as { hosts: { id: string }[] }).hosts.map((h) => h.id);
  const large = readFileSync(LARGE, "utf8");
  const placeBody = JSON.stringify({ vm: newVm });
  // A new shape per request: the memory differs, so no verdict is cached (the worst case).
  const newShape = (k: number): string => JSON.stringify({ vm: { ...newVm, memoryMiB: 1024 + (k % 1_000_000) } });
  const healthz: Load & { title: string } = { title: "GET /healthz", method: "GET", path: "/healthz", connections: 10 };
  return [
    { title: "POST /v1/place, server's 8-host sample", server: "sample", load: { method: "POST", path: "/v1/place", body: placeBody, connections: 50 } },
    { title: "POST /v1/place, server's 1,000 hosts/10,000 VMs, one shape", server: "large", load: { method: "POST", path: "/v1/place", body: placeBody, connections: 50 }, goal: true },
    { title: "POST /v1/place, 1,000 hosts, a new VM shape per request", server: "large", load: { method: "POST", path: "/v1/place", bodyFor: newShape, connections: 50 }, goal: true },
    { title: "POST /k8s/filter, 1,000 nodes", server: "large", load: { method: "POST", path: "/k8s/filter", body: JSON.stringify({ Pod: pod, NodeNames: names }), connections: 50 }, goal: true },
    { title: "POST /k8s/prioritize, 1,000 nodes", server: "large", load: { method: "POST", path: "/k8s/prioritize", body: JSON.stringify({ Pod: pod, NodeNames: names }), connections: 50 }, goal: true },
    {
      title: "POST /k8s/prioritize, 1,000 nodes, a new pod each (assumed)",
      server: "large",
      load: { method: "POST", path: "/k8s/prioritize", bodyFor: (k) => JSON.stringify({ Pod: { ...pod, metadata: { ...pod.metadata, name: `bench-pod-${k}` } }, NodeNames: names }), connections: 50 },
      goal: true,
    },
    { title: "GET /healthz alone (reference)", server: "large", load: healthz },
    { title: "POST /v1/score, 10,000-VM body (3.4 MB)", server: "large", load: { method: "POST", path: "/v1/score", body: large, connections: 2 }, beside: healthz },
    { title: "POST /v1/score, 1,000-VM body", server: "sample", load: { method: "POST", path: "/v1/score", body: readFileSync(MEDIUM, "utf8"), connections: 10 } },
    { title: "POST /v1/place, cluster in body (8 hosts, 40 VMs)", server: "sample", load: { method: "POST", path: "/v1/place", body: JSON.stringify({ cluster: JSON.parse(readFileSync(SAMPLE, "utf8")), vm: newVm }), connections: 50 } },
  ];
}

/**
 * benchApi: requests/s and latency over loopback for every route a fleet calls at rate, at 50
 * clients, on the 8-host sample and on the 1,000-host, 10,000-VM cluster as the server's
 * cluster; the in-process cost of judging a new VM shape (benchNewShape); /healthz latency alone and while 10,000-VM bodies are being posted; each build
 * (this one, and BENCH_BEFORE's) through the same runs.
 */
export async function benchApi(): Promise<void> {
  const targets = [{ name: "this", cli: CLI }, ...(BEFORE ? [{ name: "before", cli: BEFORE }] : [])];
  console.log(`loopback, ${SECONDS} s per run after ${WARMUP_SECONDS} s of warm-up, ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  await benchNewShape(BEFORE);
  // BENCH_API_ONLY: run only the runs whose title contains it (e.g. "/k8s/"), for a quick look.
  const only = process.env.BENCH_API_ONLY;
  const all = runs().filter((r) => !only || r.title.includes(only));
  for (const server of ["sample", "large"] as const) {
    for (const t of targets) {
      if (!all.some((r) => r.server === server)) continue;
      const { base, child } = await startServer(t.cli, server === "sample" ? SAMPLE : LARGE);
      try {
        for (const run of all.filter((r) => r.server === server)) await measure(t.name, base, child.pid, run);
      } finally {
        child.kill("SIGTERM");
      }
    }
  }
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
}
