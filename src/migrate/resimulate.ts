import type { Predictor } from "../interference/predictor.js";
import type { Cluster, Vm } from "../model/cluster.js";
import type { MigrationPlan, SimulatedHost } from "../model/migration.js";
import type { SimRunner } from "../sim/runner.js";
import { buildItems } from "../placement/items.js";
import { buildProblem } from "../placement/problem.js";
import { defaultProfile, frameworkFor } from "../placement/profile.js";
import { PlacementState } from "../placement/state.js";
import { validateByResimulation } from "../placement/validate-plan.js";

export interface ResimulateOptions {
  /** Measured simulated time per host (after warm-up). */
  readonly durationMs: number;
  readonly warmupMs?: number;
  readonly seed: number;
  /** Most hosts to simulate, those whose victims have least predicted slack first. */
  readonly maxHosts?: number;
  readonly onProgress?: (fraction: number) => void;
}

/**
 * resimulate proves the plan's final state on the hosts it changes, with the placer's validation
 * runner: the changed hosts that run a latency-sensitive VM, with their final VMs, form a small
 * cluster that validateByResimulation simulates once (one round: it reports, it does not repair
 * a migration plan). Returns the plan with `simulation` filled; the input is not changed.
 */
export async function resimulate(cluster: Cluster, predictor: Predictor, plan: MigrationPlan, runner: SimRunner, o: ResimulateOptions): Promise<MigrationPlan> {
  const finalHost = finalHostsOf(cluster, plan);
  const changed = changedHostsOf(plan);
  const chosen = worstChanged(cluster, plan, finalHost, changed, o.maxHosts);
  const simulated = await simulateHosts(cluster, predictor, plan, finalHost, chosen, runner, o);
  const breaches = simulated.hosts.reduce((n, h) => n + h.vms.filter((v) => v.breach).length, 0);
  return { ...plan, simulation: { durationMs: o.durationMs, changedHosts: changed.length, hosts: simulated.hosts, breaches } };
}

/** finalHostsOf: each VM's host once the plan has run (VM id → host id). */
export function finalHostsOf(cluster: Cluster, plan: MigrationPlan): Map<string, string> {
  const finalHost = new Map<string, string>();
  for (const vm of cluster.vms) if (vm.host !== undefined) finalHost.set(vm.id, vm.host);
  for (const m of plan.moves) finalHost.set(m.vmId, m.to);
  return finalHost;
}

/** changedHostsOf: the hosts the plan's moves leave or reach, in first-seen order. */
export function changedHostsOf(plan: MigrationPlan): string[] {
  return [...new Set(plan.moves.flatMap((m) => [m.from, m.to]))];
}

/** worstChanged: the changed hosts that end with a latency-sensitive VM, least predicted slack first. */
export function worstChanged(cluster: Cluster, plan: MigrationPlan, finalHost: ReadonlyMap<string, string>, changed: readonly string[], maxHosts?: number): string[] {
  const predicted = new Map(plan.vms.map((v) => [v.vmId, v]));
  const byHost = new Map<string, string[]>(changed.map((h) => [h, []]));
  for (const vm of cluster.vms) byHost.get(finalHost.get(vm.id) ?? "")?.push(vm.id);
  const worst = (h: string): number => Math.max(0, ...(byHost.get(h) ?? []).map((v) => predicted.get(v)?.afterRatio ?? 0));
  return changed
    .filter((h) => (byHost.get(h) ?? []).some((v) => predicted.has(v)))
    .sort((a, b) => worst(b) - worst(a) || (a < b ? -1 : 1))
    .slice(0, maxHosts ?? Infinity);
}

/** SimulatedVerdict: one latency-sensitive VM's simulated percentiles (µs) on its final host. */
export interface SimulatedVerdict {
  readonly hostId: string;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly requests: number;
  readonly breach: boolean;
}

/**
 * simulateHosts simulates the named hosts (those among them that end with a latency-sensitive
 * VM) in the plan's final state, once each, with the placer's validation runner: they form a
 * small cluster that validateByResimulation simulates in one round (it reports, it repairs
 * nothing). Returns the document's view of each host and every victim's verdict by VM id.
 */
export async function simulateHosts(
  cluster: Cluster,
  predictor: Predictor,
  plan: MigrationPlan,
  finalHost: ReadonlyMap<string, string>,
  hostIds: Iterable<string>,
  runner: SimRunner,
  o: ResimulateOptions,
): Promise<{ hosts: SimulatedHost[]; verdicts: Map<string, SimulatedVerdict> }> {
  const predicted = new Map(plan.vms.map((v) => [v.vmId, v]));
  const wanted = new Set(hostIds);
  const byHost = new Map<string, Vm[]>([...wanted].map((h) => [h, []]));
  for (const vm of cluster.vms) byHost.get(finalHost.get(vm.id) ?? "")?.push({ ...vm, host: finalHost.get(vm.id) });
  const chosen = new Set([...wanted].filter((h) => (byHost.get(h) ?? []).some((v) => predicted.has(v.id))));
  const sub: Cluster = {
    ...cluster,
    hosts: cluster.hosts.filter((h) => chosen.has(h.id)),
    vms: [...chosen].sort().flatMap((h) => byHost.get(h) ?? []),
    constraints: [],
  };
  if (sub.hosts.length === 0) return { hosts: [], verdicts: new Map() };
  return simulateSub(sub, predictor, runner, o, predicted);
}

async function simulateSub(
  sub: Cluster,
  predictor: Predictor,
  runner: SimRunner,
  o: ResimulateOptions,
  predicted: ReadonlyMap<string, { afterP999Us: number; sloP999Us?: number }>,
): Promise<{ hosts: SimulatedHost[]; verdicts: Map<string, SimulatedVerdict> }> {
  const p = buildProblem(sub, predictor);
  const index = new Map(p.hosts.map((h, i) => [h.id, i]));
  const state = PlacementState.fromAssignment(p, Int32Array.from(p.vms, (v) => index.get(v.host ?? "") ?? -1));
  const r = await validateByResimulation(state, frameworkFor(defaultProfile("min-cost")), buildItems(p), {
    runner,
    durationMs: o.durationMs,
    warmupMs: o.warmupMs ?? Math.min(2000, o.durationMs),
    maxRounds: 1,
    seed: o.seed,
    onProgress: o.onProgress,
  });
  const out = new Map<string, SimulatedHost["vms"]>();
  const verdicts = new Map<string, SimulatedVerdict>();
  for (const [j, v] of [...r.vms].sort((a, b) => a[0] - b[0])) {
    const id = p.vms[j].id;
    const pr = predicted.get(id);
    const host = p.hosts[v.host].id;
    out.set(host, [...(out.get(host) ?? []), { vmId: id, predictedP999Us: pr?.afterP999Us ?? 0, simulatedP999Us: v.p999Us, ...(pr?.sloP999Us !== undefined ? { sloP999Us: pr.sloP999Us } : {}), breach: v.breach }]);
    verdicts.set(id, { hostId: host, p99Us: v.p99Us, p999Us: v.p999Us, requests: v.requests, breach: v.breach });
  }
  return { hosts: [...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([hostId, vms]) => ({ hostId, vms })), verdicts };
}
