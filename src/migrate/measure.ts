import { scoreHost } from "../interference/score.js";
import { checkPlan } from "../model/check-plan.js";
import type { HostLoad, MigrationPlan, VmLatency } from "../model/migration.js";
import type { Violation } from "../model/plan.js";
import type { PlacementState } from "../placement/state.js";
import { load } from "./context.js";
import { RiskLedger, type VictimModel } from "./risk.js";

type Side = MigrationPlan["summary"]["before"];

/** hostLoads: every host's load and interference risk level (scoreHost) in a state. O(VMs + hosts). */
export function hostLoads(s: PlacementState): HostLoad[] {
  const p = s.problem;
  return p.hosts.map((h, i) => {
    const r = scoreHost(h, s.vmsOn[i].map((j) => p.profiles[j]), p.predictor).host;
    return {
      hostId: h.id,
      cores: h.cores,
      memoryMiB: h.memoryMiB,
      memoryUsedMiB: s.memUsedMiB[i],
      vcpuCap: p.hostVcpuCap[i],
      vcpus: s.vcpusUsed[i],
      demandCpus: round(s.hostStates[i].demandCpus, 100),
      ...(h.driverDomain ? { driverCpus: round(s.hostStates[i].driverCpus, 1000) } : {}),
      vms: s.vmsOn[i].length,
      level: r.level,
      breaches: r.breaches,
    };
  });
}

/** sideOf: the cluster-wide numbers of one state, for the before/after summary. */
export function sideOf(model: VictimModel, s: PlacementState): Side {
  const p = s.problem;
  const ledger = new RiskLedger(model, s);
  let maxLoad = 0;
  let sumLoad = 0;
  for (let i = 0; i < p.nHosts; i++) {
    const l = load(s, i);
    maxLoad = Math.max(maxLoad, l);
    sumLoad += l;
  }
  return {
    breaches: ledger.totalBreaches,
    violations: violationsOf(s).length,
    risk: round(ledger.totalPoints, 100),
    hostsUsed: s.usedHosts,
    cost: round(s.usedCost, 1000),
    maxLoad: round(maxLoad, 1000),
    meanLoad: round(sumLoad / Math.max(1, p.nHosts), 1000),
  };
}

/** vmLatencies: each placed latency-sensitive VM's predicted p99.9 before and after. */
export function vmLatencies(model: VictimModel, before: PlacementState, after: PlacementState): VmLatency[] {
  const p = before.problem;
  const out: VmLatency[] = [];
  for (let j = 0; j < p.nVms; j++) {
    if (p.latencySensitive[j] !== 1 || before.hostOf[j] < 0 || after.hostOf[j] < 0) continue;
    const hasSlo = model.slo999[j] !== Infinity || model.slo99[j] !== Infinity;
    out.push({
      vmId: p.vms[j].id,
      hostBefore: p.hosts[before.hostOf[j]].id,
      hostAfter: p.hosts[after.hostOf[j]].id,
      ...(model.slo999[j] !== Infinity ? { sloP999Us: model.slo999[j] } : {}),
      ...(model.slo99[j] !== Infinity ? { sloP99Us: model.slo99[j] } : {}),
      beforeP999Us: round(model.p999Us(before, j), 10),
      afterP999Us: round(model.p999Us(after, j), 10),
      ...(hasSlo ? { beforeRatio: round(model.ratio(before, j), 1000), afterRatio: round(model.ratio(after, j), 1000) } : {}),
    });
  }
  return out;
}

/** assignmentsOf: a state's placement as the document's (vm, host) pairs. */
export function assignmentsOf(s: PlacementState): { vm: string; host: string }[] {
  const p = s.problem;
  const out: { vm: string; host: string }[] = [];
  for (let j = 0; j < p.nVms; j++) if (s.hostOf[j] >= 0) out.push({ vm: p.vms[j].id, host: p.hosts[s.hostOf[j]].id });
  return out;
}

/**
 * violationsOf: what the independent checker (shared with the placer) finds wrong with a state.
 * Partial: a VM without a current host is not one a migration left out (it never had a host).
 */
export function violationsOf(s: PlacementState): Violation[] {
  return checkPlan(s.problem.cluster, assignmentsOf(s), { partial: true });
}

function round(x: number, scale: number): number {
  return Math.round(x * scale) / scale;
}
