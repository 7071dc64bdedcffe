import type { Predictor } from "../../interference/predictor.js";
import type { Cluster } from "../../model/cluster.js";
import type { RobustnessSection } from "../../model/objectives.js";
import type { Problem } from "../../model/problems.js";
import { buildItems } from "../items.js";
import { buildProblem } from "../problem.js";
import { defaultProfile, frameworkFor } from "../profile.js";
import { PlacementState } from "../state.js";
import { robustnessSection } from "./section.js";

export interface RobustnessCheckOptions {
  /** Also check every SLO with every VM's CPU demand this many percent higher. */
  readonly headroomPercent: number;
}

/** RobustnessCheck: the verdict on an existing placement, or what is wrong with the input. */
export type RobustnessCheck = { ok: true; section: RobustnessSection; unplaced: string[] } | { ok: false; problems: Problem[] };

/**
 * checkRobustness verifies an existing placement (a plan's assignments, or a document's current
 * hosts): n+1 (every used host's VMs re-placed on the other used hosts with every filter passing:
 * no hard violation, no predicted breach of a VM's or a fan-out service's SLO) and, when asked,
 * every SLO at the grown load. Pure: the same input gives the same verdict.
 */
export function checkRobustness(cluster: Cluster, assignments: readonly { vm: string; host: string }[], predictor: Predictor, o: RobustnessCheckOptions): RobustnessCheck {
  const vmIndex = new Map(cluster.vms.map((v, j) => [v.id, j]));
  const hostIndex = new Map(cluster.hosts.map((h, i) => [h.id, i]));
  const problems: Problem[] = [];
  const hostOf = new Int32Array(cluster.vms.length).fill(-1);
  assignments.forEach((a, k) => {
    const j = vmIndex.get(a.vm);
    const i = hostIndex.get(a.host);
    if (j === undefined) problems.push({ path: `assignments[${k}].vm`, message: `unknown VM "${a.vm}"` });
    else if (i === undefined) problems.push({ path: `assignments[${k}].host`, message: `unknown host "${a.host}"` });
    else if (hostOf[j] >= 0) problems.push({ path: `assignments[${k}].vm`, message: `VM "${a.vm}" is assigned twice` });
    else hostOf[j] = i;
  });
  if (problems.length > 0) return { ok: false, problems };
  const p = buildProblem({ ...cluster, policy: { ...cluster.policy, robustness: "n+1", headroomPercent: o.headroomPercent } }, predictor);
  const state = PlacementState.fromAssignment(p, hostOf);
  const fw = frameworkFor(defaultProfile(p.policy.objective, { services: cluster.services.length > 0 }));
  const section = robustnessSection({ nominal: cluster, state, fw, set: buildItems(p), mode: "n+1", headroomPercent: o.headroomPercent });
  return { ok: true, section, unplaced: cluster.vms.filter((_, j) => hostOf[j] < 0).map((v) => v.id) };
}

/** currentAssignments: a document's current placement (VMs' host fields) as assignments. */
export function currentAssignments(cluster: Cluster): { vm: string; host: string }[] {
  return cluster.vms.flatMap((v) => (v.host === undefined ? [] : [{ vm: v.id, host: v.host }]));
}
