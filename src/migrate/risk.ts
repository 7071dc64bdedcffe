import { newPrediction, Pct } from "../interference/predictor.js";
import type { PlacementProblem } from "../placement/problem.js";
import type { PlacementState } from "../placement/state.js";
import { riskPoints } from "./points.js";

/**
 * VictimModel reads each latency-sensitive VM's prediction on its current host. A breach to fix is
 * the estimate over the SLO (what `score` reports); where a move may land is the placer's filter,
 * which tests the upper bound, so a fix never lands a VM where its bound breaches.
 */
export class VictimModel {
  readonly base999: Float64Array;
  /** SLOs in µs; Infinity where the VM has none. */
  readonly slo999: Float64Array;
  readonly slo99: Float64Array;
  private readonly out = newPrediction();

  constructor(readonly problem: PlacementProblem) {
    const p = problem;
    this.base999 = new Float64Array(p.nVms);
    this.slo999 = new Float64Array(p.nVms).fill(Infinity);
    this.slo99 = new Float64Array(p.nVms).fill(Infinity);
    p.profiles.forEach((prof, j) => {
      const v = p.victims[j];
      if (!v) return;
      this.base999[j] = v.tail.base999Us;
      this.slo999[j] = prof.sloP999Us ?? Infinity;
      this.slo99[j] = prof.sloP99Us ?? Infinity;
    });
  }

  private predict(s: PlacementState, j: number): { estimateUs: [number, number]; boundUs: [number, number] } {
    const v = this.problem.victims[j];
    if (!v) throw new Error(`VictimModel: VM ${this.problem.vms[j].id} is not latency-sensitive`);
    return s.hostStates[s.hostOf[j]].predictVictim(v, this.out);
  }

  /** ratio: estimate over SLO, the larger of p99 and p99.9 (0 without an SLO): what reports show. */
  ratio(s: PlacementState, j: number): number {
    const pr = this.predict(s, j);
    return Math.max(over(pr.estimateUs[Pct.P999], this.slo999[j]), over(pr.estimateUs[Pct.P99], this.slo99[j]));
  }

  /** p999Us: estimated request p99.9 of victim j on its current host. */
  p999Us(s: PlacementState, j: number): number {
    return this.predict(s, j).estimateUs[Pct.P999];
  }
}

function over(x: number, slo: number): number {
  return slo === Infinity ? 0 : x / slo;
}

/** HostRiskView: risk points, predicted breaches and breach excess of one host. */
export interface HostRiskView {
  points: number;
  breaches: number;
  /** Σ over breaching victims of (ratio − 1): how far past the SLOs the host is. */
  excess: number;
}

/** hostRisk measures host i in the state as it stands: O(victims on the host) predictions. */
export function hostRisk(m: VictimModel, s: PlacementState, i: number): HostRiskView {
  const p = m.problem;
  const out: HostRiskView = { points: 0, breaches: 0, excess: 0 };
  const vms = s.vmsOn[i];
  let any = false;
  for (const j of vms) if (p.latencySensitive[j] === 1) any = true;
  if (!any) return out;
  for (const j of vms) {
    if (p.latencySensitive[j] !== 1) continue;
    const r = m.ratio(s, j);
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
