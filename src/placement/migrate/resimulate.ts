import type { Predictor } from "../../interference/predictor.js";
import type { Cluster, Vm } from "../../model/cluster.js";
import type { MigrationPlan, SimulatedHost } from "../../model/migration.js";
import type { SimRunner } from "../../sim/pool.js";
import { buildItems } from "../items.js";
import { buildProblem } from "../problem.js";
import { defaultProfile, frameworkFor } from "../profile.js";
import { PlacementState } from "../state.js";
import { validateByResimulation } from "../validate-plan.js";

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
  const finalHost = new Map<string, string>();
  for (const vm of cluster.vms) if (vm.host !== undefined) finalHost.set(vm.id, vm.host);
  for (const m of plan.moves) finalHost.set(m.vmId, m.to);
  const changed = [...new Set(plan.moves.flatMap((m) => [m.from, m.to]))];
  const predicted = new Map(plan.vms.map((v) => [v.vmId, v]));
  const byHost = new Map<string, Vm[]>(changed.map((h) => [h, []]));
  for (const vm of cluster.vms) byHost.get(finalHost.get(vm.id) ?? "")?.push({ ...vm, host: finalHost.get(vm.id) });
  const worst = (h: string): number => Math.max(0, ...(byHost.get(h) ?? []).map((v) => predicted.get(v.id)?.afterRatio ?? 0));
  const chosen = new Set(
    changed
      .filter((h) => (byHost.get(h) ?? []).some((v) => predicted.has(v.id)))
      .sort((a, b) => worst(b) - worst(a) || (a < b ? -1 : 1))
      .slice(0, o.maxHosts ?? Infinity),
  );
  const sub: Cluster = {
    ...cluster,
    hosts: cluster.hosts.filter((h) => chosen.has(h.id)),
    vms: [...chosen].sort().flatMap((h) => byHost.get(h) ?? []),
    constraints: [],
  };
  const simulated = sub.hosts.length === 0 ? [] : await simulateSub(sub, predictor, runner, o, predicted);
  const breaches = simulated.reduce((n, h) => n + h.vms.filter((v) => v.breach).length, 0);
  return { ...plan, simulation: { durationMs: o.durationMs, changedHosts: changed.length, hosts: simulated, breaches } };
}

async function simulateSub(sub: Cluster, predictor: Predictor, runner: SimRunner, o: ResimulateOptions, predicted: ReadonlyMap<string, { afterP999Us: number; sloP999Us?: number }>): Promise<SimulatedHost[]> {
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
  for (const [j, v] of [...r.vms].sort((a, b) => a[0] - b[0])) {
    const id = p.vms[j].id;
    const pr = predicted.get(id);
    const host = p.hosts[v.host].id;
    out.set(host, [...(out.get(host) ?? []), { vmId: id, predictedP999Us: pr?.afterP999Us ?? 0, simulatedP999Us: v.p999Us, ...(pr?.sloP999Us !== undefined ? { sloP999Us: pr.sloP999Us } : {}), breach: v.breach }]);
  }
  return [...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([hostId, vms]) => ({ hostId, vms }));
}
