import { calibrationPlan, DEFAULT_SPEC } from "../interference/calibrate.js";
import { DEFAULT_MIX, generateCluster } from "../model/generate.js";
import { parseCluster } from "../model/validate.js";
import type { SimJob } from "../sim/runner.js";

/**
 * The warm-up a long-running `vmplace worker` gives each of its threads before it takes jobs.
 * Every thread is its own V8 isolate and compiles the simulator on the first jobs it sees: on the
 * calibration sweep's four scheduler kinds that is 0.6-1.0 s of CPU per thread, which a fresh
 * worker would otherwise pay inside the first real run (docs/scaling.md, "Two workers on a
 * calibration sweep"). The results are discarded and nothing is shared, so no job's result can
 * change; the jobs use seeds of their own.
 *
 * The set: one generator seed's draw of every calibration set (credit1 at 30 and 5 ms, credit2,
 * CFS and EEVDF, contended and not, 4 to 32 cores: 51 hosts), the victim-alone baseline (CFS, 56
 * small hosts), and the hosts of a small generated fleet (credit1 and CFS hosts with the
 * generator's workload mix: the shape plan validation simulates). Each runs WARMUP_DURATION_MS.
 */

/**
 * 100 ms: the shortest of 20, 50, 100 and 200 ms after which the 3 s sweep's first run cost what
 * its second did, in CPU (`npm run bench -- warmup`, docs/scaling.md); ~0.7 s of CPU per thread.
 */
export const WARMUP_DURATION_MS = 100;
/** A fitting-side generator seed of no evaluation round; any other would do as well. */
export const WARMUP_SEED = 777;

/** warmupJobs: the set, each simulation `durationMs` long (other lengths: for measuring the choice). */
export function warmupJobs(durationMs = WARMUP_DURATION_MS): SimJob[] {
  const spec = { ...DEFAULT_SPEC, fitSeeds: [WARMUP_SEED], conformalSeeds: [], credit2ConformalSeeds: [], durationMs, warmupMs: durationMs / 5, seedsPerCase: 1 };
  return [...calibrationPlan(spec).jobs, ...fleetJobs(durationMs)];
}

function fleetJobs(durationMs: number): SimJob[] {
  const doc = generateCluster({ hosts: 6, vms: 60, seed: WARMUP_SEED, mix: DEFAULT_MIX, placed: true, scheduler: "both" });
  const parsed = parseCluster(doc);
  if (!parsed.ok) throw new Error(`the warm-up fleet does not parse: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  const c = parsed.value;
  return c.hosts.flatMap((host, i) => {
    const vms = c.vms.filter((v) => v.host === host.id);
    const scenario = { host, vms, durationMs, warmupMs: durationMs / 5, seed: WARMUP_SEED };
    // Every other host with the request tail, as validation does for a cluster with services.
    return vms.length === 0 ? [] : [i % 2 === 0 ? { scenario } : { scenario, options: { requestTail: true } }];
  });
}
