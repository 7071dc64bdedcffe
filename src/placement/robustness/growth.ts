import type { Predictor } from "../../interference/predictor.js";
import { profileVm } from "../../interference/profile.js";
import { scoreHost } from "../../interference/score.js";
import type { Host, Vm } from "../../model/cluster.js";
import { growVm } from "../../model/growth.js";

/** The most growth searched for, in percent (a host that absorbs this much is not limited). */
export const MAX_GROWTH_PERCENT = 400;
// Growth is scanned in these steps, then the first failing step is bisected to 0.5%.
const STEP_PERCENT = 10;

export interface HostGrowth {
  readonly absorbablePercent: number;
  readonly limit: "slo" | "cpu" | "none";
}

/**
 * hostGrowth: the largest growth g such that every growth from 0 to g of all the host's VMs' CPU
 * demand at once (model/growth.ts) keeps every SLO predicted within and the demand within the
 * cores. Scanned in 10% steps, the first failing step bisected: the predicted delay is not
 * monotone in load (a sleepy VM grown to duty 1 stops waking boosted), so a bisection over the
 * whole range could skip a failure. 0 when the host breaches already.
 */
export function hostGrowth(host: Host, vms: readonly Vm[], predictor: Predictor): HostGrowth {
  const verdict = (percent: number): "ok" | "slo" | "cpu" => {
    const grown = vms.map((v) => profileVm(growVm(v, 1 + percent / 100)));
    let demand = 0;
    for (const g of grown) demand += g.demandCpus;
    if (demand > host.cores + 1e-9) return "cpu";
    return scoreHost(host, grown, predictor).host.breaches > 0 ? "slo" : "ok";
  };
  const at0 = verdict(0);
  if (at0 !== "ok") return { absorbablePercent: 0, limit: at0 };
  let lo = 0;
  let hi = -1;
  let limit: "slo" | "cpu" = "slo";
  for (let g = STEP_PERCENT; g <= MAX_GROWTH_PERCENT; g += STEP_PERCENT) {
    const v = verdict(g);
    if (v !== "ok") {
      [hi, limit] = [g, v];
      break;
    }
    lo = g;
  }
  if (hi < 0) return { absorbablePercent: MAX_GROWTH_PERCENT, limit: "none" };
  while (hi - lo > 0.5) {
    const mid = (lo + hi) / 2;
    const v = verdict(mid);
    if (v === "ok") lo = mid;
    else [hi, limit] = [mid, v];
  }
  return { absorbablePercent: Math.floor(lo * 10) / 10, limit };
}
