import type { AdviceOption, Change } from "../../src/model/advice.js";
import type { Cluster } from "../../src/model/cluster.js";
import { ScenarioSchema } from "../../src/model/scenario.js";
import { simulateHost } from "../../src/sim/simulate-host.js";

/**
 * afterChanges applies an option's changes to the cluster document with test code of its own (not
 * the advisor's), so a test can check the advice against an independent simulation.
 */
export function afterChanges(c: Cluster, changes: readonly Change[]): Cluster {
  const hosts = c.hosts.map((h) => {
    let scheduler = h.scheduler;
    for (const x of changes) {
      if (x.kind === "scheduler" && x.hostId === h.id) scheduler = x.to;
      if (x.kind === "scheduler-param" && x.hostId === h.id) scheduler = { ...scheduler, [x.param]: x.to } as typeof scheduler;
    }
    const charge = changes.find((x) => x.kind === "driver-param" && x.hostId === h.id);
    const driverDomain = h.driverDomain && charge?.kind === "driver-param" ? { ...h.driverDomain, chargeDriverWork: charge.to } : h.driverDomain;
    return { ...h, scheduler, ...(driverDomain ? { driverDomain } : {}) };
  });
  const vms = c.vms.map((v) => {
    let out = v;
    for (const x of changes) {
      if (x.kind === "vm-param" && x.vmId === v.id) out = { ...out, [x.param]: x.to };
      if (x.kind === "move" && x.vmId === v.id) out = { ...out, host: x.to };
    }
    return out;
  });
  return { ...c, hosts, vms };
}

/** simulatedP999: each seed's p99.9 of one VM on the host it runs on in the cluster, in µs. */
export function simulatedP999(c: Cluster, vmId: string, seeds: readonly number[], durationMs: number): number[] {
  const hostId = c.vms.find((v) => v.id === vmId)!.host!;
  const host = c.hosts.find((h) => h.id === hostId)!;
  const vms = c.vms.filter((v) => v.host === hostId);
  return seeds.map((seed) => {
    const r = simulateHost(ScenarioSchema.parse({ host, vms, durationMs, warmupMs: Math.min(2000, durationMs), seed }));
    return r.vms.find((v) => v.id === vmId)!.requestLatency.p999Us;
  });
}

export const medianOf = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** option: one option of a host's advice, failing the test when it is absent. */
export function option(options: readonly AdviceOption[], id: string): AdviceOption {
  const o = options.find((x) => x.id === id);
  if (o === undefined) throw new Error(`no option "${id}" (have ${options.map((x) => x.id).join(", ")})`);
  return o;
}
