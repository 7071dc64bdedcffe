import { scoreHost } from "../../interference/score.js";
import type { Cluster, Policy } from "../../model/cluster.js";
import type { RobustnessSection } from "../../model/objectives.js";
import type { Framework } from "../framework.js";
import type { ItemSet } from "../items.js";
import type { PlacementState } from "../state.js";
import { grownOf } from "../plugins/headroom.js";
import { checkNPlusOne } from "./evacuate.js";
import { hostGrowth } from "./growth.js";
import type { RobustRepair } from "./n-plus-one.js";

export interface RobustnessInputs {
  /** The cluster (growth is measured from its documented load). */
  readonly nominal: Cluster;
  readonly state: PlacementState;
  readonly fw: Framework;
  readonly set: ItemSet;
  readonly mode: Policy["robustness"];
  readonly headroomPercent: number;
  readonly repair?: RobustRepair;
}

/**
 * robustnessSection: for every used host, what happens if it fails (its evacuation onto the
 * other used hosts) and how much growth it absorbs at the documented load; with headroom, the
 * predicted breaches and hosts over their cores at the grown load the state was planned for.
 */
export function robustnessSection(x: RobustnessInputs): RobustnessSection {
  const s = x.state;
  const p = s.problem;
  const evac = checkNPlusOne(s, x.fw, x.set);
  const failing = evac.filter((e) => e.stranded.length > 0).length;
  const used = [...s.usedList].sort((a, b) => a - b);
  const headroom = x.headroomPercent > 0 ? headroomCheck(s, used) : undefined;
  const nominalVms = new Map(x.nominal.vms.map((v) => [v.id, v]));
  const growth = used.map((i) => {
    const vms = [...s.vmsOn[i]].sort((a, b) => a - b).map((j) => nominalVms.get(p.vms[j].id)!);
    return { host: p.hosts[i].id, ...hostGrowth(x.nominal.hosts[i], vms, p.predictor) };
  });
  return {
    mode: x.mode,
    headroomPercent: x.headroomPercent,
    robust: (x.mode !== "n+1" || failing === 0) && (headroom?.ok ?? true),
    nPlusOne: {
      ok: failing === 0,
      failing,
      hosts: evac.map((e) => ({
        host: p.hosts[e.host].id,
        vms: e.vms,
        ok: e.stranded.length === 0,
        moves: e.moves.map(([j, to]) => ({ vm: p.vms[j].id, to: p.hosts[to].id })),
        stranded: e.stranded.map((j) => p.vms[j].id),
      })),
    },
    headroom,
    growth,
    repair: x.repair && { hostsAdded: x.repair.hostsAdded, costBefore: Math.round(x.repair.costBefore * 1e6) / 1e6, ...(x.repair.note ? { note: x.repair.note } : {}) },
  };
}

/**
 * headroomCheck: predicted breaches at the grown load (what headroom asks: every SLO holds), and,
 * for information, hosts whose grown CPU demand exceeds their cores (their CPU-bound VMs would
 * be slowed; with a latency-sensitive VM there the predictor already counts it).
 */
function headroomCheck(s: PlacementState, used: readonly number[]): NonNullable<RobustnessSection["headroom"]> {
  const p = s.problem;
  const g = grownOf(p);
  let breaches = 0;
  let over = 0;
  for (const i of used) {
    const profiles = s.vmsOn[i].map((j) => g.profiles[j]);
    breaches += scoreHost(p.hosts[i], profiles, p.predictor).host.breaches;
    if (profiles.reduce((d, x) => d + x.demandCpus, 0) > p.hostCores[i] + 1e-9) over++;
  }
  return { ok: breaches === 0, predictedBreaches: breaches, hostsOverCores: over };
}
