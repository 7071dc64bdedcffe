import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as netServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PROMETHEUS_BIN = "/usr/bin/prometheus";

/** freePort: a loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ExporterVm {
  id: string;
  host: string;
  vcpus: number;
  memoryMiB: number;
  /** Share of its vCPUs it keeps busy, 0..1. */
  util: number;
}

export interface ExporterHost {
  id: string;
  cores: number;
  memoryMiB: number;
}

/**
 * FleetExporter serves, per host, what a libvirt exporter and node_exporter on that hypervisor
 * would: /metrics/<host> has each of its domains' CPU-seconds counter (growing at util × vCPUs
 * per second of wall time), vCPUs and memory, and the host's idle-CPU series (one per core) and
 * MemTotal. A VM can be moved or re-loaded while Prometheus scrapes; its counter carries on.
 */
export class FleetExporter {
  private readonly server: Server;
  private readonly cpuSec = new Map<string, number>();
  private last = Date.now();
  port = 0;

  constructor(
    readonly hosts: ExporterHost[],
    readonly vms: ExporterVm[],
    /** libvirt: a libvirt exporter and node_exporter per hypervisor; cadvisor: KubeVirt's virt-launcher pods as cAdvisor and kube-state-metrics show them (VM ids namespace/name). */
    readonly format: "libvirt" | "cadvisor" = "libvirt",
  ) {
    this.server = createServer((req, res) => {
      const host = /^\/metrics\/([^/?]+)/.exec(req.url ?? "")?.[1];
      if (!host || !this.hosts.some((h) => h.id === host)) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(this.render(host));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** move: the VM now runs on `host` (its counter keeps counting there, as after a live migration). */
  move(id: string, host: string): void {
    this.advance();
    this.vms.find((v) => v.id === id)!.host = host;
  }

  /** add: a new VM starts on `vm.host` (its counter from 0). */
  add(vm: ExporterVm): void {
    this.advance();
    this.vms.push(vm);
  }

  private advance(): void {
    const now = Date.now();
    for (const v of this.vms) this.cpuSec.set(v.id, (this.cpuSec.get(v.id) ?? 0) + ((now - this.last) / 1000) * v.util * v.vcpus);
    this.last = now;
  }

  private render(host: string): string {
    this.advance();
    return this.format === "cadvisor" ? this.renderCadvisor(host) : this.renderLibvirt(host);
  }

  /** A VM id namespace/name runs in pod virt-launcher-<name>-x7k2p of that namespace, on node `host`. */
  private renderCadvisor(host: string): string {
    const h = this.hosts.find((x) => x.id === host)!;
    const lines = ["# TYPE container_cpu_usage_seconds_total counter", "# TYPE kube_pod_container_resource_limits gauge", "# TYPE kube_node_status_capacity gauge"];
    for (const v of this.vms.filter((x) => x.host === host)) {
      const [ns, name] = v.id.split("/");
      const pod = `namespace="${ns}",pod="virt-launcher-${name}-x7k2p",container="compute",node="${host}"`;
      lines.push(`container_cpu_usage_seconds_total{${pod}} ${this.cpuSec.get(v.id) ?? 0}`);
      lines.push(`kube_pod_container_resource_limits{${pod},resource="cpu"} ${v.vcpus}`);
      lines.push(`kube_pod_container_resource_limits{${pod},resource="memory"} ${v.memoryMiB * 1048576}`);
    }
    lines.push(`kube_node_status_capacity{node="${host}",resource="cpu"} ${h.cores}`, `kube_node_status_capacity{node="${host}",resource="memory"} ${h.memoryMiB * 1048576}`);
    return `${lines.join("\n")}\n`;
  }

  private renderLibvirt(host: string): string {
    const h = this.hosts.find((x) => x.id === host)!;
    const lines = [
      "# TYPE libvirt_domain_info_cpu_time_seconds_total counter",
      "# TYPE libvirt_domain_info_virtual_cpus gauge",
      "# TYPE libvirt_domain_info_maximum_memory_bytes gauge",
    ];
    for (const v of this.vms.filter((x) => x.host === host)) {
      lines.push(`libvirt_domain_info_cpu_time_seconds_total{domain="${v.id}"} ${this.cpuSec.get(v.id) ?? 0}`);
      lines.push(`libvirt_domain_info_virtual_cpus{domain="${v.id}"} ${v.vcpus}`);
      lines.push(`libvirt_domain_info_maximum_memory_bytes{domain="${v.id}"} ${v.memoryMiB * 1048576}`);
    }
    lines.push("# TYPE node_cpu_seconds_total counter");
    for (let c = 0; c < h.cores; c++) lines.push(`node_cpu_seconds_total{cpu="${c}",mode="idle"} 1`);
    lines.push("# TYPE node_memory_MemTotal_bytes gauge", `node_memory_MemTotal_bytes ${h.memoryMiB * 1048576}`);
    return `${lines.join("\n")}\n`;
  }
}

export interface RunningPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * startPrometheus runs Debian's prometheus on a free loopback port with a throwaway data
 * directory, scraping each host's path of the exporter every second, the host's id as its
 * `instance` label (all targets share 127.0.0.1, so the address cannot tell hosts apart).
 */
export async function startPrometheus(exporter: FleetExporter): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "vmplace-prometheus-"));
  const port = await freePort();
  const jobs = exporter.hosts.map((h) =>
    [
      `  - job_name: "${h.id}"`,
      `    metrics_path: "/metrics/${h.id}"`,
      "    static_configs:",
      `      - targets: ["127.0.0.1:${exporter.port}"]`,
      `        labels: { instance: "${h.id}" }`,
    ].join("\n"),
  );
  writeFileSync(join(dir, "prometheus.yml"), ["global:", "  scrape_interval: 1s", "  scrape_timeout: 900ms", "scrape_configs:", ...jobs, ""].join("\n"));
  const child: ChildProcess = spawn(PROMETHEUS_BIN, [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
    const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ok) return { url, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`prometheus did not become ready: ${stderr}`);
}

/** waitForSeries waits until an instant query returns at least `n` series (scrapes have landed). */
export async function waitForSeries(url: string, query: string, n: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`).then((x) => x.json())) as { data?: { result?: unknown[] } };
    if ((r.data?.result?.length ?? 0) >= n) return;
    await sleep(250);
  }
  throw new Error(`${query}: fewer than ${n} series after ${timeoutMs} ms`);
}

/**
 * scrapedFleet starts the exporter and a Prometheus scraping it, waits until `n` series of
 * `metric` have landed, then `settleMs` more, so an import window of that length is covered by
 * scrapes. stopScrapedFleet undoes it (safe after a start that failed halfway).
 */
export async function scrapedFleet(exporter: FleetExporter, metric: string, n: number, settleMs: number): Promise<RunningPrometheus> {
  await exporter.start();
  const prom = await startPrometheus(exporter);
  await waitForSeries(prom.url, metric, n);
  await sleep(settleMs);
  return prom;
}

export async function stopScrapedFleet(prom: RunningPrometheus | undefined, exporter: FleetExporter): Promise<void> {
  await prom?.stop();
  await exporter.stop();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
