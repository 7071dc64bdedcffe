import { Metric } from "../interference/predictor.js";
import type { PlacementProblem } from "../placement/problem.js";
import type { PlacementState } from "../placement/state.js";
import { riskPoints } from "./points.js";

/**
 * VictimModel holds each latency-sensitive VM's alone-baseline and SLO, so that a victim's
 * predicted tail on any host is baseline + that host's delay (score.ts computes it the same way:
 * every victim on a host sees the host's one neighbour composition).
 */
export class VictimModel {
  readonly base999: Float64Array;
  readonly base99: Float64Array;
  /** SLOs in µs; Infinity where the VM has none. */
  readonly slo999: Float64Array;
  readonly slo99: Float64Array;

  constructor(readonly problem: PlacementProblem) {
    const p = problem;
    const pr = p.predictor;
    this.base999 = new Float64Array(p.nVms);
    this.base99 = new Float64Array(p.nVms);
    this.slo999 = new Float64Array(p.nVms).fill(Infinity);
    this.slo99 = new Float64Array(p.nVms).fill(Infinity);
    p.profiles.forEach((prof, j) => {
      if (!prof.io) return;
      const rho = (prof.io.requestsPerSec * prof.io.serviceUs) / 1e6 / prof.vcpus;
      this.base999[j] = pr.baselineUs(prof.io.serviceUs, rho, Metric.RequestP999);
      this.base99[j] = pr.baselineUs(prof.io.serviceUs, rho, Metric.RequestP99);
      this.slo999[j] = prof.sloP999Us ?? Infinity;
      this.slo99[j] = prof.sloP99Us ?? Infinity;
    });
  }

  /** hostDelays: the host's predicted p99 and p99.9 delays (one interpolation each). */
  hostDelays(s: PlacementState, i: number): { d99: number; d999: number } {
    const hs = s.hostStates[i];
    return { d99: hs.delayUs(Metric.RequestP99), d999: hs.delayUs(Metric.RequestP999) };
  }

  /** ratio: predicted over SLO, the larger of p99 and p99.9 (0 without an SLO). */
  ratio(j: number, d99: number, d999: number): number {
    const a = this.slo999[j] === Infinity ? 0 : (this.base999[j] + d999) / this.slo999[j];
    const b = this.slo99[j] === Infinity ? 0 : (this.base99[j] + d99) / this.slo99[j];
    return Math.max(a, b);
  }

  /** p999Us: predicted request p99.9 of victim j on its current host. */
  p999Us(s: PlacementState, j: number): number {
    return this.base999[j] + s.hostStates[s.hostOf[j]].delayUs(Metric.RequestP999);
  }
}

/** HostRiskView: risk points, predicted breaches and breach excess of one host. */
export interface HostRiskView {
  points: number;
  breaches: number;
  /** Σ over breaching victims of (ratio − 1): how far past the SLOs the host is. */
  excess: number;
}

/** hostRisk measures host i in the state as it stands: O(VMs on the host), two interpolations. */
export function hostRisk(m: VictimModel, s: PlacementState, i: number): HostRiskView {
  const p = m.problem;
  const out: HostRiskView = { points: 0, breaches: 0, excess: 0 };
  const vms = s.vmsOn[i];
  let any = false;
  for (const j of vms) if (p.latencySensitive[j] === 1) any = true;
  if (!any) return out;
  const { d99, d999 } = m.hostDelays(s, i);
  for (const j of vms) {
    if (p.latencySensitive[j] !== 1) continue;
    const r = m.ratio(j, d99, d999);
    out.points += riskPoints(r);
    if (r > 1) {
      out.breaches++;
      out.excess += r - 1;
    }
  }
  return out;
}

/**
 * RiskLedger keeps every host's risk view and the cluster totals current: after a change the
 * caller refreshes the hosts it touched, so totals cost O(touched), not O(hosts).
 */
export class RiskLedger {
  readonly points: Float64Array;
  readonly breaches: Int32Array;
  totalPoints = 0;
  totalBreaches = 0;

  constructor(
    readonly model: VictimModel,
    readonly state: PlacementState,
  ) {
    const n = state.problem.nHosts;
    this.points = new Float64Array(n);
    this.breaches = new Int32Array(n);
    for (let i = 0; i < n; i++) this.refresh(i);
  }

  refresh(i: number): void {
    const v = hostRisk(this.model, this.state, i);
    this.totalPoints += v.points - this.points[i];
    this.totalBreaches += v.breaches - this.breaches[i];
    this.points[i] = v.points;
    this.breaches[i] = v.breaches;
  }
}
