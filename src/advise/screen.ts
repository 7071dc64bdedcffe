import type { Predictor } from "../interference/predictor.js";
import { profileVm, type VmProfile } from "../interference/profile.js";
import { scoreHost } from "../interference/score.js";
import type { HostSimResult } from "../model/scenario.js";
import type { SimRunner } from "../sim/runner.js";
import type { Placement } from "./apply.js";
import { simulateRuns, type RunOptions } from "./runs.js";

/** Screened: one host's current state, predicted and simulated under the first seed. */
export interface Screened {
  readonly hostId: string;
  readonly predictedBreaches: number;
  readonly simulatedBreaches: number;
  /** Largest predicted or simulated p99/p99.9 over SLO among its latency-sensitive VMs. */
  readonly worst: number;
  /** The first seed's simulation (reused as the current state's first seed). */
  readonly first: HostSimResult;
}

export interface ScreenOptions extends RunOptions {
  /** Hosts to look at; default every host running a latency-sensitive VM with an SLO. */
  readonly hostIds?: readonly string[];
  readonly seed: number;
}

const hasSlo = (p: VmProfile): boolean => p.io !== undefined && (p.sloP99Us !== undefined || p.sloP999Us !== undefined);

/**
 * screen scores and simulates (one seed) each host that could need advice, worst first: a breach
 * the predictor misses is found by the simulation, and one it overstates is shown as such.
 */
export async function screen(placement: Placement, predictor: Predictor, runner: SimRunner, o: ScreenOptions): Promise<Screened[]> {
  const ids = o.hostIds ?? [...placement].filter(([, v]) => v.vms.some((vm) => hasSlo(profileVm(vm)))).map(([id]) => id);
  const views = ids.map((id) => ({ id, view: placement.get(id)! }));
  const results = await simulateRuns(runner, views.map(({ id, view }) => ({ key: id, view, seeds: [o.seed] })), o);
  const out = views.map(({ id, view }): Screened => {
    const first = results.get(id)![0];
    const predicted = scoreHost(view.host, view.vms.map(profileVm), predictor).vms;
    const simulated = view.vms.map(profileVm).filter(hasSlo).map((p) => simulatedRatio(p, first));
    return {
      hostId: id,
      predictedBreaches: predicted.filter((v) => v.breach).length,
      simulatedBreaches: simulated.filter((x) => x > 1).length,
      worst: Math.max(0, ...predicted.map((v) => v.sloRatio ?? 0), ...simulated),
      first,
    };
  });
  return out.sort((a, b) => b.worst - a.worst || (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0));
}

function simulatedRatio(p: VmProfile, r: HostSimResult): number {
  const v = r.vms.find((x) => x.id === p.id);
  if (v === undefined) return 0;
  return Math.max(p.sloP99Us ? v.requestLatency.p99Us / p.sloP99Us : 0, p.sloP999Us ? v.requestLatency.p999Us / p.sloP999Us : 0);
}
