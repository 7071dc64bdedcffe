import { scoreHost, type VmRisk } from "../interference/score.js";
import { checkCurrentPlacement, checkPlan } from "../model/check-plan.js";
import type { Cluster } from "../model/cluster.js";
import type { RobustnessSection } from "../model/objectives.js";
import type { Plan } from "../model/plan.js";
import type { Explanation } from "./explain.js";
import type { UnplacedReport } from "./infeasible.js";
import type { LowerBound } from "./lower-bound.js";
import { defaultSoftPenalty } from "./lp-rows.js";
import type { Optimised } from "./optimise.js";
import { boundSection } from "./plan-bounds.js";
import { energySection } from "./plan-energy.js";
import { unplacedSection } from "./plan-unplaced.js";
import type { PlacementProblem } from "./problem.js";
import { serviceTails } from "./service-report.js";
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
  readonly unplaced: UnplacedReport;
  readonly seed: number;
  readonly solverRequested: "auto" | "milp" | "heuristic";
  /** The cluster document (energy is predicted from it). */
  readonly nominal: Cluster;
  readonly robustness?: RobustnessSection;
}

/** assemblePlan turns the placer's indices into the plan document (ids, rounded numbers, sorted). */
export function assemblePlan(x: PlanParts): Plan {
  const { problem: p, state: s } = x;
  const assignments = p.vms.flatMap((vm, j) => (s.hostOf[j] >= 0 ? [{ vm: vm.id, host: p.hosts[s.hostOf[j]].id }] : []));
  const usedIdx = [...s.usedList].sort((a, b) => a - b);
  let cost = 0;
  for (const i of usedIdx) cost += p.hostCost[i];
  const scored = usedIdx.map((i) => ({
    i,
    ...scoreHost(p.hosts[i], s.vmsOn[i].map((j) => p.profiles[j]), p.predictor, s.vmsOn[i].map((j) => p.vms[j])),
  }));
  const risks = new Map<string, VmRisk>(scored.flatMap((h) => h.vms.map((v) => [v.vmId, v] as [string, VmRisk])));
  const simByHost = new Map<number, number>();
  for (const v of x.validation?.vms.values() ?? []) if (v.breach) simByHost.set(v.host, (simByHost.get(v.host) ?? 0) + 1);
  const check = checked(p, assignments);
  const unplaced = p.vms.filter((_, j) => s.hostOf[j] < 0).map((v) => v.id);
  const violations = check.violations.filter((v) => v.constraint !== "unplaced").length;
  const predictedBreaches = scored.reduce((n, h) => n + h.host.breaches, 0);
  const bounds = boundSection({ problem: p, bound: x.bound, opt: x.opt, cost, unplaced: unplaced.length, softViolations: s.softViolations, violations });
  return {
    version: 1,
    objective: p.policy.objective,
    seed: x.seed,
    solver: {
      requested: x.solverRequested,
      used: x.opt.used,
      construction: x.construction,
      stoppedOn: bounds.stoppedOn,
      iterations: x.opt.iterations,
      exactStatus: x.opt.exactStatus,
      note: x.opt.note,
      fallback: x.opt.fallback && { ...x.opt.fallback },
    },
    cost: r6(cost),
    objectiveValue: r6(objectiveOf(s, defaultSoftPenalty(p))),
    softViolations: s.softViolations,
    lowerBound: bounds.lowerBound,
    lowerBoundSource: bounds.lowerBoundSource,
    gap: bounds.gap,
    provedOptimal: bounds.provedOptimal,
    boundSources: bounds.boundSources.map((b) => ({ ...b, value: r6(b.value) })),
    hostsUsed: usedIdx.length,
    usedHosts: usedIdx.map((i) => p.hosts[i].id),
    assignments,
    unplaced,
    unplacedReasons: unplacedSection(p, x.unplaced),
    check,
    counts: {
      vms: p.nVms,
      placed: assignments.length,
      unplaced: unplaced.length,
      minUnplaced: x.unplaced.minUnplaced,
      violations,
      currentViolations: check.current?.violations.length,
      predictedBreaches,
      simulatedBreaches: x.validation?.breachesAfter,
    },
    slo: {
      predictedBreaches,
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
      driverDomain: host.driverDomain && {
        name: host.driverDomain.name,
        driverCpus: host.driverDomain.driverCpus,
        utilisation: host.driverDomain.utilisation,
        chargeDriverWork: host.driverDomain.chargeDriverWork,
        chargingWouldFix: host.driverDomain.charging?.wouldFix,
        advice: host.driverDomain.charging?.reason,
      },
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
      outscoredBy: e.outscoredBy && { ...e.outscoredBy, host: p.hosts[e.outscoredBy.host].id, scores: { ...e.outscoredBy.scores } },
      candidates: e.candidates,
    })),
    energy: energySection(x.nominal, s.hostOf),
    robustness: x.robustness,
    services: serviceTails(s, x.validation?.vms),
  };
}

/** checked: the independent checker on the plan, and on the current placement when there is one. */
function checked(p: PlacementProblem, assignments: { vm: string; host: string }[]): Plan["check"] {
  const violations = checkPlan(p.cluster, assignments);
  const hasCurrent = p.vms.some((v) => v.host !== undefined);
  const current = hasCurrent ? checkCurrentPlacement(p.cluster) : undefined;
  return { ok: violations.length === 0, violations, current: current && { ok: current.length === 0, violations: current } };
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
