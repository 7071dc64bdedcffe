import { z } from "zod";
import { ClusterSchema, VmSchema, type Cluster, type Vm } from "../../model/cluster.js";
import { problemsFromZod, type ParseResult, type Problem } from "../../model/problems.js";
import { fitsEmptyHost, parseCluster } from "../../model/validate.js";
import { DEFAULT_PLACE_LIMIT } from "./rank.js";

/** PlaceRequestSchema: one VM to place, on the cluster sent along or the one the server holds. */
export const PlaceRequestSchema = z.strictObject({
  /** Hosts, VMs on their current hosts, constraints, policy; omitted = `vmplace serve --cluster`. */
  cluster: ClusterSchema.optional(),
  /** The VM to place. A VM of the same id in the cluster is being moved: its current host is ignored. */
  vm: VmSchema,
  /** List at most this many ranked hosts, best first (the counts cover them all). */
  limit: z.number().int().min(1).max(100_000).default(DEFAULT_PLACE_LIMIT),
  /** List every rejected host with every reason (large at fleet size: ask when you need them). */
  reasons: z.boolean().default(false),
});
export type PlaceRequest = z.infer<typeof PlaceRequestSchema>;

const FIELDS = new Set(Object.keys(PlaceRequestSchema.shape));
const AnswerOptionsSchema = PlaceRequestSchema.pick({ limit: true, reasons: true });

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * parsePlaceRequest validates the VM together with the cluster, so the cluster's semantic checks
 * cover it too (constraints may name it, it may be too large for every host). The VM is put at
 * its id's place in `cluster.vms` (or appended) and problems found there are reported under `vm`.
 */
export function parsePlaceRequest(input: unknown): ParseResult<PlaceRequest> {
  if (!isRecord(input)) return { ok: false, problems: [{ path: "", message: "expected an object with \"vm\" (and \"cluster\")" }] };
  const problems: Problem[] = Object.keys(input)
    .filter((k) => !FIELDS.has(k))
    .map((k) => ({ path: "", message: `unknown field(s): ${k}` }));
  const opts = AnswerOptionsSchema.safeParse({ limit: input.limit, reasons: input.reasons });
  if (!opts.success) problems.push(...problemsFromZod(opts.error));
  if (input.cluster === undefined) {
    const vm = VmSchema.safeParse(input.vm);
    if (!vm.success) problems.push(...problemsFromZod(vm.error, ["vm"]));
    return problems.length > 0 || !vm.success || !opts.success ? { ok: false, problems } : { ok: true, value: { vm: vm.data, ...opts.data } };
  }
  const { merged, at } = mergeVm(input.cluster, input.vm);
  const r = parseCluster(merged);
  if (!r.ok) problems.push(...r.problems.map((p) => relocate(p, at)));
  if (at < 0) {
    // The cluster has no VM list to put the VM in: check the VM on its own.
    const vm = VmSchema.safeParse(input.vm);
    if (!vm.success) problems.push(...problemsFromZod(vm.error, ["vm"]));
  }
  if (!r.ok || problems.length > 0 || !opts.success) return { ok: false, problems };
  return { ok: true, value: { cluster: r.value, vm: r.value.vms[at], ...opts.data } };
}

function mergeVm(cluster: unknown, vm: unknown): { merged: unknown; at: number } {
  if (!isRecord(cluster) || !Array.isArray(cluster.vms)) return { merged: cluster, at: -1 };
  const id = isRecord(vm) ? vm.id : undefined;
  const found = cluster.vms.findIndex((v: unknown) => isRecord(v) && id !== undefined && v.id === id);
  const at = found >= 0 ? found : cluster.vms.length;
  const vms = [...cluster.vms];
  vms[at] = vm;
  return { merged: { ...cluster, vms }, at };
}

/** relocate moves a problem found in the merged cluster to where the client wrote it. */
function relocate(p: Problem, at: number): Problem {
  const mine = `vms[${at}]`;
  if (at >= 0 && (p.path === mine || p.path.startsWith(`${mine}.`))) return { ...p, path: `vm${p.path.slice(mine.length)}` };
  return { ...p, path: p.path === "" ? "cluster" : `cluster.${p.path}` };
}

/**
 * resolvePlace picks the cluster to place on: the request's, else (cluster undefined) the server's. A VM that no
 * host of the server's cluster could take even empty is refused as parseCluster refuses it in a
 * cluster sent along, so both forms of the request agree on what is invalid.
 */
export function resolvePlace(req: PlaceRequest, serverCluster: Cluster | undefined): ParseResult<{ cluster?: Cluster; vm: Vm }> {
  if (req.cluster) return { ok: true, value: { cluster: req.cluster, vm: req.vm } };
  if (!serverCluster)
    return { ok: false, problems: [{ path: "cluster", message: "required: the server was started without --cluster" }] };
  const over = serverCluster.policy.cpuOvercommit;
  if (!serverCluster.hosts.some((h) => fitsEmptyHost({ ...req.vm, maxVcpus: req.vm.vcpus }, h, over)))
    return { ok: false, problems: [{ path: "vm", message: `needs ${req.vm.vcpus} vCPU(s) and ${req.vm.memoryMiB} MiB, but no host of the server's cluster can take it even empty` }] };
  return { ok: true, value: { vm: req.vm } };
}
