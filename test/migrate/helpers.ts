import type { Cluster, ClusterInput } from "../../src/model/cluster.js";
import type { MigrationPlan } from "../../src/model/migration.js";
import { bundledPredictor as predictor, loadCluster, parseOrThrow } from "../helpers/fixtures.js";

export { predictor };

/** load parses a cluster document the way the CLI does; a problem fails the test. */
export function load(input: unknown): Cluster {
  return parseOrThrow(input);
}

export function file(path: string): Cluster {
  return loadCluster(path);
}

export function doc(input: ClusterInput): Cluster {
  return load(input);
}

/** applyPlan: the cluster with every VM on the host the plan leaves it on. */
export function applyPlan(c: Cluster, plan: MigrationPlan): Cluster {
  const to = new Map<string, string>();
  for (const m of plan.moves) to.set(m.vmId, m.to);
  return { ...c, vms: c.vms.map((v) => (to.has(v.id) ? { ...v, host: to.get(v.id) } : v)) };
}

/**
 * replayWaves re-runs the plan wave by wave from the document alone (no planner code) and lists
 * every moment a host would overflow: while a wave runs, a target holds what it had plus every
 * VM copying in (the sources still hold theirs); after it, memory and vCPUs must fit as usual.
 */
export function replayWaves(c: Cluster, plan: MigrationPlan): string[] {
  const problems: string[] = [];
  const hostOf = new Map(c.vms.map((v) => [v.id, v.host]));
  const vm = new Map(c.vms.map((v) => [v.id, v]));
  const mem = new Map<string, number>(c.hosts.map((h) => [h.id, 0]));
  const cpu = new Map<string, number>(c.hosts.map((h) => [h.id, 0]));
  const add = (h: string | undefined, v: { memoryMiB: number; vcpus: number }, sign: number): void => {
    if (h === undefined) return;
    mem.set(h, mem.get(h)! + sign * v.memoryMiB);
    cpu.set(h, cpu.get(h)! + sign * v.vcpus);
  };
  for (const v of c.vms) add(v.host, v, 1);
  const host = new Map(c.hosts.map((h) => [h.id, h]));
  for (const w of plan.waves) {
    const moves = plan.moves.filter((m) => m.wave === w.index);
    const incoming = new Map<string, number>();
    for (const m of moves) incoming.set(m.to, (incoming.get(m.to) ?? 0) + vm.get(m.vmId)!.memoryMiB);
    for (const [h, inMiB] of incoming)
      if (mem.get(h)! + inMiB > host.get(h)!.memoryMiB) problems.push(`wave ${w.index}: ${h} holds ${mem.get(h)! + inMiB} MiB in flight, capacity ${host.get(h)!.memoryMiB}`);
    for (const m of moves) {
      if (hostOf.get(m.vmId) !== m.from) problems.push(`wave ${w.index}: ${m.vmId} is on ${hostOf.get(m.vmId)}, not ${m.from}`);
      add(hostOf.get(m.vmId), vm.get(m.vmId)!, -1);
      add(m.to, vm.get(m.vmId)!, 1);
      hostOf.set(m.vmId, m.to);
    }
    for (const h of c.hosts) {
      if (mem.get(h.id)! > h.memoryMiB) problems.push(`after wave ${w.index}: ${h.id} memory over`);
      if (cpu.get(h.id)! > Math.floor(h.cores * c.policy.cpuOvercommit + 1e-9)) problems.push(`after wave ${w.index}: ${h.id} vCPUs over`);
    }
  }
  return problems;
}
