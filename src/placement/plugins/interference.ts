import { bobtailRule } from "../../interference/bobtail.js";
import { Pct } from "../../interference/predictor.js";
import { OK, infeasible, type FilterPlugin, type LpPlugin, type Reason, type Status } from "../framework.js";
import { interferenceRows } from "../lp-rows.js";
import { INTERFERENCE } from "../names.js";
import type { PlacementState } from "../state.js";

/**
 * Interference: no latency-sensitive VM on the host (j included) has its upper bound over its SLO
 * once j joins, and under forbidBobtail no victim would be in the Bobtail condition (bobtailRule
 * reason "bobtail"). The bound is the predictor's (estimate x its conformal margin), through the
 * host's incremental HostState; the LP side is the envelope in interference-cap.ts.
 */
export const interference: FilterPlugin & LpPlugin = {
  name: INTERFERENCE,

  fits(s: PlacementState, j: number, i: number): boolean {
    const p = s.problem;
    if (!s.hostStates[i].fitsAt(p.candidates, j, p.victims[j])) return false;
    return !p.policy.forbidBobtail || bobtailVictim(s, j, i) === undefined;
  },

  filter(s: PlacementState, j: number, i: number): Status {
    const p = s.problem;
    const hs = s.hostStates[i];
    const reasons: Reason[] = [];
    const margin = hs.worstSlackUs(p.profiles[j], p.victims[j]);
    if (margin < 0) {
      const after = hs.harmUs(Pct.P999, p.profiles[j]);
      const before = hs.harmUs(Pct.P999);
      reasons.push({ constraint: INTERFERENCE, resource: "p999DelayUs", requested: round(after), used: round(before), capacity: round(after + margin) });
    }
    if (p.policy.forbidBobtail) {
      const v = bobtailVictim(s, j, i);
      if (v !== undefined) {
        const sleepers = hs.sleepyVcpus + (p.profiles[j].sleepy ? p.profiles[j].cpuVcpus : 0);
        reasons.push({ constraint: INTERFERENCE, resource: "sleepyVcpus", requested: p.profiles[j].sleepy ? p.profiles[j].cpuVcpus : 0, used: sleepers, capacity: p.hostCores[i] - 1, vm: p.vms[v].id });
      }
    }
    return reasons.length === 0 ? OK : infeasible(...reasons);
  },

  toLp: interferenceRows,
};

/** bobtailVictim is a latency-sensitive VM that would be in the Bobtail condition, if any. */
function bobtailVictim(s: PlacementState, j: number, i: number): number | undefined {
  const p = s.problem;
  const host = p.hosts[i];
  if (host.scheduler.kind !== "xen-credit") return undefined;
  const hs = s.hostStates[i];
  const pj = p.profiles[j];
  const mix = { cores: host.cores, scheduler: host.scheduler, sleepyCpuVcpus: hs.sleepyVcpus + (pj.sleepy ? pj.cpuVcpus : 0), hogVcpus: hs.hogVcpus + (pj.cpuVcpus > 0 && !pj.sleepy ? pj.cpuVcpus : 0) };
  const isBobtail = (v: number): boolean => p.victims[v] !== undefined && bobtailRule(mix, p.profiles[v]).reason === "bobtail";
  if (isBobtail(j)) return j;
  for (const v of s.vmsOn[i]) if (isBobtail(v)) return v;
  return undefined;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
