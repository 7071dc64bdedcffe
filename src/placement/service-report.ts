import { fanoutExceedance, fanoutQuantile } from "../interference/fanout.js";
import { predictedTail, type TailCurve } from "../interference/tail.js";
import type { ServiceTail } from "../model/objectives.js";
import { ALLOWED, ledgerOf, serviceIndex, type ServiceGroup } from "./service-index.js";
import type { PlacementState } from "./state.js";

/** The members with the highest chance to exceed the SLO that a service's report lists. */
const WORST_SHOWN = 5;

/**
 * serviceTails: each fan-out service's request p99 and p99.9 in a placement, computed exactly
 * over random fan-out subsets (interference/fanout.ts) from each placed member's predicted
 * latency distribution (its predicted p99 and p99.9 on its host, tail.ts) and, where validation
 * simulated every member, from their simulated tails. A breach is read from the simulation when
 * there is one, as for single VMs.
 */
export function serviceTails(s: PlacementState, simulated?: ReadonlyMap<number, { readonly tail?: TailCurve }>): ServiceTail[] {
  const idx = serviceIndex(s.problem);
  return idx.groups.map((g) => serviceTail(s, g, simulated));
}

function serviceTail(s: PlacementState, g: ServiceGroup, simulated?: ReadonlyMap<number, { readonly tail?: TailCurve }>): ServiceTail {
  const p = s.problem;
  const l = ledgerOf(s);
  const placed = [...g.members].filter((j) => s.hostOf[j] >= 0);
  const predicted = placed.map((j) => {
    const [d99, d999] = l.delays(s.hostOf[j]);
    return predictedTail(l.index.base99[j] + d99, l.index.base999[j] + d999);
  });
  const sims = placed.map((j) => simulated?.get(j)?.tail);
  const simCurves = placed.length > 0 && sims.every((c): c is TailCurve => c !== undefined && c.length > 0) ? sims : undefined;
  const f = Math.min(g.fanout, Math.max(1, placed.length));
  const binding = bindingTarget(g, predicted, f);
  const judged = simCurves ?? predicted;
  const breach = ([0, 1] as const).some((t) => Number.isFinite(g.sloUs[t]) && fanoutExceedance(judged, f, g.sloUs[t]) > ALLOWED[t] + 1e-12);
  const worst = placed
    .map((j, k) => ({ vm: p.vms[j].id, host: p.hosts[s.hostOf[j]].id, exceedance: exceedanceAt(predicted[k], g.sloUs[binding]) }))
    .sort((a, b) => b.exceedance - a.exceedance || (a.vm < b.vm ? -1 : 1))
    .slice(0, WORST_SHOWN)
    .map((w) => ({ ...w, exceedance: sig(w.exceedance) }));
  return {
    id: g.id,
    vms: g.members.length,
    fanout: g.fanout,
    hosts: new Set(placed.map((j) => s.hostOf[j])).size,
    ...(Number.isFinite(g.sloUs[0]) ? { sloP99Us: g.sloUs[0] } : {}),
    ...(Number.isFinite(g.sloUs[1]) ? { sloP999Us: g.sloUs[1] } : {}),
    predictedP99Us: round(fanoutQuantile(predicted, f, 0.99)),
    predictedP999Us: round(fanoutQuantile(predicted, f, 0.999)),
    predictedExceedance: sig(fanoutExceedance(predicted, f, g.sloUs[binding])),
    ...(simCurves ? { simulatedP99Us: round(fanoutQuantile(simCurves, f, 0.99)), simulatedP999Us: round(fanoutQuantile(simCurves, f, 0.999)) } : {}),
    breach,
    worst,
  };
}

/** bindingTarget: the SLO (0: p99, 1: p99.9) whose exceedance is the larger share of what it allows. */
function bindingTarget(g: ServiceGroup, curves: readonly TailCurve[], fanout: number): 0 | 1 {
  if (!Number.isFinite(g.sloUs[1])) return 0;
  if (!Number.isFinite(g.sloUs[0])) return 1;
  const share = (t: 0 | 1): number => fanoutExceedance(curves, fanout, g.sloUs[t]) / ALLOWED[t];
  return share(1) > share(0) ? 1 : 0;
}

function exceedanceAt(c: TailCurve, tUs: number): number {
  return fanoutExceedance([c], 1, tUs);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** sig: four significant digits (exceedances span decades). */
function sig(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(4));
}
