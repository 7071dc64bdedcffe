import { bobtailSleeperCap, EnvelopeCache } from "./interference-cap.js";
import { fullScope, LpBuilder, xName, yName, type LinearModel, type LinearTerm, type LpScope } from "./lp.js";
import {
  AFFINITY,
  ANTI_AFFINITY,
  ASSIGNMENT,
  BALANCE,
  CONSOLIDATION,
  HOST_LABEL,
  INTERFERENCE,
  RESOURCE_FIT,
  RISK,
  SYMMETRY,
} from "./names.js";
import { LOAD_LEVELS } from "../model/power.js";
import type { PlacementProblem } from "./problem.js";

/**
 * One row builder per named constraint and objective (Timefold's constraint provider, one method
 * each). The plugins' `toLp` point here, so one named constraint drives both the heuristics (its
 * filter) and the MILP (these rows). Row-name prefixes: asg, mem, cpu, net, link, aa, af, il
 * (interference level), bt (Bobtail), sym, bal, risk.
 */

/** assignmentRows: every scope VM on exactly one host. */
export function assignmentRows(b: LpBuilder): void {
  for (const j of b.scope.vms) {
    const terms = b.hostsOf.get(j)!.map((i) => ({ v: xName(j, i), coef: 1 }));
    b.addRow(ASSIGNMENT, `asg${j}`, terms, "=", 1);
  }
}

/** resourceFitRows: memory, vCPUs (overcommit) and network within a used host; x ≤ y tightens the LP. */
export function resourceFitRows(b: LpBuilder): void {
  const p = b.problem;
  for (const i of b.scope.hosts) {
    const on = b.vmsOn.get(i)!;
    const y = { v: yName(i), coef: 0 };
    b.addRow(RESOURCE_FIT, `mem${i}`, [...on.map((j) => ({ v: xName(j, i), coef: p.vmMemoryMiB[j] })), { ...y, coef: -p.hostMemoryMiB[i] }], "<=", 0);
    b.addRow(RESOURCE_FIT, `cpu${i}`, [...on.map((j) => ({ v: xName(j, i), coef: p.vmVcpus[j] })), { ...y, coef: -p.hostVcpuCap[i] }], "<=", 0);
    const net = on.filter((j) => p.vmNetworkMbps[j] > 0);
    if (Number.isFinite(p.hostNetworkMbps[i]) && net.length > 0)
      b.addRow(RESOURCE_FIT, `net${i}`, [...net.map((j) => ({ v: xName(j, i), coef: p.vmNetworkMbps[j] })), { ...y, coef: -p.hostNetworkMbps[i] }], "<=", 0);
    for (const j of on) b.addRow(RESOURCE_FIT, `link${j}_${i}`, [{ v: xName(j, i), coef: 1 }, { v: yName(i), coef: -1 }], "<=", 0);
  }
}

/** antiAffinityRows: at most one member per host (hard), or pay for each extra member (soft). */
export function antiAffinityRows(b: LpBuilder): void {
  const inScope = scopeVmSet(b);
  for (const [g, grp] of b.problem.antiAffinity.entries()) {
    const members = [...grp.vms].filter((j) => inScope.has(j));
    if (members.length < 2) continue;
    for (const i of b.scope.hosts) {
      const terms = members.filter((j) => b.hasVar(xName(j, i))).map((j) => ({ v: xName(j, i), coef: 1 }));
      if (terms.length < 2) continue;
      if (!grp.soft) {
        b.addRow(ANTI_AFFINITY, `aa${g}_${i}`, terms, "<=", 1);
        continue;
      }
      const s = b.addVar(`aas${g}_${i}`, "continuous", 0, terms.length - 1);
      b.addRow(ANTI_AFFINITY, `aa${g}_${i}`, [...terms, { v: s, coef: -1 }], "<=", 1);
      b.addObjective(s, b.softPenalty);
    }
  }
}

/**
 * affinityRows: hard groups share one host (x of consecutive members equal on every host; a
 * missing x is 0, so a host one member may not use is closed to all). Soft groups pay for every
 * host they touch beyond the first: p ≥ x per member and host, penalty Σp − 1.
 */
export function affinityRows(b: LpBuilder): void {
  const inScope = scopeVmSet(b);
  for (const [g, grp] of b.problem.affinity.entries()) {
    const members = [...grp.vms].filter((j) => inScope.has(j));
    if (members.length < 2) continue;
    for (const i of b.scope.hosts) {
      const xs = members.map((j) => (b.hasVar(xName(j, i)) ? xName(j, i) : undefined));
      if (xs.every((x) => x === undefined)) continue;
      if (!grp.soft) {
        for (let k = 1; k < xs.length; k++) {
          const terms = [xs[k - 1], xs[k]].flatMap((x, s) => (x ? [{ v: x, coef: s === 0 ? 1 : -1 }] : []));
          b.addRow(AFFINITY, `af${g}_${i}_${k}`, terms, "=", 0);
        }
        continue;
      }
      const touch = b.addVar(`afp${g}_${i}`, "continuous", 0, 1);
      for (const [k, x] of xs.entries()) if (x) b.addRow(AFFINITY, `af${g}_${i}_${k}`, [{ v: x, coef: 1 }, { v: touch, coef: -1 }], "<=", 0);
      b.addObjective(touch, b.softPenalty);
    }
    if (grp.soft) b.objectiveConstant -= b.softPenalty;
  }
}

/** hostLabelRows: hard labels are already missing x variables; soft ones pay per VM off-label. */
export function hostLabelRows(b: LpBuilder): void {
  const inScope = scopeVmSet(b);
  for (const grp of b.problem.hostLabel) {
    if (!grp.soft) continue;
    for (const j of grp.vms) {
      if (!inScope.has(j)) continue;
      for (const i of b.hostsOf.get(j)!) if (grp.hostOk[i] === 0) b.addObjective(xName(j, i), b.softPenalty);
    }
  }
}

/**
 * interferenceRows linearise "no latency-sensitive VM predicted over its SLO" (see
 * interference-cap.ts for the envelope and its conservatism). Per host, victims are grouped by
 * their cap c (few distinct values); z = "a victim of cap c is here": x_victim ≤ z and
 * Σ cpuVcpus·x ≤ c + (A − c)(1 − z), A the most CPU-bound vCPUs the host can hold. Under
 * forbidBobtail, xen-credit hosts with a victim also cap sleepy vCPUs at cores − 1 (counting a
 * mixed victim's own sleepy vCPUs, which bobtailRule excludes: conservative by those).
 */
export function interferenceRows(b: LpBuilder): void {
  const p = b.problem;
  for (const i of b.scope.hosts) {
    const on = b.vmsOn.get(i)!;
    const t = p.hostTypeOf[i];
    const agg: LinearTerm[] = on.filter((j) => p.profiles[j].cpuVcpus > 0).map((j) => ({ v: xName(j, i), coef: p.profiles[j].cpuVcpus }));
    const maxAgg = Math.min(p.hostVcpuCap[i], agg.reduce((s, x) => s + x.coef, 0));
    const levels = new Map<number, number[]>();
    for (const j of on) {
      if (!p.victims[j]) continue;
      const c = b.envelopes.cap(j, t);
      if (c >= maxAgg) continue;
      levels.set(c, [...(levels.get(c) ?? []), j]);
    }
    for (const [c, victims] of [...levels.entries()].sort((a, b2) => a[0] - b2[0])) {
      const lvl = c < 0 ? "m" : String(c);
      const z = b.addVar(`zi${i}_${lvl}`, "binary");
      for (const j of victims) b.addRow(INTERFERENCE, `il${i}_${lvl}_${j}`, [{ v: xName(j, i), coef: 1 }, { v: z, coef: -1 }], "<=", 0);
      b.addRow(INTERFERENCE, `il${i}_${lvl}`, [...agg, { v: z, coef: maxAgg - c }], "<=", maxAgg);
    }
    if (p.policy.forbidBobtail) bobtailRows(b, i, on);
  }
}

function bobtailRows(b: LpBuilder, i: number, on: readonly number[]): void {
  const p = b.problem;
  const cap = bobtailSleeperCap(p.types[p.hostTypeOf[i]]);
  const victims = on.filter((j) => p.victims[j]);
  const sleepy = on.filter((j) => p.profiles[j].sleepy).map((j) => ({ v: xName(j, i), coef: p.profiles[j].cpuVcpus }));
  const most = sleepy.reduce((s, x) => s + x.coef, 0);
  if (cap === undefined || victims.length === 0 || most <= cap) return;
  const z = b.addVar(`zb${i}`, "binary");
  for (const j of victims) b.addRow(INTERFERENCE, `bt${i}_${j}`, [{ v: xName(j, i), coef: 1 }, { v: z, coef: -1 }], "<=", 0);
  b.addRow(INTERFERENCE, `bt${i}`, [...sleepy, { v: z, coef: most - cap }], "<=", most);
}

/** consolidationObjective (min-cost): the summed cost of used hosts. */
export function consolidationObjective(b: LpBuilder): void {
  for (const i of b.scope.hosts) b.addObjective(yName(i), b.problem.hostCost[i]);
}

/**
 * energyObjective (min-energy): standby watts of every host, plus for a used host its idle rise
 * over standby and its curve's mean slope (peak − idle) times the CPU demand placed on it per
 * core. Exact for linear curves at demand within the cores; a concave SPECpower curve is
 * underestimated in between, so HiGHS's answers are judged by the search's exact watts.
 */
export function energyObjective(b: LpBuilder): void {
  const p = b.problem;
  for (const i of b.scope.hosts) {
    const idle = p.hostCurveWatts[i * LOAD_LEVELS];
    const slope = (p.hostCurveWatts[i * LOAD_LEVELS + LOAD_LEVELS - 1] - idle) / p.hostCores[i];
    b.objectiveConstant += p.hostStandbyWatts[i];
    b.addObjective(yName(i), idle - p.hostStandbyWatts[i]);
    for (const j of b.vmsOn.get(i)!) if (p.profiles[j].demandCpus > 0) b.addObjective(xName(j, i), slope * p.profiles[j].demandCpus);
  }
}

/** balanceObjective: minimise the largest vCPU or memory fill fraction of any host. */
export function balanceObjective(b: LpBuilder): void {
  const p = b.problem;
  const t = b.addVar("bal", "continuous", 0, Infinity);
  for (const i of b.scope.hosts) {
    const on = b.vmsOn.get(i)!;
    b.addRow(BALANCE, `balc${i}`, [...on.map((j) => ({ v: xName(j, i), coef: p.vmVcpus[j] / p.hostVcpuCap[i] })), { v: t, coef: -1 }], "<=", 0);
    b.addRow(BALANCE, `balm${i}`, [...on.map((j) => ({ v: xName(j, i), coef: p.vmMemoryMiB[j] / p.hostMemoryMiB[i] })), { v: t, coef: -1 }], "<=", 0);
  }
  b.addObjective(t, 1);
}

/**
 * riskObjective (min-risk): CPU-bound vCPUs sharing a host with a latency-sensitive VM, per core.
 * w ≥ Σ cpuVcpus·x − A(1 − v), v ≥ x_victim: w is the aggressor load of hosts that hold a victim.
 */
export function riskObjective(b: LpBuilder): void {
  const p = b.problem;
  for (const i of b.scope.hosts) {
    const on = b.vmsOn.get(i)!;
    const agg = on.filter((j) => p.profiles[j].cpuVcpus > 0).map((j) => ({ v: xName(j, i), coef: p.profiles[j].cpuVcpus }));
    const victims = on.filter((j) => p.victims[j]);
    if (agg.length === 0 || victims.length === 0) continue;
    const most = agg.reduce((s, x) => s + x.coef, 0);
    const v = b.addVar(`rv${i}`, "binary");
    const w = b.addVar(`rw${i}`, "continuous", 0, most);
    for (const j of victims) b.addRow(RISK, `riskv${i}_${j}`, [{ v: xName(j, i), coef: 1 }, { v, coef: -1 }], "<=", 0);
    b.addRow(RISK, `risk${i}`, [...agg, { v, coef: most }, { v: w, coef: -1 }], "<=", most);
    b.addObjective(w, 1 / p.hostCores[i]);
  }
}

/** symmetryRows: identical hosts open in index order (y_i ≥ y_next), which HiGHS needs to prove optimality. */
export function symmetryRows(b: LpBuilder): void {
  const p = b.problem;
  const inScope = new Set(b.scope.hosts);
  for (const type of p.types) {
    const hs = [...type.hosts].filter((i) => inScope.has(i));
    for (let k = 1; k < hs.length; k++)
      b.addRow(SYMMETRY, `sym${hs[k]}`, [{ v: yName(hs[k - 1]), coef: 1 }, { v: yName(hs[k]), coef: -1 }], ">=", 0);
  }
}

function scopeVmSet(b: LpBuilder): Set<number> {
  return new Set(b.scope.vms);
}

/** LpModelOptions: what buildLinearModel needs besides the problem. */
export interface LpModelOptions {
  scope?: LpScope;
  /** Reuse envelopes across LNS calls (they depend only on the problem). */
  envelopes?: EnvelopeCache;
  /** Objective cost of one unit of soft-constraint violation (default: defaultSoftPenalty). */
  softPenalty?: number;
}

/**
 * defaultSoftPenalty: a tenth of the cheapest positive host cost (under min-energy, of the least
 * idle draw), so that saving a host always beats honouring a soft constraint, but between
 * equal-cost plans the one with fewer soft violations wins.
 */
export function defaultSoftPenalty(p: PlacementProblem): number {
  if (p.policy.objective === "min-energy") return minIdleWatts(p) / 10;
  let min = Infinity;
  for (const c of p.hostCost) if (c > 0 && c < min) min = c;
  return Number.isFinite(min) ? min / 10 : 0.1;
}

/** minIdleWatts: the least any host draws when on and idle (soft units under min-energy are a tenth of it). */
function minIdleWatts(p: PlacementProblem): number {
  let min = Infinity;
  for (let i = 0; i < p.nHosts; i++) {
    const w = p.hostCurveWatts[i * LOAD_LEVELS] - p.hostStandbyWatts[i];
    if (w > 0 && w < min) min = w;
  }
  return Number.isFinite(min) ? min : 1;
}

/** buildLinearModel assembles every named piece for the policy's objective. */
export function buildLinearModel(p: PlacementProblem, o: LpModelOptions = {}): LinearModel {
  const b = new LpBuilder(p, o.scope ?? fullScope(p), o.envelopes ?? new EnvelopeCache(p), o.softPenalty ?? defaultSoftPenalty(p));
  assignmentRows(b);
  resourceFitRows(b);
  antiAffinityRows(b);
  affinityRows(b);
  hostLabelRows(b);
  interferenceRows(b);
  const objective = { "min-cost": consolidationObjective, balance: balanceObjective, "min-risk": riskObjective, "min-energy": energyObjective }[p.policy.objective];
  objective(b);
  if (p.policy.objective === "min-cost" || p.policy.objective === "min-energy") symmetryRows(b);
  return b.build();
}
