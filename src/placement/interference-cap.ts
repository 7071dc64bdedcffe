import type { VictimTerms } from "../interference/host-state.js";
import { Metric, type FamilyRef, type Predictor } from "../interference/predictor.js";
import type { HostType, PlacementProblem } from "./problem.js";

/**
 * The interference rule linearised. The predictor's delay is a non-linear function of a host's
 * composition (sleepy vCPUs, their mean duty and burst, never-sleeping hogs). The MILP can only
 * count, so each host type gets an *envelope*: envelope[k] is the worst delay the predictor gives
 * for ANY composition with at most k CPU-bound vCPUs in total (any split between sleepers and
 * hogs, any mean duty and burst inside the range the instance's VMs span). A latency-sensitive
 * VM with slack s may then share a host with at most cap = max{k : envelope[k] ≤ s} CPU-bound
 * vCPUs (its own included: HostState counts every VM on the host, the victim too).
 *
 * Conservatism: every assignment that satisfies the caps passes HostState.worstSlackUs (the
 * filter the heuristics use), because the mean duty and burst of any set of the instance's
 * sleepers lie inside the box, the predictor is piecewise multilinear (its maximum over the box
 * sits on a grid point or corner, all evaluated), and the envelope is a running maximum over k.
 * The converse does not hold: a host of 12 low-duty sleepers may be fine while the cap, sized
 * for the worst duty present, allows 8. So on interference-bound instances the MILP optimum
 * can cost more than a heuristic plan, and the MILP's dual bound is then not a bound on the
 * heuristic's problem; the closed-form lower bound ignores interference and stays valid.
 */
export interface InterferenceEnvelope {
  /** Worst request p99.9 / p99 delay with at most k CPU-bound vCPUs, k = 0..vcpuCap, in µs. */
  readonly p999Us: Float64Array;
  readonly p99Us: Float64Array;
}

/** SleeperBox is the range of sleepy-vCPU duty and burst present in an instance. */
export interface SleeperBox {
  dutyMin: number;
  dutyMax: number;
  burstMinMs: number;
  burstMaxMs: number;
}

/** sleeperBox spans the duty and burst of every sleepy CPU-bound VM of the problem. */
export function sleeperBox(p: PlacementProblem): SleeperBox | undefined {
  let box: SleeperBox | undefined;
  for (const pr of p.profiles) {
    if (!pr.sleepy) continue;
    if (!box) box = { dutyMin: pr.duty, dutyMax: pr.duty, burstMinMs: pr.burstMs, burstMaxMs: pr.burstMs };
    box.dutyMin = Math.min(box.dutyMin, pr.duty);
    box.dutyMax = Math.max(box.dutyMax, pr.duty);
    box.burstMinMs = Math.min(box.burstMinMs, pr.burstMs);
    box.burstMaxMs = Math.max(box.burstMaxMs, pr.burstMs);
  }
  return box;
}

/** pointsIn lists the axis grid points strictly inside [lo, hi] plus both ends. */
function pointsIn(axis: readonly number[], lo: number, hi: number): number[] {
  return [lo, ...axis.filter((x) => x > lo && x < hi), ...(hi > lo ? [hi] : [])];
}

/**
 * interferenceEnvelope computes a host type's envelope. Cost: O(cap² × grid points in the box)
 * predictor calls, about 10^5 for a 32-core host, once per type (callers cache by type).
 */
export function interferenceEnvelope(predictor: Predictor, type: HostType, box: SleeperBox | undefined): InterferenceEnvelope {
  const ref: FamilyRef = predictor.resolve(type.scheduler, type.cores);
  const f = ref.family;
  const duties = box ? pointsIn(f.duty, box.dutyMin, box.dutyMax) : [0];
  const bursts = box ? pointsIn(f.burstMs, box.burstMinMs, box.burstMaxMs) : [0];
  const n = type.vcpuCap + 1;
  const p999Us = new Float64Array(n);
  const p99Us = new Float64Array(n);
  const c = { sleepers: 0, duty: 0, burstMs: 0, hogs: 0 };
  for (let k = 0; k < n; k++) {
    let w999 = k > 0 ? p999Us[k - 1] : 0;
    let w99 = k > 0 ? p99Us[k - 1] : 0;
    for (let s = box ? 0 : k; s <= k; s++) {
      const ds = s > 0 ? duties : [0];
      const bs = s > 0 ? bursts : [0];
      for (const d of ds)
        for (const b of bs) {
          c.sleepers = box ? s : 0;
          c.hogs = box ? k - s : k;
          c.duty = d;
          c.burstMs = b;
          w999 = Math.max(w999, predictor.delayUs(ref, c, Metric.RequestP999));
          w99 = Math.max(w99, predictor.delayUs(ref, c, Metric.RequestP99));
        }
    }
    p999Us[k] = w999;
    p99Us[k] = w99;
  }
  return { p999Us, p99Us };
}

/**
 * interferenceCap is the most CPU-bound vCPUs (the victim's own included) a host of the
 * envelope's type may carry while the victim stays within its SLO; -1 when even an idle host
 * breaches it (the VM's own baseline is over its SLO there). Infinity-slack VMs get vcpuCap.
 */
export function interferenceCap(env: InterferenceEnvelope, t: VictimTerms): number {
  let k = -1;
  while (k + 1 < env.p999Us.length && env.p999Us[k + 1] <= t.slack999Us && env.p99Us[k + 1] <= t.slack99Us) k++;
  return k;
}

/**
 * bobtailSleeperCap: under forbidBobtail, a xen-credit host holding a latency-sensitive VM may
 * carry at most cores − 1 sleepy CPU-bound vCPUs besides that VM (bobtailRule: sleepers + the
 * victim's vCPU must not outnumber the cores). Undefined for other schedulers (no cliff).
 */
export function bobtailSleeperCap(type: HostType): number | undefined {
  return type.scheduler.kind === "xen-credit" ? type.cores - 1 : undefined;
}

/** EnvelopeCache computes each type's envelope on first use. */
export class EnvelopeCache {
  private readonly byType: (InterferenceEnvelope | undefined)[];
  private readonly box: SleeperBox | undefined;

  constructor(private readonly p: PlacementProblem) {
    this.byType = new Array(p.types.length);
    this.box = sleeperBox(p);
  }

  of(t: number): InterferenceEnvelope {
    let e = this.byType[t];
    if (!e) {
      e = interferenceEnvelope(this.p.predictor, this.p.types[t], this.box);
      this.byType[t] = e;
    }
    return e;
  }

  /** cap of VM j on hosts of type t (see interferenceCap); vcpuCap for non-victims. */
  cap(j: number, t: number): number {
    const v = this.p.victims[j];
    return v ? interferenceCap(this.of(t), v) : this.p.types[t].vcpuCap;
  }
}
