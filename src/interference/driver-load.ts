import type { Host, Vm } from "../model/cluster.js";
import { driverCpusFor, type DriverDomain } from "../model/driver-domain.js";
import { cpuDemandVcpus, ioPartOf } from "../model/workload.js";

/**
 * The driver domain's load: every request costs packetsPerRequest x usPerPacket of driver CPU, so
 * a guest at rate R costs R x packets x usPerPacket / 1e6 CPUs in the driver domain (the XenMon
 * premise: driver CPU per guest is proportional to its packets). The host's CPU demand grows by
 * the sum. How the predictor sees the driver as a neighbour and on each request's path:
 * driver-state.ts.
 */

export { driverCpusFor };

/** DriverGuestLoad is one guest's driver work on its host. */
export interface DriverGuestLoad {
  vmId: string;
  packetsPerSec: number;
  driverCpus: number;
  /** The guest's own mean demand plus its driver CPU: what it really costs the host. */
  aggregateCpus: number;
  /** What the scheduler entitles it to: its cap, or its weight's part of the host (vCPU-bound). */
  entitlementCpus: number;
}

/** hostDriverLoad lists each guest's driver work and the driver domain's total. */
export function hostDriverLoad(host: Host, vms: readonly Vm[]): { driverCpus: number; guests: DriverGuestLoad[] } | undefined {
  const d = host.driverDomain;
  if (d === undefined) return undefined;
  const weightOf = (vm: Vm): number => (host.scheduler.kind.startsWith("xen") ? vm.weight : vm.cpuWeight);
  const totalWeight = vms.reduce((s, vm) => s + weightOf(vm), 0);
  const guests = vms.map((vm): DriverGuestLoad => {
    const rate = ioPartOf(vm.workload)?.requestsPerSec ?? 0;
    const driverCpus = driverCpusFor(d, rate);
    const own = cpuDemandVcpus(vm.workload, vm.vcpus);
    const share = totalWeight > 0 ? (host.cores * weightOf(vm)) / totalWeight : host.cores;
    const entitlementCpus = vm.capPercent > 0 ? Math.min(vm.capPercent / 100, vm.vcpus) : Math.min(vm.vcpus, share);
    return { vmId: vm.id, packetsPerSec: rate * d.packetsPerRequest, driverCpus, aggregateCpus: own + driverCpus, entitlementCpus };
  });
  return { driverCpus: guests.reduce((s, g) => s + g.driverCpus, 0), guests };
}
