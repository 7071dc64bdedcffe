import { HostState, victimTerms } from "../../interference/host-state.js";
import { Pct, type Victim } from "../../interference/predictor.js";
import { profileVm, type VmProfile } from "../../interference/profile.js";
import { growVm } from "../../model/growth.js";
import { OK, infeasible, type FilterPlugin, type Status } from "../framework.js";
import { HEADROOM } from "../names.js";
import type { PlacementProblem } from "../problem.js";
import type { PlacementState } from "../state.js";

/**
 * Headroom (policy headroomPercent > 0): no latency-sensitive VM on the host is predicted over its
 * SLO once j joins, with every VM's CPU demand headroomPercent higher (model/growth.ts), besides
 * the Interference filter's check at today's load. Both are needed: the predicted delay is not
 * monotone in load (a sleepy VM whose duty grows to 1 never sleeps, so under credit1 it stops
 * waking boosted and hurts less), so a plan safe at +20% can breach today. No LP rows: the
 * MILP's plans must pass every filter before they are used.
 */
export const headroom: FilterPlugin = {
  name: HEADROOM,

  fits(s: PlacementState, j: number, i: number): boolean {
    if (s.problem.policy.headroomPercent === 0) return true;
    const g = grownOf(s.problem);
    return grownHost(s, i).worstSlackUs(g.profiles[j], g.victims[j]) >= 0;
  },

  filter(s: PlacementState, j: number, i: number): Status {
    if (headroom.fits(s, j, i)) return OK;
    const g = grownOf(s.problem);
    const hs = grownHost(s, i);
    const after = hs.harmUs(Pct.P999, g.profiles[j]);
    const margin = hs.worstSlackUs(g.profiles[j], g.victims[j]);
    return infeasible({ constraint: HEADROOM, resource: "p999DelayUs", requested: round(after), used: round(hs.harmUs(Pct.P999)), capacity: round(after + margin) });
  },
};

/** Grown: every VM's profile and victim terms at the policy's headroom. */
export interface Grown {
  readonly profiles: readonly VmProfile[];
  readonly victims: readonly (Victim | undefined)[];
}

const grown = new WeakMap<PlacementProblem, Grown>();

/** grownOf: the problem's VMs at headroomPercent more CPU demand (cached per problem). */
export function grownOf(p: PlacementProblem): Grown {
  let g = grown.get(p);
  if (!g) {
    const f = 1 + p.policy.headroomPercent / 100;
    const profiles = p.vms.map((v) => profileVm(growVm(v, f)));
    g = { profiles, victims: profiles.map((x) => victimTerms(x, p.predictor)) };
    grown.set(p, g);
  }
  return g;
}

interface GrownHosts {
  readonly states: (HostState | undefined)[];
  readonly seen: Float64Array;
}
const hostsOf = new WeakMap<PlacementState, GrownHosts>();

/** grownHost: host i's HostState at the grown load, rebuilt when the host changed (hostVersion). */
export function grownHost(s: PlacementState, i: number): HostState {
  let h = hostsOf.get(s);
  if (!h) {
    h = { states: new Array(s.problem.nHosts), seen: new Float64Array(s.problem.nHosts).fill(-1) };
    hostsOf.set(s, h);
  }
  let hs = h.states[i];
  if (!hs || h.seen[i] !== s.hostVersion[i]) {
    const p = s.problem;
    const g = grownOf(p);
    hs = new HostState(p.hosts[i], p.predictor);
    for (const j of s.vmsOn[i]) hs.add(g.profiles[j], g.victims[j]);
    h.states[i] = hs;
    h.seen[i] = s.hostVersion[i];
  }
  return hs;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
