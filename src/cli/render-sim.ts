import type { Vm } from "../model/cluster.js";
import type { HostSimResult, Percentiles } from "../model/scenario.js";

const HEADERS = [
  "vm",
  "workload",
  "cpu share",
  "req p50 ms",
  "req p99 ms",
  "req p99.9 ms",
  "req max ms",
  "wake p99.9 ms",
  "boosts",
  "preemptions",
];

/** renderSimResult is the readable form of one host simulation: a header and a table per VM. */
export function renderSimResult(r: HostSimResult, vms: readonly Vm[]): string {
  const kindOf = new Map(vms.map((vm) => [vm.id, vm.workload.kind]));
  const rows = r.vms.map((vm) => [
    vm.id,
    kindOf.get(vm.id) ?? "?",
    vm.cpuShare.toFixed(3),
    ...latencyCells(vm.requestLatency),
    vm.wakeToRun.count > 0 ? ms(vm.wakeToRun.p999Us) : "-",
    String(vm.boosts),
    String(vm.preemptions),
  ]);
  const head =
    `host ${r.hostId}: ${r.scheduler}, ${r.cores} cores, ` +
    `${(r.measuredUs / 1e6).toFixed(1)} s measured, seed ${r.seed}\n` +
    `utilisation ${(100 * r.utilisation).toFixed(1)}%, ${r.contextSwitchesPerSec.toFixed(0)} context switches/s, ` +
    `${r.eventsProcessed} events`;
  return `${head}\n\n${table(HEADERS, rows)}${driverSection(r)}`;
}

/**
 * driverSection shows the driver domain, when the host has one: its own CPU and wake-up delay,
 * and per guest the driver CPU its packets cost beside its own (XenMon's aggregate view).
 */
export function driverSection(r: HostSimResult): string {
  const d = r.driverDomain;
  if (d === undefined) return "";
  const head =
    `\n\ndriver domain ${d.name}: ${d.vcpus} vCPU(s), charging ${d.chargeDriverWork ? "on (billed to the guests)" : "off (stock)"}, ` +
    `cpu share ${d.cpuShare.toFixed(3)}, ${d.packets} packets, wake p99.9 ${ms(d.wakeToRunP999Us)} ms`;
  const rows = r.vms
    .filter((vm) => vm.driver !== undefined && vm.driver.packets > 0)
    .map((vm) => {
      const g = vm.driver as NonNullable<typeof vm.driver>;
      const part = g.aggregateCpuShare > 0 ? (100 * g.cpuShare) / g.aggregateCpuShare : 0;
      return [vm.id, String(g.packets), g.cpuShare.toFixed(3), vm.cpuShare.toFixed(3), g.aggregateCpuShare.toFixed(3), `${part.toFixed(1)}%`];
    });
  if (rows.length === 0) return `${head}\n(no guest sent packets)`;
  return `${head}\n${table(["vm", "packets", "driver cpu", "own cpu", "aggregate", "driver part"], rows, 1)}`;
}

function latencyCells(p: Percentiles): string[] {
  if (p.count === 0) return ["-", "-", "-", "-"];
  return [ms(p.p50Us), ms(p.p99Us), ms(p.p999Us), ms(p.maxUs)];
}

/** ms shows microseconds as milliseconds with about three significant digits. */
function ms(us: number): string {
  const v = us / 1000;
  return v < 10 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(1);
}

/** table left-aligns the first `textCols` (text) columns and right-aligns the numbers. */
function table(headers: string[], rows: string[][], textCols = 2): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c < textCols ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/**
 * renderSimComparison shows one host under several schedulers: per VM and scheduler its CPU share,
 * request p99 / p99.9 and wake-to-run p99.9, then each run's utilisation and context switches.
 */
export function renderSimComparison(results: readonly HostSimResult[], vms: readonly Vm[]): string {
  const first = results[0];
  if (first === undefined) return "";
  const kindOf = new Map(vms.map((vm) => [vm.id, vm.workload.kind]));
  const headers = ["vm", "workload", "scheduler", "cpu share", "req p99 ms", "req p99.9 ms", "wake p99.9 ms"];
  const rows: string[][] = [];
  first.vms.forEach((vm, i) => {
    for (const r of results) {
      const v = r.vms[i];
      const req = v.requestLatency;
      rows.push([
        vm.id,
        kindOf.get(vm.id) ?? "?",
        r.scheduler,
        v.cpuShare.toFixed(3),
        req.count > 0 ? ms(req.p99Us) : "-",
        req.count > 0 ? ms(req.p999Us) : "-",
        v.wakeToRun.count > 0 ? ms(v.wakeToRun.p999Us) : "-",
      ]);
    }
  });
  const head =
    `host ${first.hostId}: ${first.cores} cores, ${(first.measuredUs / 1e6).toFixed(1)} s measured, seed ${first.seed}, ` +
    `${results.length} schedulers\n` +
    results
      .map(
        (r) =>
          `  ${r.scheduler.padEnd(12)} utilisation ${(100 * r.utilisation).toFixed(1)}%, ` +
          `${r.contextSwitchesPerSec.toFixed(0)} context switches/s, ${r.eventsProcessed} events`,
      )
      .join("\n");
  return `${head}\n\n${table(headers, rows, 3)}${results.map(driverSection).join("")}`;
}
