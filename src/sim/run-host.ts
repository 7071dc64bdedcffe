import { driverDomainName } from "../model/driver-domain.js";
import type { HostSimResult, Scenario } from "../model/scenario.js";
import type { CpuScheduler } from "./cpu-scheduler.js";
import { driverVm } from "./driver-path.js";
import { HostSim } from "./host-sim.js";
import { HostMetrics } from "./metrics.js";
import { createRng } from "./rng.js";
import { Simulator } from "./simulator.js";
import { installWorkload } from "./workloads/index.js";

export interface RunHostOptions {
  /** Where in trace series simulated time 0 sits, in seconds of trace time (default 0). */
  traceStartSec?: number;
  /** Also report each VM's request-latency tail (VmSimResult.requestTail). */
  requestTail?: boolean;
}

/**
 * runHost simulates one scenario under an already-built policy instance. The run covers
 * warmupMs + durationMs of simulated time; everything is measured over the last durationMs only
 * (warm-up lets queues, credits and vruntimes reach a steady state first). A sample belongs to
 * the window in which it ends: a request that arrived during warm-up and completes after it
 * counts, with its full latency; requests still in flight at the end are not counted.
 *
 * Kept apart from simulateHost (which picks the policy from the registry) so the machinery can be
 * run and tested with any policy, without loading the Xen or CFS code.
 */
export function runHost(scenario: Scenario, scheduler: CpuScheduler, options: RunHostOptions = {}): HostSimResult {
  const sim = new Simulator();
  // A driver domain is one more VM to the policy, after the guests (so guests keep their indices).
  const d = scenario.host.driverDomain;
  const vms = d ? [...scenario.vms, driverVm(d)] : scenario.vms;
  const facts = d ? { name: driverDomainName(scheduler.kind), chargeDriverWork: d.chargeDriverWork } : undefined;
  const metrics = new HostMetrics(vms, facts);
  const host = new HostSim(sim, scenario.host.cores, vms, metrics, createRng(scenario.seed, "scheduler"), d);
  const warmupUs = scenario.warmupMs * 1000;
  const measuredUs = scenario.durationMs * 1000;
  host.measureFrom(warmupUs);
  scenario.vms.forEach((vm, i) =>
    installWorkload(host, vm, host.vcpusOfVm(i), { seed: scenario.seed, traceStartSec: options.traceStartSec }),
  );
  host.start(scheduler);
  sim.run({ untilUs: warmupUs + measuredUs });
  host.finish();
  return metrics.result({
    hostId: scenario.host.id,
    scheduler: scheduler.kind,
    cores: scenario.host.cores,
    measuredUs,
    eventsProcessed: sim.eventsProcessed,
    seed: scenario.seed,
    requestTail: options.requestTail,
  });
}
