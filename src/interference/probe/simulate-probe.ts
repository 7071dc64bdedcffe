import type { OversleepSummary, ProbeParams, ProbeReport, Recommendation } from "../../model/probe.js";
import type { HostSimResult } from "../../model/scenario.js";
import type { SchedulerParams } from "../../model/scheduler.js";
import { ioPartOf } from "../../model/workload.js";
import type { SimJob, SimRunner } from "../../sim/runner.js";
import { goodNeighbours, probeScenario, REFERENCE_IO, vcpuMix, withProbe, type ProbeSite } from "./neighbourhood.js";
import { expectedOf, recommend } from "./recommend.js";
import { normalise, statusOf, verdictOf, type FailOn } from "./verdict.js";

/** SimulatedProbe says where and how to run the probe in the simulator. */
export interface SimulatedProbe {
  site: ProbeSite;
  /** durationMs is simulated time, measured after the 2 s warm-up. */
  params: ProbeParams;
  seed: number;
  /** Run under this scheduler instead of the host's own. */
  scheduler?: SchedulerParams;
  failOn: FailOn;
}

/**
 * probeJobs are the runs behind one simulated probe: [0] the probe in the tenant's VM (with its
 * io part, if any); [1] the same VM with the reference io part when it has none of its own, whose
 * p99.9 stands for "this neighbourhood"; last, that VM in a typical good neighbourhood.
 */
export function probeJobs(s: SimulatedProbe): SimJob[] {
  const vm = s.site.vms.find((v) => v.id === s.site.vmId);
  if (!vm) throw new Error(`probe: VM ${s.site.vmId} is not on host ${s.site.host.id}`);
  const opts = { durationMs: s.params.durationMs, seed: s.seed, scheduler: s.scheduler };
  const probed = withProbe(vm, s.params).vm;
  const withIo = ioPartOf(vm.workload) ? probed : withProbe(vm, s.params, REFERENCE_IO).vm;
  const jobs: SimJob[] = [{ scenario: probeScenario(s.site, probed, opts) }];
  if (withIo !== probed) jobs.push({ scenario: probeScenario(s.site, withIo, opts) });
  jobs.push({ scenario: probeScenario(s.site, withIo, { ...opts, neighbours: goodNeighbours(s.site, vm.vcpus) }) });
  return jobs;
}

/** simulateProbe runs the probe in the tenant's neighbourhood and reports as the real probe does. */
export async function simulateProbe(s: SimulatedProbe, runner: SimRunner): Promise<ProbeReport> {
  const jobs = probeJobs(s);
  const results = await runner.runAll(jobs);
  return simulatedReport(s, results);
}

/** simulatedReport assembles the report from probeJobs' results (in their order). */
export function simulatedReport(s: SimulatedProbe, results: readonly HostSimResult[]): ProbeReport {
  const vm = s.site.vms.find((v) => v.id === s.site.vmId) as NonNullable<(typeof s.site.vms)[number]>;
  const probeRun = results[0];
  const tenant = probeRun.vms[0];
  const oversleep = tenant.probe as OversleepSummary;
  const thisRun = results[results.length - 2];
  const goodRun = results[results.length - 1];
  const hasIo = ioPartOf(vm.workload) !== undefined;
  const basis =
    `simulated, ${probeRun.scheduler} on ${probeRun.cores} cores: ${hasIo ? `VM "${vm.id}"'s own io` : "a reference io part (1000 req/s, 50 us)"} ` +
    `here against the same host with its CPU-intensive neighbours cut back to leave a core free`;
  const expected = expectedOf(thisRun.vms[0].requestLatency.p999Us, goodRun.vms[0].requestLatency.p999Us, basis);
  const neighbours = s.site.vms.filter((v) => v.id !== vm.id);
  const base = assess(oversleep, probeRun.measuredUs / 1000, s.params, true, s.failOn, expected);
  return {
    ...base,
    mode: "simulated",
    overhead: null,
    neighbourhood: {
      hostId: s.site.host.id,
      vmId: vm.id,
      scheduler: probeRun.scheduler,
      cores: probeRun.cores,
      neighbours: neighbours.length,
      ...vcpuMix(neighbours),
      victimVcpus: vm.vcpus,
      simulatedMs: probeRun.measuredUs / 1000,
      seed: probeRun.seed,
      ioP999Ms: hasIo ? tenant.requestLatency.p999Us / 1000 : null,
      note: withProbe(vm, s.params).note,
    },
  };
}

/**
 * assess is what the real and the simulated probe share: the normalised count, the verdict, the
 * status and the recommendation from one run's oversleeps.
 */
export function assess(
  oversleep: OversleepSummary,
  elapsedMs: number,
  params: ProbeParams,
  complete: boolean,
  failOn: FailOn,
  expected: Recommendation["expectedP999"],
): Omit<ProbeReport, "mode" | "overhead" | "neighbourhood"> {
  const marks = { low: params.lowMark, high: params.highMark };
  const normalised = normalise(oversleep, elapsedMs, marks);
  const verdict = verdictOf(normalised.per100s, marks);
  return {
    status: statusOf(verdict, failOn, complete),
    params,
    elapsedMs,
    complete,
    oversleep,
    normalised,
    verdict,
    recommendation: recommend(verdict, normalised.per100s, params, expected),
  };
}
