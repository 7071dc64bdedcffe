import type { Cluster } from "./cluster.js";
import type { EnergySide } from "./objectives.js";
import { kWhPerMonth, powerCurve, wattsAt } from "./power.js";
import { driverCpusFor } from "./driver-domain.js";
import { cpuDemandVcpus, ioPartOf } from "./workload.js";

/** HostDraw: one host's CPU utilisation (demand over cores: above 1 when its VMs want more) and predicted watts. */
export interface HostDraw {
  readonly host: number;
  readonly on: boolean;
  readonly utilisation: number;
  readonly watts: number;
}

/**
 * hostDraws predicts every host's draw for a placement (hostOf[j] = host index of VM j, -1 when
 * unplaced): a host with a VM is on and draws its curve at its VMs' mean CPU demand (with what
 * their packets cost its driver domain, when it has one) over its cores; one without draws its
 * standby watts. The placer's min-energy objective is the same sum,
 * kept incrementally (PlacementState.watts). O(VMs + hosts).
 */
export function hostDraws(cluster: Cluster, hostOf: ArrayLike<number>): HostDraw[] {
  const demand = new Float64Array(cluster.hosts.length);
  const count = new Int32Array(cluster.hosts.length);
  cluster.vms.forEach((vm, j) => {
    const i = hostOf[j];
    if (i < 0) return;
    demand[i] += cpuDemandVcpus(vm.workload, vm.vcpus);
    const d = cluster.hosts[i].driverDomain;
    const io = ioPartOf(vm.workload);
    if (d !== undefined && io !== undefined) demand[i] += driverCpusFor(d, io.requestsPerSec);
    count[i]++;
  });
  return cluster.hosts.map((h, i) => {
    const on = count[i] > 0;
    const utilisation = on ? demand[i] / h.cores : 0;
    return { host: i, on, utilisation, watts: on ? wattsAt(powerCurve(h.power, h.cores), utilisation) : (h.power?.standbyWatts ?? 0) };
  });
}

/** energySide: a placement's hosts on, watts, kWh and kg CO2 per month. */
export function energySide(draws: readonly HostDraw[], gridKgCo2PerKWh: number): EnergySide {
  let watts = 0;
  let on = 0;
  for (const d of draws) (watts += d.watts), (on += d.on ? 1 : 0);
  const kWh = kWhPerMonth(watts);
  return { hostsOn: on, watts: round(watts, 10), kWhPerMonth: round(kWh, 10), kgCo2PerMonth: round(kWh * gridKgCo2PerKWh, 10) };
}

/** currentHostOf: the document's current placement as host indices (-1: no current host). */
export function currentHostOf(cluster: Cluster): Int32Array {
  const index = new Map(cluster.hosts.map((h, i) => [h.id, i]));
  return Int32Array.from(cluster.vms, (v) => (v.host === undefined ? -1 : (index.get(v.host) ?? -1)));
}

function round(x: number, scale: number): number {
  return Math.round(x * scale) / scale;
}
