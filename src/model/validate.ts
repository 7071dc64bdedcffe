import {
  ClusterSchema,
  ConstraintSchema,
  HostSchema,
  PolicySchema,
  VmSchema,
  type Cluster,
  type Constraint,
  type Host,
  type Policy,
  type Vm,
} from "./cluster.js";
import { problemsFromZod, type ParseResult, type Problem } from "./problems.js";
import { ServiceSchema, serviceProblems, type Service } from "./services.js";

/**
 * parseCluster turns any JSON value into a complete, normalised cluster document, or returns
 * every shape and semantic problem at once. When the shape is wrong, the semantic checks still
 * run over the elements that are well-shaped, so one typo does not hide the other mistakes.
 */
export function parseCluster(input: unknown): ParseResult<Cluster> {
  const shaped = ClusterSchema.safeParse(input);
  if (shaped.success) {
    const problems = semanticProblems(shaped.data);
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value: shaped.data };
  }
  const problems = problemsFromZod(shaped.error);
  const loose = looseCluster(input);
  if (loose) problems.push(...semanticProblems(loose));
  return { ok: false, problems: sortProblems(problems) };
}

/** LooseCluster keeps each element at its original index; ill-shaped ones are undefined. */
export interface LooseCluster {
  hosts: (Host | undefined)[];
  vms: (Vm | undefined)[];
  constraints: (Constraint | undefined)[];
  services?: (Service | undefined)[];
  policy: Policy;
  /** Ids of every VM / host element that has a string id, shaped or not (references to them are fine). */
  rawVmIds?: Set<string>;
  rawHostIds?: Set<string>;
}

function looseCluster(input: unknown): LooseCluster | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const o = input as Record<string, unknown>;
  const each = <T>(xs: unknown, parse: (x: unknown) => { success: boolean; data?: T }): (T | undefined)[] =>
    Array.isArray(xs) ? xs.map((x) => { const r = parse(x); return r.success ? r.data : undefined; }) : [];
  const hosts = each(o.hosts, (x) => HostSchema.safeParse(x));
  const policy = PolicySchema.safeParse(o.policy ?? {});
  const idsOf = (xs: unknown): Set<string> =>
    new Set((Array.isArray(xs) ? xs : []).map((v: unknown) => (v as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === "string"));
  const rawVmIds = idsOf(o.vms);
  const rawHostIds = idsOf(o.hosts);
  return {
    hosts,
    vms: each(o.vms, (x) => VmSchema.safeParse(x)),
    constraints: each(o.constraints, (x) => ConstraintSchema.safeParse(x)),
    services: each(o.services, (x) => ServiceSchema.safeParse(x)),
    policy: policy.success ? policy.data : PolicySchema.parse({}),
    rawVmIds,
    rawHostIds,
  };
}

function sortProblems(ps: Problem[]): Problem[] {
  const key = (p: Problem) => p.path.replace(/\[(\d+)\]/g, (_m, n: string) => `[${n.padStart(9, "0")}]`);
  return ps.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** vcpuCapacity is how many guest vCPUs a host may carry under the policy's overcommit (its driver domain's vCPUs taken out). */
export function vcpuCapacity(host: Host, cpuOvercommit: number): number {
  // A driver domain's vCPUs run on the same cores as the guests': they count like a guest's.
  return Math.max(0, Math.floor(host.cores * cpuOvercommit + 1e-9) - (host.driverDomain?.vcpus ?? 0));
}

/** fitsEmptyHost says whether a VM (or a group's summed demand) fits an empty host at all. */
export function fitsEmptyHost(
  demand: { vcpus: number; memoryMiB: number; networkMbps?: number; maxVcpus?: number },
  host: Host,
  cpuOvercommit: number,
): boolean {
  if (demand.memoryMiB > host.memoryMiB) return false;
  if (demand.vcpus > vcpuCapacity(host, cpuOvercommit)) return false;
  // A single VM with more vCPUs than the host has cores cannot run them all at once.
  if ((demand.maxVcpus ?? demand.vcpus) > host.cores) return false;
  if (demand.networkMbps !== undefined && host.networkMbps !== undefined && demand.networkMbps > host.networkMbps)
    return false;
  return true;
}

/** semanticProblems finds what a schema cannot see: references, duplicates, impossible demands. */
export function semanticProblems(c: LooseCluster): Problem[] {
  const problems: Problem[] = [];
  const hostIds = duplicateCheck(c.hosts, "hosts", problems);
  const vmIds = duplicateCheck(c.vms, "vms", problems);
  for (const id of c.rawVmIds ?? []) vmIds.add(id);
  for (const id of c.rawHostIds ?? []) hostIds.add(id);
  const hosts = c.hosts.filter((h): h is Host => h !== undefined);
  // Capacity and label checks against a partial host list would blame VMs for a host's typo.
  const allHosts = hosts.length > 0 && hosts.length === c.hosts.length;
  const vmById = new Map(c.vms.filter((v): v is Vm => v !== undefined).map((v) => [v.id, v]));
  const over = c.policy.cpuOvercommit;

  c.vms.forEach((vm, i) => {
    if (vm === undefined) return;
    if (vm.host !== undefined && !hostIds.has(vm.host))
      problems.push({ path: `vms[${i}].host`, message: `current host "${vm.host}" is not a host of this cluster` });
    if (allHosts && !hosts.some((h) => fitsEmptyHost({ ...vm, maxVcpus: vm.vcpus }, h, over)))
      problems.push({ path: `vms[${i}]`, message: tooBigMessage(vm, hosts, over) });
    if (vm.capPercent > vm.vcpus * 100)
      problems.push({
        path: `vms[${i}].capPercent`,
        message: `cap ${vm.capPercent}% is more than the VM's ${vm.vcpus} vCPU(s) can use (at most ${vm.vcpus * 100})`,
      });
  });

  c.constraints.forEach((con, i) => {
    if (con === undefined) return;
    const seen = new Set<string>();
    con.vms.forEach((id, j) => {
      if (!vmIds.has(id)) problems.push({ path: `constraints[${i}].vms[${j}]`, message: `unknown VM "${id}"` });
      else if (seen.has(id)) problems.push({ path: `constraints[${i}].vms[${j}]`, message: `VM "${id}" is named twice` });
      seen.add(id);
    });
    const members = con.vms.map((id) => vmById.get(id)).filter((v): v is Vm => v !== undefined);
    if (con.kind === "host-label" && !con.soft && allHosts) {
      const matching = hosts.filter((h) => h.labels[con.label] === con.value);
      if (matching.length === 0)
        problems.push({
          path: `constraints[${i}]`,
          message: `no host has label ${con.label}=${con.value}, so its VMs cannot be placed`,
        });
    }
    if (con.kind === "affinity" && !con.soft && allHosts && members.length === con.vms.length) {
      const demand = {
        vcpus: sum(members, (v) => v.vcpus),
        memoryMiB: sum(members, (v) => v.memoryMiB),
        networkMbps: members.some((v) => v.networkMbps !== undefined)
          ? sum(members, (v) => v.networkMbps ?? 0)
          : undefined,
        maxVcpus: Math.max(...members.map((v) => v.vcpus)),
      };
      if (!hosts.some((h) => fitsEmptyHost(demand, h, over)))
        problems.push({
          path: `constraints[${i}]`,
          message: `affinity group needs ${demand.vcpus} vCPUs and ${demand.memoryMiB} MiB together, more than any one host offers`,
        });
    }
  });
  problems.push(...serviceProblems(c.services ?? [], c.vms, vmIds));
  return problems;
}

function duplicateCheck(items: readonly ({ id: string } | undefined)[], field: string, problems: Problem[]): Set<string> {
  const ids = new Set<string>();
  items.forEach((item, i) => {
    if (item === undefined) return;
    if (ids.has(item.id)) problems.push({ path: `${field}[${i}].id`, message: `duplicate id "${item.id}"` });
    ids.add(item.id);
  });
  return ids;
}

function tooBigMessage(vm: Vm, hosts: readonly Host[], over: number): string {
  const maxMem = Math.max(...hosts.map((h) => h.memoryMiB));
  const maxCores = Math.max(...hosts.map((h) => h.cores));
  return (
    `VM needs ${vm.vcpus} vCPU(s) and ${vm.memoryMiB} MiB${vm.networkMbps ? ` and ${vm.networkMbps} Mbps` : ""}, ` +
    `but no host can take it (largest host: ${maxCores} cores, ${maxMem} MiB, overcommit ${over})`
  );
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  let s = 0;
  for (const x of xs) s += f(x);
  return s;
}
