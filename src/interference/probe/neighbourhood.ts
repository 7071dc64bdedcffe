import type { Cluster, Host, Vm } from "../../model/cluster.js";
import type { ProbeParams } from "../../model/probe.js";
import { ScenarioSchema, type Scenario } from "../../model/scenario.js";
import type { SchedulerParams } from "../../model/scheduler.js";
import { ioPartOf, type IoPart } from "../../model/workload.js";
import { profileVm } from "../profile.js";

/** REFERENCE_IO is E4's victim (sim-fidelity.md 5): Poisson 1000 req/s of 50 us. */
export const REFERENCE_IO: IoPart = { requestsPerSec: 1000, serviceUs: 50, arrival: "poisson" };

/** ProbeSite is where the simulated probe runs: a host, the VMs on it and the tenant's VM. */
export interface ProbeSite {
  host: Host;
  vms: readonly Vm[];
  vmId: string;
}

/** ProbeSiteProblem is bad input, named so the CLI and API can word it. */
export class ProbeSiteProblem extends Error {}

/**
 * findSite picks VM vmId and its host from a cluster's current placement; hostId, when given,
 * must be where the VM runs.
 */
export function findSite(c: Cluster, hostId: string | undefined, vmId: string): ProbeSite {
  const vm = c.vms.find((v) => v.id === vmId);
  if (!vm) throw new ProbeSiteProblem(`no VM "${vmId}" in the cluster`);
  const id = hostId ?? vm.host;
  if (id === undefined) throw new ProbeSiteProblem(`VM "${vmId}" has no current host (its "host" field): the probe runs where a VM runs`);
  const host = c.hosts.find((h) => h.id === id);
  if (!host) throw new ProbeSiteProblem(`no host "${id}" (hosts: ${listed(c.hosts.map((h) => h.id))})`);
  if (vm.host !== id)
    throw new ProbeSiteProblem(
      vm.host === undefined
        ? `VM "${vmId}" has no current host (its "host" field): the probe runs where a VM runs`
        : `VM "${vmId}" runs on host "${vm.host}", not "${id}"`,
    );
  return { host, vms: c.vms.filter((v) => v.host === id), vmId };
}

/**
 * withProbe gives the tenant's VM the probe workload. Its io part stays on the same vCPUs (a
 * server and the probe in one guest); CPU work does not: the probe is meant for a quiet instance,
 * as Bobtail ran it, and a guest busy with its own bursts would measure itself. The note says so.
 */
export function withProbe(vm: Vm, p: ProbeParams, io: IoPart | undefined = ioPartOf(vm.workload)): { vm: Vm; note: string | null } {
  const part = io && { requestsPerSec: io.requestsPerSec, serviceUs: io.serviceUs, arrival: io.arrival };
  const workload = { kind: "probe" as const, sleepUs: p.sleepUs, serviceUs: 5, thresholdMs: p.thresholdMs, ...(part ? { io: part } : {}) };
  const hasCpu = !["io", "idle", "probe"].includes(vm.workload.kind);
  const note = hasCpu
    ? `VM "${vm.id}"'s own CPU work (${vm.workload.kind}) was set aside while the probe ran: the probe measures the neighbours, on a quiet instance`
    : null;
  return { vm: { ...vm, workload }, note };
}

/** probeScenario builds the run: the site's VMs, the tenant's one carrying the probe. */
export function probeScenario(
  site: ProbeSite,
  victim: Vm,
  opts: { durationMs: number; seed: number; scheduler?: SchedulerParams; neighbours?: readonly Vm[] },
): Scenario {
  const others = opts.neighbours ?? site.vms.filter((v) => v.id !== site.vmId);
  return ScenarioSchema.parse({
    host: { ...site.host, scheduler: opts.scheduler ?? site.host.scheduler },
    vms: [victim, ...others],
    durationMs: opts.durationMs,
    seed: opts.seed,
  });
}

/** vcpuMix counts neighbours' CPU-intensive vCPUs as the Bobtail rule does: sleepy and hogs. */
export function vcpuMix(neighbours: readonly Vm[]): { sleepyCpuVcpus: number; hogVcpus: number } {
  let sleepyCpuVcpus = 0;
  let hogVcpus = 0;
  for (const vm of neighbours) {
    const p = profileVm(vm);
    if (p.sleepy) sleepyCpuVcpus += p.cpuVcpus;
    else hogVcpus += p.cpuVcpus;
  }
  return { sleepyCpuVcpus, hogVcpus };
}

/**
 * goodNeighbours is "a typical good neighbourhood" for the same host: io and idle neighbours stay,
 * CPU-intensive ones are kept in document order only while they and the tenant's vCPUs leave one
 * core free. A waking vCPU then always finds an idle core, under every scheduler: the safe side of
 * the Bobtail rule, and Bobtail's own good cells (zero or one CPU-intensive VM on 4 cores).
 */
export function goodNeighbours(site: ProbeSite, victimVcpus: number): Vm[] {
  let budget = site.host.cores - 1 - victimVcpus;
  const out: Vm[] = [];
  for (const vm of site.vms) {
    if (vm.id === site.vmId) continue;
    const cpu = profileVm(vm).cpuVcpus;
    if (cpu === 0) out.push(vm);
    else if (cpu <= budget) {
      out.push(vm);
      budget -= cpu;
    }
  }
  return out;
}

function listed(ids: readonly string[]): string {
  return ids.length <= 8 ? ids.join(", ") : `${ids.slice(0, 8).join(", ")}, ... ${ids.length - 8} more`;
}
