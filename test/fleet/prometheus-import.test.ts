import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseCluster } from "../../src/model/validate.js";
import { runCliAsync } from "../helpers/cli.js";
import { FleetExporter, scrapedFleet, stopScrapedFleet, freePort, type RunningPrometheus } from "../helpers/prometheus.js";
import { bobtailFleet, WINDOW_FLAGS } from "./fleet.js";

const dir = mkdtempSync(join(tmpdir(), "vmplace-fleet-"));
const fleet = bobtailFleet();
const exporter = new FleetExporter(fleet.hosts, fleet.vms);
let prom: RunningPrometheus;
let closedPort = 0;

beforeAll(async () => {
  closedPort = await freePort();
  // The window must be covered by scrapes: 12 s of them, plus the 3 s rate range.
  prom = await scrapedFleet(exporter, "libvirt_domain_info_cpu_time_seconds_total", fleet.vms.length, 15_000);
}, 60_000);

afterAll(() => stopScrapedFleet(prom, exporter));

let n = 0;
async function importCli(extra: string[]): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  const out = join(dir, `cluster-${++n}.json`);
  const r = await runCliAsync(["import", "--format", "prometheus", "--url", prom.url, ...WINDOW_FLAGS, "--out", out, ...extra]);
  return { ...r, out };
}

describe("import --format prometheus (a real Prometheus scraping a test exporter)", { timeout: 60_000 }, () => {
  test("builds a cluster: every VM with its vCPUs, memory, current host, a trace of its CPU and a class", async () => {
    const r = await importCli([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`import: read Prometheus at http://127\\.0\\.0\\.1:\\d+, 12 s to .* every 1 s: ${fleet.vms.length} VM\\(s\\), 3 host\\(s\\)`));
    const parsed = parseCluster(JSON.parse(readFileSync(r.out, "utf8")));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const c = parsed.value;
    expect(c.hosts.map((h) => [h.id, h.cores, h.memoryMiB])).toEqual(fleet.hosts.map((h) => [h.id, h.cores, h.memoryMiB]));
    for (const v of fleet.vms) {
      const vm = c.vms.find((x) => x.id === v.id)!;
      expect([vm.host, vm.vcpus, vm.memoryMiB]).toEqual([v.host, v.vcpus, v.memoryMiB]);
      expect(vm.workload.kind).toBe("trace");
      if (vm.workload.kind !== "trace") continue;
      expect(vm.workload.intervalSec).toBe(1);
      expect(vm.workload.utilisationPercent.length).toBeGreaterThanOrEqual(8);
      // The exporter's counter grows at util × vCPUs per second: the rate, over the vCPUs, is util
      // (interactive VMs give 0.5% of it to their io part). Scrape timing jitter allows a little.
      const io = vm.workload.io ? (100 * 50) / 1e6 / v.vcpus : 0;
      const mean = vm.workload.utilisationPercent.reduce((s, x) => s + x, 0) / vm.workload.utilisationPercent.length;
      expect(Math.abs(mean - (v.util - io) * 100)).toBeLessThan(6);
      expect(vm.labels.class).toBe(v.util >= 0.5 ? "batch" : "interactive");
    }
  });

  test("--hosts gives the hosts (and their schedulers) instead of node metrics", async () => {
    const hosts = join(dir, "hosts.csv");
    writeFileSync(hosts, ["id,cores,memoryMiB,scheduler", "h01,4,32768,xen-credit", "h02,16,65536,kvm-cfs", "h03,16,65536,kvm-cfs", ""].join("\n"));
    const r = await importCli(["--hosts", hosts]);
    expect(r.code).toBe(0);
    const c = JSON.parse(readFileSync(r.out, "utf8")) as { hosts: { id: string; scheduler?: { kind: string } }[] };
    expect(c.hosts.map((h) => [h.id, h.scheduler?.kind])).toEqual([["h01", "xen-credit"], ["h02", "kvm-cfs"], ["h03", "kvm-cfs"]]);
  });

  test("--hosts that miss a host a VM runs on: exit 2, the VMs named, nothing written", async () => {
    const hosts = join(dir, "two-hosts.csv");
    writeFileSync(hosts, "id,cores,memoryMiB\nh01,4,32768\nh02,16,65536\n");
    const r = await importCli(["--hosts", hosts]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vm "web-3": runs on "h03", which --hosts does not list/);
    expect(existsSync(r.out)).toBe(false);
  });

  test("a mapping file overrides the metric names; a metric nobody exports leaves VMs without sizes (exit 2)", async () => {
    const mapping = join(dir, "mapping.json");
    writeFileSync(mapping, JSON.stringify({ memoryBytes: "libvirt_domain_memory_stats_actual_balloon_bytes" }));
    const r = await importCli(["--mapping", mapping]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vm "batch-1": no memory size \(libvirt_domain_memory_stats_actual_balloon_bytes\) at the window's end/);
  });

  test.each([
    [["--url", "CLOSED"], /cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
    [["--window", "soon"], /--window: must be a duration like 30s, 15m, 1h or 2d/],
    [["--step", "1m"], /--step: must not exceed --window/],
    [["--profile", "vmware"], /--profile/],
  ])("bad input %j: one clear message, exit 2", async (args, message) => {
    const r = await importCli(args.map((a) => (a === "CLOSED" ? `http://127.0.0.1:${closedPort}` : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  test("--dry-run reads and checks but writes nothing", async () => {
    const r = await importCli(["--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--dry-run: .* not written/);
    expect(existsSync(r.out)).toBe(false);
  });
});
