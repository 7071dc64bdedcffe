import type { RobustnessSection } from "../../model/objectives.js";
import { growVm } from "../../model/growth.js";
import type { SimJob } from "../../sim/runner.js";
import { isSimulated } from "../../sim/schedulers/registry.js";
import type { PlacementState } from "../state.js";
import type { ValidationOptions } from "../validate-plan.js";

/**
 * simulateHeadroom: validation's check of the headroom. Every used host with a latency-sensitive
 * VM is simulated once more with every VM's CPU demand headroomPercent higher (model/growth.ts),
 * as long and on the same seed as validation; a VM whose simulated p99 or p99.9 is over its SLO
 * there is a breach at the headroom. The placer's Headroom filter judged that load by prediction
 * only, so this is where a prediction that is optimistic at the grown load shows. It reports and
 * repairs nothing; the section's verdict counts it.
 */
export async function simulateHeadroom(section: RobustnessSection, state: PlacementState, o: Omit<ValidationOptions, "maxRounds">): Promise<RobustnessSection> {
  const h = section.headroom;
  if (!h) return section;
  const p = state.problem;
  const f = 1 + section.headroomPercent / 100;
  const hosts = state.usedList.filter((i) => state.victimCount[i] > 0 && isSimulated(p.hosts[i].scheduler.kind)).sort((a, b) => a - b);
  const jobs: SimJob[] = hosts.map((i) => ({
    scenario: { host: p.hosts[i], vms: [...state.vmsOn[i]].sort((a, b) => a - b).map((j) => growVm(p.vms[j], f)), durationMs: o.durationMs, warmupMs: o.warmupMs, seed: o.seed },
  }));
  const results = await o.runner.runAll(jobs, (d, n) => o.onProgress?.(d / n));
  const vmIndex = new Map(p.vms.map((v, j) => [v.id, j]));
  let breaches = 0;
  for (const r of results)
    for (const v of r.vms) {
      const pr = p.profiles[vmIndex.get(v.id)!];
      const lat = v.requestLatency;
      if ((pr.sloP999Us !== undefined && lat.p999Us > pr.sloP999Us) || (pr.sloP99Us !== undefined && lat.p99Us > pr.sloP99Us)) breaches++;
    }
  const ok = h.ok && breaches === 0;
  return { ...section, robust: section.robust && ok, headroom: { ...h, ok, simulatedBreaches: breaches } };
}
