import type { ClusterInput } from "../../model/cluster.js";
import type { Problem } from "../../model/problems.js";
import { parseCluster } from "../../model/validate.js";
import { detectHostsFormat, parseAlibabaNodes } from "./alibaba-nodes.js";
import { assembleCluster, clusterJson } from "./assemble.js";
import { parseHostsCsv, type HostsRead } from "./hosts-csv.js";
import { IdAllocator } from "./ids.js";
import { isHostFormat, type HostFormat, type HostInput, type ImportOptions, type VmInput } from "./options.js";
import { readVms, type LazyFile, type Progress } from "./read-vms.js";
import { generatedHostsText, sizeKey, tally, type ImportSummary } from "./summary.js";

/** ImportRequest is one `vmplace import`: parsed options, the inputs in order, an optional inventory. */
export interface ImportRequest {
  options: ImportOptions;
  inputs: readonly LazyFile[];
  hosts?: LazyFile;
  progress?: Progress;
}

/**
 * ImportOutcome is the cluster document's text, or every problem that stops the import. Any bad
 * row stops it unless `skipBad`; a cluster that fails parseCluster (say, a VM no host can take)
 * always does, so nothing invalid is ever written.
 */
export type ImportOutcome =
  | { ok: true; json: string; cluster: ClusterInput; summary: ImportSummary }
  | { ok: false; problems: Problem[]; summary: ImportSummary };

/** readHosts reads one inventory file in the given (or detected) format. */
export function readHosts(file: LazyFile, format?: HostFormat): HostsRead {
  const text = file.read();
  const f = format ?? detectHostsFormat(text);
  return f === "alibaba-nodes" ? parseAlibabaNodes(text, file.path) : parseHostsCsv(text, file.path);
}

/** runImport reads the inputs, builds the cluster and checks it; it writes nothing. */
export function runImport(req: ImportRequest): ImportOutcome {
  return isHostFormat(req.options.format) ? importHosts(req, req.options.format) : importVms(req);
}

function importHosts(req: ImportRequest, format: HostFormat): ImportOutcome {
  const hosts: HostInput[] = [];
  const problems: Problem[] = [];
  const limit = req.options.limit ?? Infinity;
  let filesRead = 0;
  for (const [i, file] of req.inputs.entries()) {
    if (hosts.length >= limit) break;
    const r = readHosts(file, format);
    filesRead++;
    hosts.push(...r.hosts);
    problems.push(...r.problems);
    req.progress?.((i + 1) / req.inputs.length);
  }
  const kept = hosts.slice(0, limit);
  const summary = summarize(req.options, [], {
    filesRead,
    hosts: kept.length,
    problems: problems.length,
    limitReached: hosts.length > kept.length || filesRead < req.inputs.length,
    hostsFrom: `${kept.length} host(s) read from the input`,
  });
  return finish({ hosts: kept, vms: [] }, problems, req.options, summary);
}

function importVms(req: ImportRequest): ImportOutcome {
  const opts = req.options;
  const read = readVms(req.inputs, opts, req.progress);
  const inventory = req.hosts === undefined ? undefined : readHosts(req.hosts);
  const problems = [...read.problems, ...(inventory?.problems ?? [])];
  const ids = new IdAllocator();
  const vms: VmInput[] = read.drafts.map((d) => ({ id: ids.take(d.name), ...d.vm }));
  const { cluster, generatedHosts } = assembleCluster(vms, inventory?.hosts);
  const summary = summarize(opts, vms, {
    filesRead: read.filesRead,
    hosts: cluster.hosts.length,
    samplesRead: read.samplesRead,
    problems: problems.length,
    skipped: read.skipped,
    outsideWindow: read.outsideWindow,
    limitReached: read.limitReached,
    hostsFrom:
      req.hosts === undefined ? generatedHostsText(generatedHosts) : `${cluster.hosts.length} host(s) from ${req.hosts.path}`,
  });
  return finish(cluster, problems, opts, summary);
}

/** finish checks an imported cluster as a whole: nothing invalid is ever handed back to be written. */
export function finish(cluster: ClusterInput, problems: Problem[], opts: Pick<ImportOptions, "skipBad">, summary: ImportSummary): ImportOutcome {
  if (problems.length > 0 && !opts.skipBad) return { ok: false, problems, summary };
  const checked = parseCluster(cluster);
  if (!checked.ok) return { ok: false, problems: checked.problems.map((p) => named(p, cluster)), summary };
  return { ok: true, json: clusterJson(cluster), cluster, summary };
}

/** named adds the id to a cluster problem: `vms[17]` means little to someone holding trace files. */
function named(p: Problem, cluster: ClusterInput): Problem {
  const m = /^(vms|hosts)\[(\d+)\]/.exec(p.path);
  if (m === null) return { path: `(imported cluster) ${p.path}`, message: p.message };
  const item = m[1] === "vms" ? cluster.vms?.[Number(m[2])] : cluster.hosts[Number(m[2])];
  return { path: `(imported cluster) ${p.path}`, message: `${item ? `"${item.id}": ` : ""}${p.message}` };
}

type SummaryFacts = Pick<ImportSummary, "filesRead" | "hosts" | "hostsFrom"> & Partial<ImportSummary>;

function summarize(opts: ImportOptions, vms: readonly VmInput[], facts: SummaryFacts): ImportSummary {
  return {
    format: opts.format,
    vms: vms.length,
    samplesRead: 0,
    problems: 0,
    skipped: [],
    outsideWindow: 0,
    limitReached: false,
    classes: tally(vms, (vm) => vm.labels?.class ?? "unknown"),
    sizes: tally(vms, sizeKey),
    sizing: sizingText(opts),
    ...facts,
  };
}

function sizingText(o: ImportOptions): string {
  if (o.format === "bitbrains") return "from the data: most cores seen, provisioned memory";
  if (o.format === "azure-vmtable") return "from the core and memory buckets";
  if (o.vcpus !== undefined && o.memoryMiB !== undefined) return "from --vcpus and --memory-mib";
  const given = o.vcpus !== undefined ? "--vcpus, " : o.memoryMiB !== undefined ? "--memory-mib, " : "";
  return `${given}default mix seeded by --seed ${o.seed}`;
}
