import { findSite, ProbeSiteProblem, type ProbeSite } from "../../interference/probe/neighbourhood.js";
import { InputError, readJsonFile } from "../../io/load.js";
import type { SchedulerParams } from "../../model/scheduler.js";
import { parseCluster } from "../../model/validate.js";
import { chooseScheduler } from "../commands/simulate.js";

/** loadSite reads the cluster of `probe --simulate` and finds the VM's host (bad input: exit 2). */
export function loadSite(
  file: string,
  f: { host?: string; vm?: string; scheduler?: string },
): { site: ProbeSite; seed: number; scheduler: SchedulerParams } {
  const r = parseCluster(readJsonFile(file));
  if (!r.ok) throw new InputError(`${file}: ${r.problems.length} problem(s)`, r.problems);
  try {
    const site = findSite(r.value, f.host, f.vm as string);
    return { site, seed: r.value.policy.seed, scheduler: chooseScheduler(site.host.scheduler, f.scheduler) };
  } catch (e) {
    if (e instanceof ProbeSiteProblem) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
}
