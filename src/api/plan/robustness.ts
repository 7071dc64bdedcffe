import type { Predictor } from "../../interference/predictor.js";
import type { Cluster } from "../../model/cluster.js";
import type { RobustnessReport } from "../../model/objectives.js";
import { robustnessReport as reportOf } from "../../model/result-status.js";
import { checkRobustness, currentAssignments } from "../../placement/robustness/check.js";
import type { RobustnessOptions } from "./requests.js";

/**
 * robustnessReport answers POST /v1/check-robustness (and `vmplace check-robustness` prints the
 * same document): n+1 and, with headroom, every SLO at the grown load, for the given placement
 * or the cluster's current one. The request was checked (parseRobustnessRequest), so the
 * placement names the cluster's VMs and hosts.
 */
export function robustnessReport(cluster: Cluster, o: RobustnessOptions, predictor: Predictor): RobustnessReport {
  const r = checkRobustness(cluster, o.assignments ?? currentAssignments(cluster), predictor, { headroomPercent: o.headroomPercent ?? cluster.policy.headroomPercent });
  if (!r.ok) throw new Error(`check-robustness: a checked request was refused: ${r.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  return reportOf(r.section, r.unplaced);
}
