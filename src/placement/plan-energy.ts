import { currentHostOf, energySide, hostDraws } from "../model/energy.js";
import type { Cluster } from "../model/cluster.js";
import type { EnergySection } from "../model/objectives.js";

/**
 * energySection: the plan's predicted draw at the documented load (a plan made with headroom is
 * powered at today's demand), each host that is on, and the current placement's draw when the
 * document has one, so a report can show before and after.
 */
export function energySection(nominal: Cluster, hostOf: ArrayLike<number>): EnergySection {
  const grid = nominal.policy.gridKgCo2PerKWh;
  const draws = hostDraws(nominal, hostOf);
  const hasCurrent = nominal.vms.some((v) => v.host !== undefined);
  return {
    gridKgCo2PerKWh: grid,
    ...(hasCurrent ? { current: energySide(hostDraws(nominal, currentHostOf(nominal)), grid) } : {}),
    plan: energySide(draws, grid),
    defaultModelHosts: nominal.hosts.filter((h) => h.power?.curveWatts === undefined && h.power?.peakWatts === undefined).length,
    hosts: draws.filter((d) => d.on).map((d) => ({ host: nominal.hosts[d.host].id, utilisation: Math.round(d.utilisation * 1000) / 1000, watts: Math.round(d.watts * 10) / 10 })),
  };
}
