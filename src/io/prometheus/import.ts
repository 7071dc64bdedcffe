import type { ClusterInput } from "../../model/cluster.js";
import type { Problem } from "../../model/problems.js";
import type { SchedulerKind } from "../../model/scheduler.js";
import { finish, type ImportOutcome } from "../import/run-import.js";
import type { HostInput, Skip, VmInput } from "../import/options.js";
import { sizeKey, tally } from "../import/summary.js";
import { classifySeries, traceWorkload, type WorkloadClass } from "../import/trace-workload.js";
import { PrometheusClient, type RangeSeries, type VectorSample } from "./client.js";
import { hostIdOf, vmIdOf, type Mapping } from "./mapping.js";

export interface PrometheusImportOptions {
  readonly url: string;
  readonly bearerToken?: string;
  readonly mapping: Mapping;
  /** The window read, ending at `endSec` (unix seconds), sampled every `stepSec`. */
  readonly windowSec: number;
  readonly stepSec: number;
  /** The range of each rate() (at least two scrapes). */
  readonly rateWindowSec: number;
  readonly endSec: number;
  readonly workloadClass: WorkloadClass | "auto";
  /** Hosts from an inventory (--hosts); without, hosts come from the mapping's capacity series. */
  readonly hosts?: readonly HostInput[];
  /** Scheduler of hosts read from Prometheus (the metrics do not say). */
  readonly scheduler?: SchedulerKind;
  readonly skipBad: boolean;
  readonly timeoutMs?: number;
}

const MIB = 1048576;

/**
 * importPrometheus reads a live fleet from Prometheus: each VM's CPU over the window (rate of its
 * CPU-seconds counter, as a share of its vCPUs: the trace workload's utilisation series, one
 * sample per step), its vCPUs and memory at the window's end, the host its series come from
 * (the latest, if it moved), and the hosts' sizes. Each VM gets a workload class from its series
 * (trace-workload.ts), as the file importers do. Throws PrometheusError when the server cannot be
 * asked; returns problems when the answers do not make a valid cluster.
 */
export async function importPrometheus(o: PrometheusImportOptions): Promise<ImportOutcome> {
  const client = new PrometheusClient({ url: o.url, bearerToken: o.bearerToken, timeoutMs: o.timeoutMs });
  const m = o.mapping;
  const by = (labels: readonly string[]): string => labels.join(", ");
  const start = o.endSec - o.windowSec;
  const [cpu, vcpus, memory, cores, hostMem] = await Promise.all([
    client.queryRange(`sum by (${by([...m.vmLabels, m.hostLabel])}) (rate(${m.cpuSecondsTotal}[${o.rateWindowSec}s]))`, start, o.endSec, o.stepSec),
    client.query(`max by (${by(m.vmLabels)}) (${m.vcpus})`, o.endSec),
    client.query(`max by (${by(m.vmLabels)}) (${m.memoryBytes})`, o.endSec),
    o.hosts ? Promise.resolve([]) : client.query(`max by (${m.hostLabel}) (${m.hostCores})`, o.endSec),
    o.hosts ? Promise.resolve([]) : client.query(`max by (${m.hostLabel}) (${m.hostMemoryBytes})`, o.endSec),
  ]);
  const problems: Problem[] = [];
  const skipped: Skip[] = [];
  const series = cpuByVm(m, cpu);
  const size = (xs: VectorSample[]): Map<string, number> => new Map(xs.flatMap((x) => (vmIdOf(m, x.labels) ? [[vmIdOf(m, x.labels)!, x.value]] : [])));
  const vcpuOf = size(vcpus);
  const memOf = size(memory);
  const vms: VmInput[] = [];
  let samples = 0;
  for (const [id, s] of [...series].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const vc = vcpuOf.get(id);
    const mem = memOf.get(id);
    if (vc === undefined || !(vc > 0)) problems.push({ path: `vm "${id}"`, message: `no vCPU count (${m.vcpus}) at the window's end` });
    if (mem === undefined || !(mem > 0)) problems.push({ path: `vm "${id}"`, message: `no memory size (${m.memoryBytes}) at the window's end` });
    if (vc === undefined || mem === undefined || !(vc > 0) || !(mem > 0)) continue;
    samples += s.used.length;
    vms.push(vmOf(id, s, Math.ceil(vc - 1e-9), Math.ceil(mem / MIB), o));
  }
  for (const id of [...vcpuOf.keys()].sort()) if (!series.has(id)) skipped.push({ what: id, why: "no CPU samples in the window (stopped, or not scraped)" });
  const hosts = o.hosts ? [...o.hosts] : hostsFrom(m, cores, hostMem, vms, o.scheduler, problems);
  const known = new Set(hosts.map((h) => h.id));
  // Without --hosts, a host with VMs but no size is already a problem of its own.
  if (o.hosts) for (const vm of vms) if (vm.host !== undefined && !known.has(vm.host)) problems.push({ path: `vm "${vm.id}"`, message: `runs on "${vm.host}", which --hosts does not list` });
  const cluster: ClusterInput = { hosts, vms };
  const moved = [...series.values()].filter((s) => s.hosts > 1).length;
  return finish(cluster, problems, o, {
    format: "prometheus",
    source: `Prometheus at ${new URL(o.url).origin}, ${o.windowSec} s to ${new Date(o.endSec * 1000).toISOString()} every ${o.stepSec} s`,
    filesRead: 0,
    vms: vms.length,
    hosts: hosts.length,
    samplesRead: samples,
    problems: problems.length,
    skipped: moved > 0 ? [...skipped, { what: `${moved} VM(s)`, why: "moved host during the window: the latest host is kept" }] : skipped,
    outsideWindow: 0,
    limitReached: false,
    classes: tally(vms, (vm) => vm.labels?.class ?? "unknown"),
    sizes: tally(vms, sizeKey),
    sizing: `vCPUs from ${m.vcpus}, memory from ${m.memoryBytes}`,
    hostsFrom: o.hosts ? `${hosts.length} host(s) from --hosts` : `${hosts.length} host(s) from ${m.hostCores} and ${m.hostMemoryBytes}`,
  });
}

interface VmSeries {
  /** CPUs used at each step (summed over the VM's series), in time order. */
  used: number[];
  host?: string;
  lastSeen: number;
  hosts: number;
}

/** cpuByVm: one series per VM, its host the one it was seen on last. */
function cpuByVm(m: Mapping, cpu: readonly RangeSeries[]): Map<string, VmSeries> {
  const acc = new Map<string, { at: Map<number, number>; host?: string; lastSeen: number; hosts: Set<string> }>();
  for (const s of cpu) {
    const id = vmIdOf(m, s.labels);
    if (id === undefined || s.points.length === 0) continue;
    const host = hostIdOf(m, s.labels);
    let a = acc.get(id);
    if (!a) acc.set(id, (a = { at: new Map(), lastSeen: -Infinity, hosts: new Set() }));
    for (const [t, v] of s.points) a.at.set(t, (a.at.get(t) ?? 0) + v);
    const last = s.points[s.points.length - 1][0];
    if (host !== undefined) a.hosts.add(host);
    if (last > a.lastSeen) (a.lastSeen = last), (a.host = host);
  }
  return new Map(
    [...acc].map(([id, a]) => [id, { used: [...a.at].sort((x, y) => x[0] - y[0]).map(([, v]) => v), host: a.host, lastSeen: a.lastSeen, hosts: a.hosts.size }]),
  );
}

function vmOf(id: string, s: VmSeries, vcpus: number, memoryMiB: number, o: PrometheusImportOptions): VmInput {
  const percent = s.used.map((u) => Math.min(100, Math.max(0, (u / vcpus) * 100)));
  const cls: WorkloadClass = o.workloadClass === "auto" ? classifySeries(percent) : o.workloadClass;
  const mapped = traceWorkload(percent, cls, vcpus, o.stepSec, `prometheus ${o.mapping.cpuSecondsTotal}`);
  return {
    id,
    vcpus,
    memoryMiB,
    workload: mapped.workload,
    ...(mapped.slo ? { slo: mapped.slo } : {}),
    ...(s.host !== undefined ? { host: s.host } : {}),
    labels: { class: cls },
  };
}

/** hostsFrom: hosts sized by the capacity series; every host a VM runs on must have both. */
function hostsFrom(m: Mapping, cores: VectorSample[], mem: VectorSample[], vms: readonly VmInput[], scheduler: SchedulerKind | undefined, problems: Problem[]): HostInput[] {
  const of = (xs: VectorSample[]): Map<string, number> => new Map(xs.flatMap((x) => (hostIdOf(m, x.labels) ? [[hostIdOf(m, x.labels)!, x.value]] : [])));
  const c = of(cores);
  const b = of(mem);
  const ids = [...new Set([...c.keys(), ...b.keys(), ...vms.flatMap((v) => (v.host !== undefined ? [v.host] : []))])].sort();
  const out: HostInput[] = [];
  for (const id of ids) {
    const n = c.get(id);
    const bytes = b.get(id);
    if (n === undefined || bytes === undefined || !(n >= 1) || !(bytes > 0)) {
      if (vms.some((v) => v.host === id)) problems.push({ path: `host "${id}"`, message: `no ${n === undefined ? `core count (${m.hostCores})` : `memory size (${m.hostMemoryBytes})`}: give --hosts FILE` });
      continue;
    }
    out.push({ id, cores: Math.round(n), memoryMiB: Math.floor(bytes / MIB), ...(scheduler ? { scheduler: { kind: scheduler } } : {}) });
  }
  return out;
}
