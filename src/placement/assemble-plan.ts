import { scoreHost, type VmRisk } from "../interference/score.js";
import { checkPlan } from "../model/check-plan.js";
import type { Plan } from "../model/plan.js";
import type { Explanation } from "./explain.js";
import type { InfeasibleVm } from "./infeasible.js";
import { EnvelopeCache } from "./interference-cap.js";
import type { LowerBound } from "./lower-bound.js";
import { defaultSoftPenalty } from "./lp-rows.js";
import type { Optimised } from "./optimise.js";
import type { PlacementProblem } from "./problem.js";
import { objectiveOf } from "./solvers/local-search.js";
import type { PlacementState } from "./state.js";
import type { ValidationOptions, ValidationResult } from "./validate-plan.js";

export interface PlanParts {
  readonly problem: PlacementProblem;
  readonly state: PlacementState;
  readonly bound: LowerBound;
  readonly construction: string;
  readonly opt: Optimised;
  readonly validation?: ValidationResult;
  readonly validationOptions?: Omit<ValidationOptions, "seed" | "onProgress">;
  /** Cost of the optimised plan before validation repairs. */
  readonly costBefore: number;
  readonly explanations: readonly Explanation[];
  readonly infeasible: readonly InfeasibleVm[];
  readonly seed: number;
  readonly solverRequested: "auto" | "milp" | "heuristic";
}

/** assemblePlan turns the placer's indices into the plan document (ids, rounded numbers, sorted). */
export function assemblePlan(x: PlanParts): Plan {
  const { problem: p, state: s } = x;
  const assignments = p.vms.flatMap((vm, j) => (s.hostOf[j] >= 0 ? [{ vm: vm.id, host: p.hosts[s.hostOf[j]].id }] : []));
  const usedIdx = [...s.usedList].sort((a, b) => a - b);
  let cost = 0;
  for (const i of usedIdx) cost += p.hostCost[i];
  const scored = usedIdx.map((i) => ({ i, ...scoreHost(p.hosts[i], s.vmsOn[i].map((j) => p.profiles[j]), p.predictor) }));
  const risks = new Map<string, VmRisk>(scored.flatMap((h) => h.vms.map((v) => [v.vmId, v] as [string, VmRisk])));
  const bounds = boundSources(x);
  const lb = Math.max(...bounds.filter((b) => b.usable).map((b) => b.value));
  const simByHost = new Map<number, number>();
  for (const v of x.validation?.vms.values() ?? []) if (v.breach) simByHost.set(v.host, (simByHost.get(v.host) ?? 0) + 1);
  return {
    version: 1,
    objective: p.policy.objective,
    seed: x.seed,
    solver: {
      requested: x.solverRequested,
      used: x.opt.used,
      construction: x.construction,
      stoppedOn: x.opt.stoppedOn,
      iterations: x.opt.iterations,
      exactStatus: x.opt.exactStatus,
      note: x.opt.note,
    },
    cost: r6(cost),
    objectiveValue: r6(objectiveOf(s, defaultSoftPenalty(p))),
    softViolations: s.softViolations,
    lowerBound: r6(lb),
    gap: lb > 0 ? Math.round(((cost - lb) / lb) * 1e6) / 1e6 : 0,
    boundSources: bounds.map(({ source, value, detail }) => ({ source, value: r6(value), detail })),
    hostsUsed: usedIdx.length,
    usedHosts: usedIdx.map((i) => p.hosts[i].id),
    assignments,
    unplaced: p.vms.filter((_, j) => s.hostOf[j] < 0).map((v) => v.id),
    infeasible: x.infeasible.map((u) => ({
      vm: p.vms[u.vm].id,
      byHostType: u.byType.map((t) => ({ host: p.hosts[t.host].id, hosts: p.types[t.type].hosts.length, cores: p.types[t.type].cores, memoryMiB: p.types[t.type].memoryMiB, reasons: [...t.reasons] })),
    })),
    check: checked(p, assignments),
    slo: {
      predictedBreaches: scored.reduce((n, h) => n + h.host.breaches, 0),
      simulatedBreachesBefore: x.validation?.breachesBefore,
      simulatedBreachesAfter: x.validation?.breachesAfter,
    },
    validation: validationSection(x, risks),
    hostRisk: scored.map(({ i, host }) => ({
      host: host.hostId,
      vms: host.vms,
      vcpus: host.vcpus,
      memoryMiB: s.memUsedMiB[i],
      level: host.level,
      bobtail: host.bobtail,
      predictedDelayP999Us: host.delayP999Us,
      predictedBreaches: host.breaches,
      simulatedBreaches: x.validation ? (simByHost.get(i) ?? 0) : undefined,
    })),
    explanations: x.explanations.map((e) => ({
      vm: p.vms[e.vm].id,
      host: p.hosts[e.host].id,
      total: e.total,
      scores: { ...e.scores },
      runnerUp: e.runnerUp && {
        host: p.hosts[e.runnerUp.host].id,
        total: e.runnerUp.total,
        scores: e.runnerUp.scores && { ...e.runnerUp.scores },
        reasons: e.runnerUp.reasons && [...e.runnerUp.reasons],
      },
      candidates: e.candidates,
    })),
  };
}

function checked(p: PlacementProblem, assignments: { vm: string; host: string }[]): Plan["check"] {
  const violations = checkPlan(p.cluster, assignments);
  return { ok: violations.length === 0, violations };
}

/**
 * boundSources: the closed-form bound always counts. HiGHS's dual bound is a bound on the
 * linear model's objective; it bounds the plan's cost only when that model is exact for it:
 * no soft constraints (their penalties are in the objective, not the cost) and interference
 * rows that never bind (the envelope is conservative, so otherwise the model's optimum can lie
 * above the true one). Otherwise it is listed, not used.
 */
interface BoundSource {
  source: "closed-form" | "highs-dual";
  value: number;
  detail: string;
  usable: boolean;
}

function boundSources(x: PlanParts): BoundSource[] {
  const b = x.bound;
  const out: BoundSource[] = [{ source: "closed-form", value: b.value, detail: `${b.source} (cover ${b.cover}, lp ${b.lp}, spread ${b.spread})`, usable: true }];
  const d = x.opt.dualBound;
  if (d === undefined || x.problem.policy.objective !== "min-cost") return out;
  const exact = !hasSoft(x.problem) && interferenceVacuous(x.problem);
  out.push({ source: "highs-dual", value: d, detail: exact ? "dual bound of the exact model" : "dual bound of the linear model (conservative interference or soft penalties): not a bound on cost", usable: exact });
  return out;
}

function hasSoft(p: PlacementProblem): boolean {
  return [...p.affinity, ...p.antiAffinity, ...p.hostLabel].some((g) => g.soft);
}

/** interferenceVacuous: every victim's cap on every type it may use is the type's whole vCPU capacity. */
function interferenceVacuous(p: PlacementProblem): boolean {
  if (p.policy.forbidBobtail) return false;
  const env = new EnvelopeCache(p);
  const nT = p.types.length;
  for (let j = 0; j < p.nVms; j++) {
    if (!p.victims[j]) continue;
    for (let t = 0; t < nT; t++) if (p.typeAllowed[j * nT + t] && env.cap(j, t) < p.types[t].vcpuCap) return false;
  }
  return true;
}

function validationSection(x: PlanParts, risks: ReadonlyMap<string, VmRisk>): Plan["validation"] {
  const { problem: p, state: s, validation: v, validationOptions: o } = x;
  const vms: Plan["validation"]["vms"] = [];
  for (let j = 0; j < p.nVms; j++) {
    const risk = risks.get(p.vms[j].id);
    if (!risk || s.hostOf[j] < 0) continue;
    const sim = v?.vms.get(j);
    vms.push({
      vm: risk.vmId,
      host: risk.hostId,
      sloP99Us: risk.sloP99Us,
      sloP999Us: risk.sloP999Us,
      predictedP99Us: risk.predictedP99Us,
      predictedP999Us: risk.predictedP999Us,
      simulatedP99Us: sim && Math.round(sim.p99Us),
      simulatedP999Us: sim && Math.round(sim.p999Us),
      requests: sim?.requests,
      breach: sim ? sim.breach : risk.breach,
    });
  }
  const unsim = v && v.unsimulated.length > 0 ? `${v.unsimulated.length} host(s) run a scheduler the simulator does not implement: predicted only` : undefined;
  return {
    performed: v !== undefined,
    rounds: v?.rounds ?? 0,
    durationMs: o?.durationMs ?? 0,
    warmupMs: o?.warmupMs ?? 0,
    hostsSimulated: v?.hostsSimulated ?? 0,
    costBefore: v ? r6(x.costBefore) : undefined,
    repairs: (v?.repairs ?? []).map((r) => ({
      round: r.round,
      host: p.hosts[r.host].id,
      victim: p.vms[r.victim].id,
      moved: p.vms[r.moved].id,
      to: r.to !== undefined ? p.hosts[r.to].id : undefined,
      cut: `at most ${r.maxAggressorVcpus} CPU-bound vCPUs on ${p.hosts[r.host].id}`,
    })),
    vms,
    note: v ? unsim : "not validated (--no-validate)",
  };
}

function r6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
